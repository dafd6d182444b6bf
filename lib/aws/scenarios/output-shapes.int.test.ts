// Every IAM and STS operation's builder answers in AWS's output shape: the
// model-driven boto3 plan (model-plan.ts, model_driven.py) runs through the API
// while the Query encoder shows each result to outputShapeIssues. An operation
// listed in NOT_YET_AWS_SHAPED still answers with lowerCamel names or an
// unwrapped entity (the encoder still reads those); any other operation must
// match its shape exactly, and a listed one that now matches must leave the list.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS, type ApiService } from "@/lib/aws/models";
import { outputShapeIssues } from "@/lib/aws/output-shape";
import { observeEncodedResults } from "@/lib/aws/query";
import { findOperation } from "@/lib/iam/catalogue";
import { DEV } from "@/lib/testing/principals";
import { samlMetadata, selfSignedCertificate } from "@/lib/testing/self-signed";
import { issueKey, startTestApi, type TestApi } from "../test-server";
import { run, scriptPath } from "./cli";
import { buildPlan } from "./model-plan";

/** Builders still on the console's names (lowerCamel members, an unwrapped entity), to move to AWS's. */
const NOT_YET_AWS_SHAPED = new Set([
  "CreateAccessKey",
  "CreateGroup",
  "CreateInstanceProfile",
  "CreateOpenIDConnectProvider",
  "CreatePolicy",
  "CreatePolicyVersion",
  "CreateRole",
  "CreateSAMLProvider",
  "CreateServiceLinkedRole",
  "CreateUser",
  "CreateVirtualMFADevice",
  "GenerateCredentialReport",
  "GenerateOrganizationsAccessReport",
  "GetAccessKeyInfo",
  "GetAccountPasswordPolicy",
  "GetAccountSummary",
  "GetContextKeysForCustomPolicy",
  "GetContextKeysForPrincipalPolicy",
  "GetCredentialReport",
  "GetGroup",
  "GetGroupPolicy",
  "GetInstanceProfile",
  "GetMFADevice",
  "GetOpenIDConnectProvider",
  "GetPolicy",
  "GetPolicyVersion",
  "GetRole",
  "GetRolePolicy",
  "GetSAMLProvider",
  "GetServerCertificate",
  "GetUser",
  "GetUserPolicy",
  "ListAccessKeys",
  "ListAttachedGroupPolicies",
  "ListAttachedRolePolicies",
  "ListAttachedUserPolicies",
  "ListDelegationRequests",
  "ListEntitiesForPolicy",
  "ListGroupPolicies",
  "ListGroupsForUser",
  "ListMFADevices",
  "ListOpenIDConnectProviders",
  "ListPolicyVersions",
  "ListRolePolicies",
  "ListSAMLProviders",
  "ListSSHPublicKeys",
  "ListServerCertificates",
  "ListServiceSpecificCredentials",
  "ListSigningCertificates",
  "ListUserPolicies",
  "ListVirtualMFADevices",
  "SimulateCustomPolicy",
  "SimulatePrincipalPolicy",
  "UpdateRoleDescription",
  "UploadSSHPublicKey",
  "UploadServerCertificate",
  "UploadSigningCertificate",
  // Console-only fields in AWS's answer (the console session's sessionId, the role's name and account).
  "AssumeRole",
  "GetFederationToken",
  "GetSessionToken",
]);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const served = (["iam", "sts"] as ApiService[]).flatMap((service) =>
  Object.keys(MODELS[service].operations)
    .filter((operation) => findOperation(service, operation))
    .map((operation) => ({ service, operation })),
);

describe("output shapes: every served IAM and STS operation answers in AWS's output shape", () => {
  it("each answer's members are its output shape's (plus the console extension), required ones present", async () => {
    const issues = new Map<string, string[]>();
    const answered = new Set<string>();
    const stop = observeEncodedResults((model, operation, result) => {
      answered.add(operation);
      const found = outputShapeIssues(model, operation, result);
      if (found.length) issues.set(operation, [...(issues.get(operation) ?? []), ...found]);
    });
    try {
      const admin = await issueKey("admin");
      const cert = selfSignedCertificate("shapes.example.com");
      const plan = buildPlan(served, {
        accountId: DEV,
        callerArn: `arn:aws:iam::${DEV}:user/admin`,
        sshPublicKeyPem: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }) as string,
        certificatePem: cert.certificatePem,
        privateKeyPem: cert.privateKeyPem,
        samlMetadata: samlMetadata("https://idp.shapes.example.com", cert.certificatePem),
      });
      const r = await run(
        "python3",
        [scriptPath("model_driven.py")],
        {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_EC2_METADATA_DISABLED: "true",
          IAMLAB_ENDPOINT: api.endpoint,
          KEY: admin.accessKeyId,
          SECRET: admin.secretAccessKey,
        },
        JSON.stringify(plan),
      );
      expect(r.code).toBe(0);
    } finally {
      stop();
    }
    // The plan reaches most operations with a successful answer, the list pages among them.
    expect(answered.size).toBeGreaterThan(served.length / 2);
    for (const op of ["ListUsers", "ListGroups", "ListPolicies", "ListRoles", "GetCallerIdentity"]) expect(answered).toContain(op);
    const unexpected = Object.fromEntries([...issues].filter(([op]) => !NOT_YET_AWS_SHAPED.has(op)));
    expect(unexpected).toEqual({});
    // A listed operation that answered and now matches its shape leaves the list.
    const nowShaped = [...NOT_YET_AWS_SHAPED].filter((op) => answered.has(op) && !issues.has(op));
    expect(nowShaped).toEqual([]);
  }, 300_000);
});
