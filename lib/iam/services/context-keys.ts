import "server-only";
// GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the
// context keys a set of policies refers to (the keys of their Condition
// blocks and the policy variables they substitute, such as ${aws:username}),
// read with the engine's own policy reader, so that a person knows which
// ContextEntries a simulation needs. Each key once (IAM's keys ignore case),
// as first written.
import { z } from "zod";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import { readPolicyDocument } from "@/lib/iam/policy/document";
import { variablesIn } from "@/lib/iam/policy/variables";
import type { Principal } from "@/lib/iam/principal";
import { arn, listOf, policyDocument } from "@/lib/iam/validation";
import { entityPolicies } from "./entity-policies";

export const GetContextKeysForCustomPolicyInput = z.object({ policyInputList: listOf(policyDocument) });
export const GetContextKeysForPrincipalPolicyInput = z.object({
  policySourceArn: arn("policySourceArn"),
  policyInputList: z.preprocess((x) => (x === "" || x === null ? undefined : x), listOf(policyDocument).optional()),
});

/** The context keys the documents refer to, in order of appearance; InvalidInput for a document that is not a policy. */
export function contextKeysIn(documents: string[], label = (i: number) => `PolicyInputList.${i + 1}`): string[] {
  const keys = new Map<string, string>();
  const add = (key: string) => {
    if (key === "*" || key === "?" || key === "$") return;
    if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
  };
  documents.forEach((text, i) => {
    const read = readPolicyDocument(text);
    if (!read.ok) throw new IamError("InvalidInput", `${label(i)} is not a valid policy document: ${read.message}${read.detail ? ` (${read.detail})` : ""}`);
    // Version 2008-10-17 documents do not substitute variables: their ${...} is literal text.
    const substitutes = read.read.document.Version === "2012-10-17";
    for (const st of read.read.document.Statement) {
      const strings = [...(st.Resource ?? []), ...(st.NotResource ?? [])];
      for (const [, byKey] of Object.entries(st.Condition ?? {})) {
        for (const [key, values] of Object.entries(byKey)) {
          add(key);
          strings.push(...values);
        }
      }
      if (substitutes) for (const s of strings) variablesIn(s).forEach(add);
    }
  });
  return [...keys.values()];
}

export function getContextKeysForCustomPolicy(_principal: Principal, input: z.output<typeof GetContextKeysForCustomPolicyInput>): OperationSpec<{ contextKeyNames: string[] }> {
  return {
    service: "iam",
    name: "GetContextKeysForCustomPolicy",
    readOnly: true,
    resource: { arn: "*" },
    parameters: { policyCount: input.policyInputList.length },
    run: async () => {
      if (input.policyInputList.length === 0) throw new IamError("InvalidInput", "PolicyInputList must hold at least one policy document.");
      return { contextKeyNames: contextKeysIn(input.policyInputList) };
    },
    response: (r) => r,
  };
}

export function getContextKeysForPrincipalPolicy(principal: Principal, input: z.output<typeof GetContextKeysForPrincipalPolicyInput>): OperationSpec<{ contextKeyNames: string[] }> {
  return {
    service: "iam",
    name: "GetContextKeysForPrincipalPolicy",
    readOnly: true,
    resource: { arn: input.policySourceArn },
    parameters: { policySourceArn: input.policySourceArn, policyCount: input.policyInputList?.length ?? 0 },
    async run({ tx }) {
      const extra = input.policyInputList ?? [];
      // The extra documents first, so a bad one is named by its place in PolicyInputList.
      contextKeysIn(extra);
      const stored = (await entityPolicies(tx, principal, input.policySourceArn)).map((p) => p.document);
      return { contextKeyNames: contextKeysIn([...extra, ...stored], (i) => (i < extra.length ? `PolicyInputList.${i + 1}` : "A stored policy")) };
    },
    response: (r) => r,
  };
}
