import { describe, expect, it } from "vitest";
import type { Caller, RequestInfo } from "@/lib/iam/principal";
import { assertSessionMayCall } from "./session-type-rules";

const api: RequestInfo = { via: "api", secureTransport: false, region: "us-east-1", requestId: "r" };
const consoleRequest: RequestInfo = { ...api, via: "console" };
const user = (extra: Partial<Caller>): Caller =>
  ({ type: "IAMUser", organizationId: "o", accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/u", principalId: "AIDA", userId: "u", userName: "u", mfaAuthenticated: false, ...extra }) as Caller;
const code = (f: () => void) => {
  try {
    f();
    return "allowed";
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe("assertSessionMayCall", () => {
  const sessionToken = user({ accessKeyId: "ASIAX", sessionKind: "GetSessionToken" });
  const federated = user({ accessKeyId: "ASIAY", sessionKind: "GetFederationToken", arn: "arn:aws:sts::111122223333:federated-user/f" });

  it("limits GetSessionToken sessions: IAM only with MFA, STS only AssumeRole and GetCallerIdentity", () => {
    expect(code(() => assertSessionMayCall("iam", "ListUsers", sessionToken, api))).toBe("InvalidClientTokenId");
    expect(code(() => assertSessionMayCall("iam", "ListUsers", { ...sessionToken, mfaAuthenticated: true }, api))).toBe("allowed");
    expect(code(() => assertSessionMayCall("sts", "AssumeRole", sessionToken, api))).toBe("allowed");
    expect(code(() => assertSessionMayCall("sts", "GetCallerIdentity", sessionToken, api))).toBe("allowed");
    expect(code(() => assertSessionMayCall("sts", "GetAccessKeyInfo", { ...sessionToken, mfaAuthenticated: true }, api))).toBe("AccessDenied");
    expect(code(() => assertSessionMayCall("s3", "ListBuckets", sessionToken, api))).toBe("allowed");
  });

  it("limits federated users to GetCallerIdentity on STS and nothing on IAM, through the API only", () => {
    expect(code(() => assertSessionMayCall("iam", "GetUser", { ...federated, mfaAuthenticated: true }, api))).toBe("InvalidClientTokenId");
    expect(code(() => assertSessionMayCall("sts", "AssumeRole", federated, api))).toBe("AccessDenied");
    expect(code(() => assertSessionMayCall("sts", "GetCallerIdentity", federated, api))).toBe("allowed");
    // The provider's token is the caller of these, whoever signed.
    expect(code(() => assertSessionMayCall("sts", "AssumeRoleWithSAML", federated, api))).toBe("allowed");
    expect(code(() => assertSessionMayCall("sts", "AssumeRoleWithWebIdentity", sessionToken, api))).toBe("allowed");
    expect(code(() => assertSessionMayCall("iam", "GetUser", federated, consoleRequest))).toBe("allowed");
  });

  it("leaves long-term keys and role sessions alone", () => {
    expect(code(() => assertSessionMayCall("iam", "ListUsers", user({ accessKeyId: "AKIAX" }), api))).toBe("allowed");
    expect(code(() => assertSessionMayCall("sts", "GetAccessKeyInfo", user({ accessKeyId: "ASIAZ", sessionKind: "AssumeRole" }), api))).toBe("allowed");
  });
});
