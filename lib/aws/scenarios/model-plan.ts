// A minimal valid request for each served operation, built from AWS's model
// (lib/aws/models: required members, string lengths and patterns, enums,
// integer ranges), for the model-driven test that calls every one through
// boto3. Values that must mean something (policy documents, ARNs, PEM
// material, SAML metadata) come from FIXED by member name; everything else is
// the first candidate the shape's own constraints accept. Pure.
import { MODELS, type ApiService, type MemberRef, type Shape } from "@/lib/aws/models";

export interface PlanStep {
  service: ApiService;
  operation: string;
  params: Record<string, unknown>;
}

export interface Fixtures {
  accountId: string;
  /** ARN of the caller, for PolicySourceArn. */
  callerArn: string;
  sshPublicKeyPem: string;
  certificatePem: string;
  privateKeyPem: string;
  samlMetadata: string;
}

const NAME = "modeltest";

function fixed(member: string, f: Fixtures): unknown {
  const acct = f.accountId;
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] });
  const table: Record<string, unknown> = {
    PolicyDocument: policy,
    AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: "sts:AssumeRole" }] }),
    PolicyInputList: [policy],
    PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    PermissionsBoundary: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    PolicySourceArn: f.callerArn,
    RoleArn: `arn:aws:iam::${acct}:role/${NAME}`,
    OpenIDConnectProviderArn: `arn:aws:iam::${acct}:oidc-provider/model.example.com`,
    SAMLProviderArn: `arn:aws:iam::${acct}:saml-provider/${NAME}`,
    SerialNumber: `arn:aws:iam::${acct}:mfa/${NAME}`,
    AuthenticationCode1: "123456",
    AuthenticationCode2: "654321",
    TokenCode: "123456",
    Password: "Model-Test-Pass-2026!",
    OldPassword: "Model-Test-Pass-2026!",
    NewPassword: "Model-Test-Pass-2027!",
    ThumbprintList: ["a".repeat(40)],
    Url: "https://model.example.com",
    ClientID: "modelclient",
    SSHPublicKeyBody: f.sshPublicKeyPem,
    CertificateBody: f.certificatePem,
    PrivateKey: f.privateKeyPem,
    SAMLMetadataDocument: f.samlMetadata,
    ServiceName: "codecommit.amazonaws.com",
    AWSServiceName: "elasticbeanstalk.amazonaws.com",
    ActionNames: ["s3:ListAllMyBuckets"],
    TagKeys: ["modelkey"],
    Tags: [{ Key: "modelkey", Value: "v" }],
    AccountAlias: "model-test-alias",
    VersionId: "v1",
    Path: "/",
    NewPath: "/",
    PathPrefix: "/",
    // The demo organization's root (GenerateOrganizationsAccessReport).
    EntityPath: "o-examplecorp/r-ex01",
  };
  return table[member];
}

const CANDIDATES = [NAME, "model-test-alias", "/", "v1", "x", "Active", "AKIAMODELTEST0000000", "arn:aws:iam::111122223333:user/modeltest"];

function matches(value: string, shape: Shape): boolean {
  if (shape.min !== undefined && value.length < shape.min) return false;
  if (shape.max !== undefined && value.length > shape.max) return false;
  if (!shape.pattern) return true;
  try {
    return new RegExp(`^(?:${shape.pattern})$`, "u").test(value);
  } catch {
    return new RegExp(`^(?:${shape.pattern})$`).test(value);
  }
}

function stringFor(shape: Shape): string {
  if (shape.enum?.length) return shape.enum[0]!;
  for (const c of CANDIDATES) {
    if (matches(c, shape)) return c;
    const padded = c + "0".repeat(Math.max(0, (shape.min ?? 0) - c.length));
    if (matches(padded, shape)) return padded;
  }
  return "x".repeat(Math.max(1, shape.min ?? 1));
}

function valueFor(service: ApiService, member: string, ref: MemberRef, f: Fixtures, depth = 0): unknown {
  const preset = fixed(member, f);
  if (preset !== undefined) return preset;
  const shape = MODELS[service].shapes[ref.shape]!;
  switch (shape.type) {
    case "string":
      return stringFor(shape);
    case "integer":
    case "long":
      return member === "DurationSeconds" ? 900 : Math.max(shape.min ?? 1, 1);
    case "double":
    case "float":
      return 1;
    case "boolean":
      return false;
    case "timestamp":
      return new Date().toISOString();
    case "blob":
      return "eA==";
    case "list":
      return depth > 4 ? [] : [valueFor(service, member.replace(/List$/, ""), shape.member!, f, depth + 1)];
    case "map":
      return {};
    case "structure":
      return depth > 4 ? {} : requiredOf(service, shape, f, depth + 1);
  }
}

function requiredOf(service: ApiService, shape: Shape, f: Fixtures, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of shape.required ?? []) out[name] = valueFor(service, name, shape.members![name]!, f, depth);
  return out;
}

/** Creations first and deletions last, so the entities named "modeltest" exist for the calls between. */
const PHASES: [RegExp, number][] = [
  [/^(Create|Upload)/, 0],
  [/^(Put|Add|Attach|Enable|Tag)/, 1],
  [/^(Update|Set|Reset|Change|Resync)/, 3],
  [/^(Untag|Remove|Detach|Deactivate)/, 4],
  [/^Delete/, 5],
];
const phaseOf = (op: string) => PHASES.find(([re]) => re.test(op))?.[1] ?? 2;

export function buildPlan(served: { service: ApiService; operation: string }[], f: Fixtures): PlanStep[] {
  return served
    .map(({ service, operation }) => {
      const input = MODELS[service].operations[operation]!.input;
      const params = input ? requiredOf(service, MODELS[service].shapes[input.shape]!, f) : {};
      return { service, operation, params };
    })
    .sort((a, b) => phaseOf(a.operation) - phaseOf(b.operation) || a.operation.localeCompare(b.operation));
}
