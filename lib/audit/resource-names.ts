// The name and CloudTrail resource type an ARN stands for, as the event history
// filters them (resource:alice, resource:AWS::S3::Object). Pure.

const IAM_TYPES: Record<string, string> = {
  user: "AWS::IAM::User",
  group: "AWS::IAM::Group",
  role: "AWS::IAM::Role",
  policy: "AWS::IAM::Policy",
  "instance-profile": "AWS::IAM::InstanceProfile",
  mfa: "AWS::IAM::MFADevice",
  "server-certificate": "AWS::IAM::ServerCertificate",
  "saml-provider": "AWS::IAM::SAMLProvider",
  "oidc-provider": "AWS::IAM::OIDCProvider",
};

export interface ResourceIdentity {
  name: string;
  type?: string;
}

/** arn:aws:iam::1:user/dev/alice -> { alice, AWS::IAM::User }; arn:aws:s3:::b/k -> { b/k, AWS::S3::Object }. */
export function resourceIdentityOf(arn: string): ResourceIdentity | null {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return null;
  const service = parts[2];
  const resource = parts.slice(5).join(":");
  if (service === "s3") {
    const slash = resource.indexOf("/");
    return slash === -1 ? { name: resource, type: "AWS::S3::Bucket" } : { name: resource, type: "AWS::S3::Object" };
  }
  if (service === "cloudtrail" && resource.startsWith("trail/")) return { name: resource.slice(6), type: "AWS::CloudTrail::Trail" };
  const slash = resource.indexOf("/");
  const kind = slash === -1 ? resource : resource.slice(0, slash);
  const name = slash === -1 ? resource : resource.slice(resource.lastIndexOf("/") + 1);
  if (service === "iam") return { name, type: IAM_TYPES[kind] };
  if (service === "sts" && kind === "assumed-role") return { name, type: "AWS::STS::AssumedRole" };
  return { name };
}

/** The role a role-assuming call names in its parameters (a refused AssumeRole still shows it, as AWS does). */
export function roleArnOfParameters(eventName: string, parameters: unknown): string | undefined {
  if (!eventName.startsWith("AssumeRole") || typeof parameters !== "object" || parameters === null) return undefined;
  const arn = (parameters as { roleArn?: unknown }).roleArn;
  return typeof arn === "string" && arn.startsWith("arn:") ? arn : undefined;
}
