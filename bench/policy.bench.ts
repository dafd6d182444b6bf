/**
 * Policy engine benchmark: a fixed, seeded corpus of realistic requests.
 * Prints decisions/second and p50/p99 latency, cold (first sight of each policy text) and warm
 * (compiled policies cached), with a baseline measured in the same run: re-parsing every policy
 * document on every decision (cache cleared before each evaluation), and, for scale, the cost of
 * only JSON.parse-ing the same documents.
 *
 *   npm run bench:policy      (tsx bench/policy.bench.ts)
 */
import { clearPolicyCache, evaluate } from "../lib/iam/policy/index";
import type { EvaluationInput, PolicyInput } from "../lib/iam/policy/types";
import { mulberry32 } from "./seeded-random";

// ---------------------------------------------------------------- seeded corpus
const rnd = mulberry32(20260101);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const SERVICES = {
  s3: ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetObjectTagging", "PutObjectAcl", "GetBucketPolicy"],
  ec2: ["DescribeInstances", "RunInstances", "TerminateInstances", "StartInstances", "StopInstances", "CreateTags"],
  iam: ["GetUser", "ListUsers", "CreateAccessKey", "PassRole", "AttachUserPolicy", "GetRole"],
  dynamodb: ["GetItem", "PutItem", "Query", "Scan", "DeleteItem", "UpdateItem"],
  sqs: ["SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueUrl"],
  kms: ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"],
  logs: ["PutLogEvents", "CreateLogStream", "DescribeLogGroups"],
  lambda: ["InvokeFunction", "GetFunction", "UpdateFunctionCode"],
} as const;
type Svc = keyof typeof SERVICES;
const SVC_NAMES = Object.keys(SERVICES) as Svc[];
const BUCKETS = ["app-data", "reports", "logs-archive", "public-assets"];

function resourceFor(svc: Svc, account: string): string {
  switch (svc) {
    case "s3":
      return `arn:aws:s3:::${pick(BUCKETS)}/${pick(["home/alice", "home/bob", "shared", "tmp"])}/${Math.floor(rnd() * 50)}.json`;
    case "ec2":
      return `arn:aws:ec2:${pick(["us-east-1", "eu-west-1"])}:${account}:instance/i-${Math.floor(rnd() * 1e6).toString(16)}`;
    case "iam":
      return `arn:aws:iam::${account}:${pick(["user", "role"])}/${pick(["alice", "bob", "deploy", "admin"])}`;
    case "dynamodb":
      return `arn:aws:dynamodb:us-east-1:${account}:table/${pick(["orders", "users", "events"])}`;
    case "sqs":
      return `arn:aws:sqs:us-east-1:${account}:${pick(["jobs", "events", "dlq"])}`;
    case "kms":
      return `arn:aws:kms:us-east-1:${account}:key/${pick(["k1", "k2", "k3"])}`;
    case "logs":
      return `arn:aws:logs:us-east-1:${account}:log-group:/app/${pick(["web", "worker"])}`;
    case "lambda":
      return `arn:aws:lambda:us-east-1:${account}:function:${pick(["api", "cron", "resize"])}`;
  }
}

function statement(i: number): object {
  const svc = pick(SVC_NAMES);
  const acts = SERVICES[svc];
  const n = 1 + Math.floor(rnd() * 3);
  const actions = Array.from({ length: n }, () => (rnd() < 0.3 ? `${svc}:${pick(acts).slice(0, 3)}*` : `${svc}:${pick(acts)}`));
  const r = rnd();
  const resource =
    r < 0.25 ? "*" : r < 0.5 ? resourceFor(svc, ACCOUNT).replace(/[^/:]+$/, "*") : svc === "s3" ? "arn:aws:s3:::app-data/home/${aws:username}/*" : resourceFor(svc, ACCOUNT);
  const st: Record<string, unknown> = { Sid: `S${i}`, Effect: rnd() < 0.12 ? "Deny" : "Allow", Action: actions, Resource: resource };
  const c = rnd();
  if (c < 0.15) st.Condition = { IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } };
  else if (c < 0.3) st.Condition = { Bool: { "aws:MultiFactorAuthPresent": "true" } };
  else if (c < 0.4) st.Condition = { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } };
  else if (c < 0.45) st.Condition = { "ForAllValues:StringLike": { "aws:TagKeys": ["team-*", "env"] } };
  else if (c < 0.5) st.Condition = { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } };
  return st;
}

let sid = 0;
function managedPolicy(name: string, statements: number): PolicyInput {
  return {
    name,
    id: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    versionId: "v1",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: statements }, () => statement(sid++)) }, null, 2),
  };
}

// A user in 3 groups; 12 managed policies (~80 statements) in all, plus a boundary and a bucket policy.
const sizes = [9, 7, 6, 8, 5, 7, 6, 8, 6, 7, 5, 6];
const identityPolicies = sizes.map((n, i) => managedPolicy(`team-policy-${i}`, n));
const boundary: PolicyInput = {
  name: "dev-boundary",
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" },
      { Effect: "Allow", Action: ["iam:Get*", "iam:List*", "iam:PassRole"], Resource: "*" },
      { Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::logs-archive/*" },
    ],
  }),
};
const bucketPolicy: PolicyInput = {
  name: "app-data bucket policy",
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "TLS", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::app-data", "arn:aws:s3:::app-data/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      { Sid: "Partner", Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${OTHER}:root`] }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::app-data", "arn:aws:s3:::app-data/*"] },
      { Sid: "Role", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/deploy` }, Action: "s3:*", Resource: "arn:aws:s3:::app-data/*" },
    ],
  }),
};
// Every KMS key has a key policy; this is AWS's default one (it enables IAM policies for the account).
const keyPolicy: PolicyInput = {
  name: "default key policy",
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
  }),
};
const resourcePolicyFor = (svc: Svc): PolicyInput | undefined => (svc === "s3" ? bucketPolicy : svc === "kms" ? keyPolicy : undefined);
const scps = [
  { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }] },
  {
    orgIdentifier: "ou-dev",
    policies: [
      {
        name: "deny-regions",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "*", Resource: "*" },
            { Effect: "Deny", NotAction: ["iam:*", "sts:*"], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } } },
          ],
        }),
      },
    ],
  },
];

function context(): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {
    "aws:SourceIp": pick(["10.1.2.3", "192.0.2.10", "2001:db8::5"]),
    "aws:RequestedRegion": pick(["us-east-1", "eu-west-1", "ap-south-1"]),
    "aws:SecureTransport": rnd() < 0.9 ? "true" : "false",
    "aws:CurrentTime": "2026-06-01T12:00:00Z",
  };
  if (rnd() < 0.6) ctx["aws:MultiFactorAuthPresent"] = rnd() < 0.8 ? "true" : "false";
  if (rnd() < 0.2) ctx["aws:TagKeys"] = ["team-a", "env"];
  return ctx;
}

const requests: EvaluationInput[] = [];
for (let i = 0; i < 4000; i++) {
  const kind = rnd();
  const svc = rnd() < 0.45 ? "s3" : pick(SVC_NAMES);
  const action = `${svc}:${pick(SERVICES[svc])}`;
  if (kind < 0.7) {
    requests.push({
      request: { principal: `arn:aws:iam::${ACCOUNT}:user/alice`, action, resource: { resource: resourceFor(svc, ACCOUNT) }, context: context() },
      identityPolicies,
      permissionBoundaries: [boundary],
      resourcePolicy: resourcePolicyFor(svc),
      serviceControlPolicies: scps,
    });
  } else if (kind < 0.85) {
    // role session with a session policy
    requests.push({
      request: { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/build-${i % 7}`, action, resource: { resource: resourceFor(svc, ACCOUNT) }, context: context() },
      identityPolicies: identityPolicies.slice(0, 4),
      sessionPolicy: { name: "session", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*", "dynamodb:*", "sqs:*"], Resource: "*" }] }) },
      resourcePolicy: resourcePolicyFor(svc),
      serviceControlPolicies: scps,
    });
  } else {
    // cross-account: a partner user reading our bucket
    requests.push({
      request: { principal: `arn:aws:iam::${OTHER}:user/partner`, action: pick(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]), resource: { resource: `arn:aws:s3:::app-data/shared/${i}.csv`, accountId: ACCOUNT }, context: context() },
      identityPolicies: [{ name: "partner-s3", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::app-data/*" }] }) }],
      resourcePolicy: bucketPolicy,
    });
  }
}

// ---------------------------------------------------------------- measurement
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function fmtUs(ns: number): string {
  return `${(ns / 1000).toFixed(2)} µs`;
}
function latencies(n: number, fn: (i: number) => void): { p50: number; p99: number; perSec: number } {
  const lat = new Array<number>(n);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    fn(i);
    lat[i] = Number(process.hrtime.bigint() - s);
  }
  const total = Number(process.hrtime.bigint() - t0);
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), perSec: n / (total / 1e9) };
}
function throughput(n: number, fn: (i: number) => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** A copy of the input whose policy texts have never been seen (a unique Id per copy). */
function freshCopy(input: EvaluationInput, tag: number): EvaluationInput {
  const f = (p: PolicyInput): PolicyInput => ({ ...p, policy: (p.policy as string).replace('"Version":', `"Id":"c${tag}","Version":`) });
  return {
    ...input,
    identityPolicies: input.identityPolicies?.map(f),
    permissionBoundaries: input.permissionBoundaries?.map(f),
    sessionPolicy: input.sessionPolicy && f(input.sessionPolicy),
    resourcePolicy: input.resourcePolicy && f(input.resourcePolicy),
    serviceControlPolicies: input.serviceControlPolicies?.map((l) => ({ ...l, policies: l.policies.map(f) })),
  };
}

const statements = identityPolicies.reduce((n, p) => n + (JSON.parse(p.policy as string).Statement.length as number), 0);
console.log(`IAM policy engine benchmark (node ${process.version}, one core)`);
console.log(`corpus: ${requests.length} seeded requests; user: 12 managed policies / ${statements} statements + boundary + bucket or key policy + 2 SCP levels; 15% role sessions, 15% cross-account`);

const decisions: Record<string, number> = {};
for (const r of requests) {
  const d = evaluate(r).decision;
  decisions[d] = (decisions[d] ?? 0) + 1;
}
console.log(`decisions: ${JSON.stringify(decisions)}`);

// Cold: every policy text is new (compile + evaluate).
clearPolicyCache();
const COLD = 400;
const coldInputs = Array.from({ length: COLD }, (_, i) => freshCopy(requests[i % requests.length], i));
const cold = latencies(COLD, (i) => evaluate(coldInputs[i]));

// Baseline: re-parse every document on every decision.
const BASE = 2000;
const base = latencies(BASE, (i) => {
  clearPolicyCache();
  evaluate(requests[i % requests.length]);
});
const allTexts = (r: EvaluationInput): string[] =>
  [...(r.identityPolicies ?? []), ...(r.permissionBoundaries ?? []), ...(r.sessionPolicy ? [r.sessionPolicy] : []), ...(r.resourcePolicy ? [r.resourcePolicy] : []), ...(r.serviceControlPolicies ?? []).flatMap((l) => l.policies)].map((p) => p.policy as string);
const parseOnly = throughput(BASE, (i) => {
  for (const t of allTexts(requests[i % requests.length])) JSON.parse(t);
});

// Warm: compiled policies cached.
clearPolicyCache();
for (const r of requests) evaluate(r); // warm-up (JIT + cache)
const WARM = 400_000;
const warmTp = throughput(WARM, (i) => evaluate(requests[i % requests.length]));
const warmLat = latencies(200_000, (i) => evaluate(requests[i % requests.length]));
const explainTp = throughput(20_000, (i) => evaluate(requests[i % requests.length], { explain: true }));

const row = (name: string, perSec: number, p50?: number, p99?: number) =>
  console.log(`${name.padEnd(44)} ${Math.round(perSec).toLocaleString("en-US").padStart(12)} decisions/s${p50 !== undefined ? `   p50 ${fmtUs(p50).padStart(10)}   p99 ${fmtUs(p99!).padStart(10)}` : ""}`);
row("cold (first sight of every policy text)", cold.perSec, cold.p50, cold.p99);
row("baseline: re-parse every policy each time", base.perSec, base.p50, base.p99);
row("reference: JSON.parse of the same documents", parseOnly);
row("warm (compiled, cached)", warmTp, warmLat.p50, warmLat.p99);
row("warm with { explain: true }", explainTp);
console.log(`warm / baseline ratio: ${(warmTp / base.perSec).toFixed(1)}x; warm / JSON.parse-only ratio: ${(warmTp / parseOnly).toFixed(1)}x`);
const ok = warmTp >= 200_000 && warmLat.p99 < 50_000;
console.log(`target (>= 200,000 warm decisions/s, p99 < 50 µs): ${ok ? "met" : "NOT met"}`);
