// A client cannot forge its address or HTTPS: an "office network only" Deny and
// an HTTPS-only Deny hold against X-Forwarded-For / X-Forwarded-Proto from an
// untrusted peer, the audit and the sign-in throttle record the socket's
// address, and forwarded headers count only from a configured trusted proxy.
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPassword } from "@/lib/auth/sign-in";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { db } from "@/lib/db/client";
import { runOperation } from "@/lib/iam/operation";
import { putUserPolicy } from "@/lib/iam/services/attachments";
import { getUser } from "@/lib/iam/services/users";
import { asUser } from "@/lib/testing/principals";
import { parseTrustedProxies, SERVER_MARK } from "./client-address";
import { listen, type Handler } from "./serve";

const OFFICE_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Deny", Action: "*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
    { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
  ],
});

/** What the console door makes of a request: its RequestInfo, the gate's answer for erin (an administrator), and a sign-in attempt. */
const handler: Handler = async (req, res) => {
  const request = requestInfoFrom(new Headers(req.headers as Record<string, string>));
  const erin = await asUser("erin");
  const outcome = await runOperation({ ...getUser(erin, { userName: "erin" }), principal: erin, request }).then(
    () => "Allowed",
    (e: { code: string }) => e.code,
  );
  if (req.url === "/sign-in") await checkPassword({ kind: "user", account: "example-dev", userName: "nobody", password: "x" }, request).catch(() => {});
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ sourceIp: request.sourceIp, secureTransport: request.secureTransport, outcome, requestId: request.requestId }));
};

const servers: http.Server[] = [];
async function start(trusted: string): Promise<string> {
  const server = await listen({ name: "test", port: 0, hostname: "127.0.0.1", handler }, parseTrustedProxies(trusted));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const forged = { "x-forwarded-for": "10.1.2.3", "x-forwarded-proto": "https", "x-real-ip": "10.1.2.3", "x-iamlab-client-ip": "10.1.2.3", "x-iamlab-client-proto": "https" };

beforeAll(async () => {
  (globalThis as Record<symbol, unknown>)[SERVER_MARK] = true;
  const admin = await asUser("admin");
  await runOperation({
    ...putUserPolicy(admin, { userName: "erin", policyName: "OfficeNetworkOnly", policyDocument: OFFICE_ONLY } as never),
    principal: admin,
    request: { via: "console", sourceIp: "10.0.0.1", secureTransport: true, region: "us-east-1", requestId: "setup" },
  });
});
afterAll(() => servers.forEach((s) => s.close()));

describe("forwarded headers", () => {
  it("from an untrusted client change nothing: the Deny holds, and the audit and throttle see the socket's address", async () => {
    const base = await start("");
    const answer = await (await fetch(`${base}/sign-in`, { headers: forged })).json();
    expect(answer).toMatchObject({ sourceIp: "127.0.0.1", secureTransport: false, outcome: "AccessDenied" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { requestId: answer.requestId } });
    expect(audit.sourceIPAddress).toBe("127.0.0.1");
    expect(await db().signInThrottle.findUnique({ where: { key: "ip:127.0.0.1" } })).not.toBeNull();
    expect(await db().signInThrottle.findUnique({ where: { key: "ip:10.1.2.3" } })).toBeNull();
  });

  it("from a configured trusted proxy are believed", async () => {
    const base = await start("127.0.0.0/8");
    const answer = await (await fetch(`${base}/`, { headers: { "x-forwarded-for": "10.1.2.3", "x-forwarded-proto": "https" } })).json();
    expect(answer).toMatchObject({ sourceIp: "10.1.2.3", secureTransport: true, outcome: "Allowed" });
    // ... but the internal headers never are, whoever sends them.
    const spoofed = await (await fetch(`${base}/`, { headers: { "x-iamlab-client-ip": "10.1.2.3", "x-iamlab-client-proto": "https" } })).json();
    expect(spoofed).toMatchObject({ sourceIp: "127.0.0.1", secureTransport: false, outcome: "AccessDenied" });
  });
});
