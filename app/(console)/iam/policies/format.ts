// How the IAM pages print dates and counts, and the links between them.

/** "2026-03-01 14:05 UTC": the same for every viewer, so tests and screenshots agree. */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const iso = (typeof d === "string" ? new Date(d) : d).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export const userHref = (name: string) => `/iam/users/${encodeURIComponent(name)}`;
export const groupHref = (name: string) => `/iam/groups/${encodeURIComponent(name)}`;
export const roleHref = (name: string) => `/iam/roles/${encodeURIComponent(name)}`;

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy\/(.+)$/;

/**
 * A managed policy's page: /iam/policies/<account or "aws">/<path>/<name>, e.g.
 * /iam/policies/aws/service-role/AWSLambdaRole. Readable, and the ARN follows from it.
 */
export function policyHref(arn: string): string {
  const m = POLICY_ARN.exec(arn);
  if (!m) return "/iam/policies";
  return `/iam/policies/${m[1]}/${m[2]!.split("/").map(encodeURIComponent).join("/")}`;
}

/** The ARN a policy page's URL names (the inverse of policyHref). */
export function policyArnFromRoute(account: string, segments: string[]): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `arn:aws:iam::${decode(account)}:policy/${segments.map(decode).join("/")}`;
}
