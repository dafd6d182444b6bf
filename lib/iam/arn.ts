// ARNs of the entities IAM Lab simulates. Paths start and end with "/".

export const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;
export const userArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:user${path}${name}`;
export const groupArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:group${path}${name}`;
export const roleArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:role${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:policy${path}${name}`;
export const instanceProfileArn = (accountId: string, path: string, name: string) =>
  `arn:aws:iam::${accountId}:instance-profile${path}${name}`;
export const mfaArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:mfa${path}${name}`;
export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

export const ADMINISTRATOR_ACCESS_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

/** Splits "arn:aws:iam::aws:policy/service-role/Foo" into path "/service-role/" and name "Foo". */
export function splitPathAndName(resource: string): { path: string; name: string } {
  const slash = resource.indexOf("/");
  const rest = slash === -1 ? "" : resource.slice(slash);
  const last = rest.lastIndexOf("/");
  return { path: rest.slice(0, last + 1) || "/", name: rest.slice(last + 1) };
}
