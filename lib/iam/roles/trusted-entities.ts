// What a trust policy lets in, in the words of the console's "Trusted entities"
// column: "AWS service: ec2", "Account: 111122223333", "This account". Pure.

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

function describeAws(value: string, ownAccountId: string): string {
  if (value === "*") return "Any AWS principal";
  const account = /^\d{12}$/.test(value) ? value : /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(value)?.[1];
  if (!account) return value;
  if (/:root$/.test(value) || value === account) return account === ownAccountId ? "This account" : `Account: ${account}`;
  const resource = value.split(":").slice(5).join(":");
  return account === ownAccountId ? resource : `Account ${account}: ${resource}`;
}

/** One label per trusted principal of the Allow statements, without repeats. */
export function trustedEntities(trustPolicy: string, ownAccountId: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(trustPolicy);
  } catch {
    return [];
  }
  const statements = (doc as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const out = new Set<string>();
  for (const s of list as { Effect?: string; Principal?: unknown }[]) {
    if (s?.Effect !== "Allow" || s.Principal === undefined) continue;
    if (s.Principal === "*") {
      out.add("Anyone");
      continue;
    }
    const p = s.Principal as Record<string, unknown>;
    for (const svc of asList(p.Service)) out.add(`AWS service: ${svc.replace(/\.amazonaws\.com(\.cn)?$/, "")}`);
    for (const a of asList(p.AWS)) out.add(describeAws(a, ownAccountId));
    for (const f of asList(p.Federated)) out.add(`Identity provider: ${f}`);
  }
  return [...out];
}

/** Whether EC2 may assume the role (it then needs an instance profile). */
export function trustsEc2(trustPolicy: string): boolean {
  return trustedEntities(trustPolicy, "").includes("AWS service: ec2");
}
