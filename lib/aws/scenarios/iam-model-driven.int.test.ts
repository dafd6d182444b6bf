// Every IAM and STS operation the API serves, called once through boto3 with a
// minimal valid request built from AWS's model (model-plan.ts): each answers
// with a response botocore parses against the operation's output shape, or
// with an error code the operation's model declares (or one AWS documents for
// every action), never InternalFailure, a 5xx or an unparseable body. The same
// run shows IAM Lab's side: while the Query encoder writes each answer,
// outputShapeIssues checks the builder's result against the output shape. An
// operation listed in NOT_YET_AWS_SHAPED still answers with lowerCamel names
// or an unwrapped entity (the encoder still reads those); any other operation
// must match its shape exactly, and a listed one that now matches must leave
// the list.
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

/** Errors AWS documents for every action (IAM's and STS's common errors). */
const COMMON_ERRORS = new Set(["AccessDenied", "ValidationError", "Throttling", "InvalidParameterValue", "MissingParameter"]);
/** Errors AWS documents for an operation that today's model no longer lists. */
const DOCUMENTED_ELSEWHERE: Record<string, string[]> = {
  // Earlier IAM models (2015-2022) declared NoSuchEntity for an unknown key ID.
  GetAccessKeyLastUsed: ["NoSuchEntity"],
};

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

interface Outcome {
  operation: string;
  outcome: "ok" | "error" | "unparsed";
  members?: string[];
  unknown?: string[];
  code?: string;
  status?: number;
  declared?: boolean;
  message?: string;
  error?: string;
}

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

/** The plan, run once through boto3, and what the Query encoder saw of each answer. */
let planRun: ReturnType<typeof startPlan> | undefined;
const runPlan = () => (planRun ??= startPlan());
async function startPlan() {
  const issues = new Map<string, string[]>();
  const answered = new Set<string>();
  const stop = observeEncodedResults((model, operation, result) => {
    answered.add(operation);
    const found = outputShapeIssues(model, operation, result);
    if (found.length) issues.set(operation, [...(issues.get(operation) ?? []), ...found]);
  });
  try {
    const admin = await issueKey("admin");
    const cert = selfSignedCertificate("model.example.com");
    const plan = buildPlan(served, {
      accountId: DEV,
      callerArn: `arn:aws:iam::${DEV}:user/admin`,
      sshPublicKeyPem: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }) as string,
      certificatePem: cert.certificatePem,
      privateKeyPem: cert.privateKeyPem,
      samlMetadata: samlMetadata("https://idp.model.example.com", cert.certificatePem),
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
    return { plan, r, issues, answered };
  } finally {
    stop();
  }
}

describe("model-driven: every served IAM and STS operation through boto3", () => {
  it("builds a request for every served operation from the model alone", () => {
    expect(served.length).toBeGreaterThan(100);
    const cert = { certificatePem: "c", privateKeyPem: "k" };
    const plan = buildPlan(served, { accountId: DEV, callerArn: "arn", sshPublicKeyPem: "s", samlMetadata: "m", ...cert });
    expect(plan.map((s) => s.operation).sort()).toEqual(served.map((s) => s.operation).sort());
    // Required members are there, with the model's constraints met.
    expect(plan.find((s) => s.operation === "CreateUser")!.params).toEqual({ UserName: "modeltest" });
    expect(plan.find((s) => s.operation === "GetAccessKeyInfo")!.params.AccessKeyId).toMatch(/^\w{16,128}$/);
    expect(plan.findIndex((s) => s.operation === "CreateUser")).toBeLessThan(plan.findIndex((s) => s.operation === "DeleteUser"));
  });

  it("answers each with a parsed response or a declared AWS error: no InternalFailure, no 5xx, nothing unparseable", async () => {
    const { plan, r } = await runPlan();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const outcomes = JSON.parse(r.stdout) as Outcome[];
    expect(outcomes.map((o) => o.operation)).toEqual(plan.map((s) => s.operation));
    const wrong = outcomes.filter(
      (o) =>
        o.outcome === "unparsed" ||
        (o.outcome === "ok" && (o.unknown ?? []).length > 0) ||
        (o.outcome === "error" && (o.code === "InternalFailure" || (o.status ?? 0) >= 500 || !(o.declared || COMMON_ERRORS.has(o.code!) || DOCUMENTED_ELSEWHERE[o.operation]?.includes(o.code!)))),
    );
    expect(wrong).toEqual([]);
    // Most minimal requests succeed: the plan creates what later calls name.
    const ok = outcomes.filter((o) => o.outcome === "ok").map((o) => o.operation);
    const mustSucceed = ["CreateUser", "GetGroup", "ListUsers", "CreateOpenIDConnectProvider", "UploadSSHPublicKey", "UploadServerCertificate", "GetAccountAuthorizationDetails", "GetCallerIdentity", "DeleteOpenIDConnectProvider"];
    expect(outcomes.filter((o) => mustSucceed.includes(o.operation) && o.outcome !== "ok")).toEqual([]);
    expect(ok.length).toBeGreaterThan(outcomes.length / 2);
    console.log(`model-driven: ${outcomes.length} operations, ${ok.length} answered ok, ${outcomes.length - ok.length} with a declared error`);
  }, 300_000);

  it("answers in AWS's output shape: each answer's members are its shape's (plus the console extension), required ones present", async () => {
    const { r, issues, answered } = await runPlan();
    expect(r.code).toBe(0);
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
