// Bad input at the API door: each gets AWS's code and status, nothing is
// half-written, and the server keeps serving. Requests are signed with
// @smithy/signature-v4 (the AWS SDK's signer) and sent raw.
import net from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "./node-sha256";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { issueKey, startTestApi, type TestApi } from "./test-server";

let api: TestApi;
let creds: { accessKeyId: string; secretAccessKey: string };
beforeAll(async () => {
  api = await startTestApi({ bodyIdleMs: 300, maxQueryBodyBytes: 256 * 1024 });
  creds = await issueKey("admin");
});
afterAll(() => api.close());

async function signed(body: string, opts: { service?: string; method?: string; query?: Record<string, string>; presign?: number; at?: Date } = {}) {
  const signer = new SignatureV4({ credentials: creds, region: "us-east-1", service: opts.service ?? "iam", sha256: NodeSha256 });
  const request = {
    method: opts.method ?? "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: api.port,
    path: "/",
    query: opts.query ?? {},
    headers: { host: `127.0.0.1:${api.port}`, "content-type": "application/x-www-form-urlencoded; charset=utf-8" } as Record<string, string>,
    body: body || undefined,
  };
  return opts.presign ? signer.presign(request, { expiresIn: opts.presign, signingDate: opts.at }) : signer.sign(request, { signingDate: opts.at });
}

const queryOf = (q: Record<string, string | string[] | null> | undefined) =>
  Object.entries(q ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");

async function send(req: { method: string; headers: Record<string, string>; query?: Record<string, string | string[] | null>; body?: unknown }, body?: string) {
  const q = queryOf(req.query);
  const res = await fetch(`${api.endpoint}/${q ? `?${q}` : ""}`, { method: req.method, headers: req.headers, body: body ?? (req.body as string | undefined) });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1], text, date: res.headers.get("date") };
}

/** Raw bytes on a socket: for bodies that disagree with their Content-Length. */
function rawExchange(bytes: string, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(api.port, "127.0.0.1", () => socket.write(bytes));
    let out = "";
    socket.on("data", (d) => (out += d.toString()));
    const done = () => resolve(out);
    socket.on("close", done);
    setTimeout(() => {
      socket.destroy();
    }, waitMs);
  });
}

const users = () => db().iamUser.count({ where: { accountId: DEV } });

describe("bad input at the API door", () => {
  it("answers a good request with a Date header accurate to the second", async () => {
    const r = await send(await signed("Action=GetCallerIdentity&Version=2011-06-15", { service: "sts" }));
    expect(r.status).toBe(200);
    expect(Math.abs(Date.parse(r.date!) - Date.now())).toBeLessThan(2000);
  });

  it("refuses unknown actions, a missing Action, missing parameters, malformed query strings and unsigned requests", async () => {
    expect(await send(await signed("Action=MakeCoffee&Version=2010-05-08"))).toMatchObject({ status: 400, code: "InvalidAction", message: "Could not find operation MakeCoffee for version 2010-05-08" });
    expect(await send(await signed("Version=2010-05-08"))).toMatchObject({ status: 400, code: "MissingAction" });
    expect(await send(await signed("Action=CreateUser&Version=2010-05-08"))).toMatchObject({
      status: 400,
      code: "ValidationError",
      message: expect.stringMatching(/^1 validation error detected: Value (null )?at 'userName' failed to satisfy constraint: Member must not be null$/),
    });
    expect(await send(await signed("Action=CreateUser&Version=2010-05-08&UserName=%zz"))).toMatchObject({ status: 400, code: "MalformedQueryString" });
    expect(await send({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=ListUsers&Version=2010-05-08" })).toMatchObject({
      status: 403,
      code: "MissingAuthenticationToken",
      message: "Request is missing Authentication Token",
    });
  });

  it("refuses oversized policy documents and bodies, writing nothing", async () => {
    const before = await users();
    const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "x".repeat(140_000) }] });
    const r = await send(await signed(`Action=PutUserPolicy&Version=2010-05-08&UserName=admin&PolicyName=big&PolicyDocument=${encodeURIComponent(big)}`));
    expect(r).toMatchObject({ status: 400, code: "ValidationError" });
    expect(r.message!.length).toBeLessThan(600);
    const huge = await send(await signed(`Action=CreateUser&Version=2010-05-08&UserName=huge&Path=/${"a".repeat(300_000)}/`));
    expect(huge).toMatchObject({ status: 413, code: "RequestEntityTooLarge" });
    expect(await users()).toBe(before);
    expect(await db().inlinePolicy.count({ where: { name: "big" } })).toBe(0);
  });

  it("answers a body shorter than its Content-Length with RequestTimeout, and a longer one without harm", async () => {
    const short = await rawExchange(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=ListUsers`);
    expect(short).toMatch(/^HTTP\/1\.1 400/);
    expect(short).toContain("<Code>RequestTimeout</Code>");
    const req = await signed("Action=GetCallerIdentity&Version=2011-06-15", { service: "sts" });
    const head = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join("\r\n");
    const longer = await rawExchange(`POST / HTTP/1.1\r\n${head}\r\nContent-Length: 20\r\nConnection: close\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15`);
    // The extra bytes are a malformed next request: Node's parser refuses them (400) and closes the connection.
    expect(longer).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect((await send(await signed("Action=GetCallerIdentity&Version=2011-06-15", { service: "sts" }))).status).toBe(200);
  });

  it("refuses presigned URLs used after expiry or with one byte changed, and requests signed 16 minutes ago", async () => {
    const query = { Action: "GetCallerIdentity", Version: "2011-06-15" };
    const url = await signed("", { service: "sts", method: "GET", query, presign: 60 });
    expect((await send(url)).status).toBe(200);
    const old = await signed("", { service: "sts", method: "GET", query, presign: 60, at: new Date(Date.now() - 61_000) });
    expect(await send(old)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch", message: expect.stringMatching(/^Signature expired: /) });
    const changed = { ...url, query: { ...url.query, "X-Amz-Signature": String(url.query!["X-Amz-Signature"]).replace(/^./, (c) => (c === "a" ? "b" : "a")) } };
    expect(await send(changed)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    const stale = await signed("Action=GetCallerIdentity&Version=2011-06-15", { service: "sts", at: new Date(Date.now() - 16 * 60_000) });
    expect(await send(stale)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch", message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than/) });
  });

  it("fuzz: random and mutated requests never get a 500 and the server keeps serving", async () => {
    const good = await signed("Action=ListUsers&Version=2010-05-08&MaxItems=1");
    const samples = fc.sample(
      fc.record({
        body: fc.oneof(fc.string({ maxLength: 200 }), fc.constant("Action=ListUsers&Version=2010-05-08&MaxItems=1"), fc.string({ unit: "binary", maxLength: 200 }).map((s) => `Action=CreateUser&${s}`)),
        auth: fc.oneof(fc.constant(good.headers.authorization!), fc.string({ maxLength: 300 }), fc.nat({ max: 200 }).map((i) => good.headers.authorization!.slice(0, i))),
        date: fc.oneof(fc.constant(good.headers["x-amz-date"]!), fc.string({ maxLength: 20 })),
        params: fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z.0-9]{1,30}$/), fc.string({ maxLength: 40 })), { maxLength: 8 }),
      }),
      150,
    );
    const statuses = new Set<number>();
    for (const s of samples) {
      const body = [s.body, ...s.params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join("&");
      const headers = { ...good.headers, authorization: s.auth.replace(/[^\x20-\x7e]/g, ""), "x-amz-date": s.date.replace(/[^\x20-\x7e]/g, "") };
      const r = await send({ method: "POST", headers }, body);
      statuses.add(r.status);
      expect(r.status, r.text).toBeLessThan(500);
      if (r.status !== 200) expect(r.code ?? "", r.text).toMatch(/^[A-Za-z]+$/);
    }
    expect([...statuses].every((s) => [200, 400, 403, 413].includes(s))).toBe(true);
    expect((await send(await signed("Action=GetCallerIdentity&Version=2011-06-15", { service: "sts" }))).status).toBe(200);
  });
});
