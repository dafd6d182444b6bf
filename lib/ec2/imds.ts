import "server-only";
// One instance's metadata service, IMDSv2 as AWS serves it at 169.254.169.254:
// PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds: 1..21600) gives
// a session token; every GET must carry it (X-aws-ec2-metadata-token), as on
// instances that require IMDSv2. The AWS CLI and SDKs find it through
// AWS_EC2_METADATA_SERVICE_ENDPOINT and read the instance profile's role
// credentials at /latest/meta-data/iam/security-credentials/ROLE.
import crypto from "node:crypto";
import type http from "node:http";
import { instanceCredentials, instanceOnPort, type InstanceIdentity } from "./instance-credentials";

const TOKEN_KEY = crypto.randomBytes(32); // tokens are good on the server that issued them, as on one instance
const MAX_TOKEN_TTL = 21600;

/** "2026-12-02T01:30:00Z": IMDS prints times without fractions. */
const imdsTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

function signToken(port: number, expires: number): string {
  const body = `${port}.${expires}`;
  const mac = crypto.createHmac("sha256", TOKEN_KEY).update(body).digest("base64url");
  return Buffer.from(`${body}.${mac}`).toString("base64url");
}

/** The token is this port's and unexpired. */
export function tokenValid(token: string | undefined, port: number, now = Date.now()): boolean {
  if (!token || token.length > 512) return false;
  const [p, exp, mac] = Buffer.from(token, "base64url").toString("utf8").split(".");
  if (!p || !exp || !mac || Number(p) !== port || !(Number(exp) > now / 1000)) return false;
  const expected = crypto.createHmac("sha256", TOKEN_KEY).update(`${p}.${exp}`).digest("base64url");
  return mac.length === expected.length && crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
}

interface Answer {
  status: number;
  body: string;
  type?: string;
  headers?: Record<string, string>;
}
const text = (body: string, status = 200): Answer => ({ status, body });
const json = (value: unknown): Answer => ({ status: 200, body: JSON.stringify(value, null, 2), type: "text/plain" });
const NOT_FOUND = text("Not Found", 404);

async function metadata(path: string, i: InstanceIdentity): Promise<Answer> {
  const role = i.profile?.roleName ?? null;
  const az = `${i.region}a`;
  const fixed: Record<string, string> = {
    "meta-data/ami-id": i.imageId,
    "meta-data/instance-id": i.instanceId,
    "meta-data/instance-type": i.instanceType,
    "meta-data/hostname": `ip-10-0-0-1.${i.region}.compute.internal`,
    "meta-data/local-ipv4": "10.0.0.1",
    "meta-data/placement/region": i.region,
    "meta-data/placement/availability-zone": az,
  };
  if (fixed[path] !== undefined) return text(fixed[path]);
  switch (path) {
    case "meta-data":
    case "meta-data/":
      return text(["ami-id", "hostname", ...(i.profile ? ["iam/"] : []), "instance-id", "instance-type", "local-ipv4", "placement/"].join("\n"));
    case "meta-data/placement":
    case "meta-data/placement/":
      return text("availability-zone\nregion");
    case "dynamic/instance-identity/document":
      return json({
        accountId: i.accountId,
        architecture: "x86_64",
        availabilityZone: az,
        imageId: i.imageId,
        instanceId: i.instanceId,
        instanceType: i.instanceType,
        pendingTime: imdsTime(i.launchedAt),
        privateIp: "10.0.0.1",
        region: i.region,
        version: "2017-09-30",
      });
  }
  if (!i.profile) return NOT_FOUND;
  if (path === "meta-data/iam" || path === "meta-data/iam/") return text("info\nsecurity-credentials/");
  if (path === "meta-data/iam/info")
    return json({ Code: "Success", LastUpdated: imdsTime(new Date()), InstanceProfileArn: i.profile.arn, InstanceProfileId: i.profile.id });
  if (path === "meta-data/iam/security-credentials" || path === "meta-data/iam/security-credentials/") return role ? text(role) : NOT_FOUND;
  const asked = path.startsWith("meta-data/iam/security-credentials/") ? path.slice("meta-data/iam/security-credentials/".length) : null;
  if (asked === null || !role || asked !== role) return NOT_FOUND;
  const c = await instanceCredentials(i.instanceId);
  if (c === "NoInstance" || c === "NoRole") return NOT_FOUND;
  if (c === "AssumeRoleUnauthorizedAccess")
    return json({ Code: "AssumeRoleUnauthorizedAccess", Message: `EC2 cannot assume the role ${role}: its trust policy does not allow ec2.amazonaws.com to call sts:AssumeRole.`, LastUpdated: imdsTime(new Date()) });
  return json({
    Code: "Success",
    LastUpdated: imdsTime(c.LastUpdated),
    Type: "AWS-HMAC",
    AccessKeyId: c.AccessKeyId,
    SecretAccessKey: c.SecretAccessKey,
    Token: c.Token,
    Expiration: imdsTime(c.Expiration),
  });
}

/** What the metadata service on `port` answers to one request. */
export async function answerImds(port: number, method: string, url: string, headers: http.IncomingHttpHeaders): Promise<Answer> {
  const path = url.split("?")[0]!;
  if (method === "PUT") {
    if (path !== "/latest/api/token") return text("Forbidden", 403);
    // AWS refuses token requests that went through a proxy.
    if (headers["x-forwarded-for"] !== undefined) return text("Forbidden", 403);
    const ttl = Number(headers["x-aws-ec2-metadata-token-ttl-seconds"]);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL) return text("Bad Request", 400);
    if (!(await instanceOnPort(port))) return NOT_FOUND;
    return { status: 200, body: signToken(port, Math.floor(Date.now() / 1000) + ttl), headers: { "x-aws-ec2-metadata-token-ttl-seconds": String(ttl) } };
  }
  if (method !== "GET" && method !== "HEAD") return { status: 405, body: "Method Not Allowed", headers: { allow: "GET, HEAD, PUT" } };
  const token = headers["x-aws-ec2-metadata-token"];
  if (!tokenValid(typeof token === "string" ? token : undefined, port)) return text("Unauthorized", 401);
  const instance = await instanceOnPort(port);
  if (!instance) return NOT_FOUND;
  const m = path.match(/^\/latest\/(.*)$/);
  return m ? metadata(m[1]!, instance) : path === "/" ? text("latest") : NOT_FOUND;
}

/** The http handler of the metadata service listening on `port`. */
export function imdsHandler(port: number) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let answer: Answer;
    try {
      answer = await answerImds(port, req.method ?? "GET", req.url ?? "/", req.headers);
    } catch (err) {
      console.error("IAM Lab: metadata request failed:", (err as Error)?.message);
      answer = text("Internal Server Error", 500);
    }
    res.writeHead(answer.status, { "content-type": answer.type ?? "text/plain", server: "EC2ws", ...answer.headers });
    res.end(req.method === "HEAD" ? undefined : answer.body);
  };
}
