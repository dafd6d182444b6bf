// Security headers on every page, and clear 4xx answers (never a 500) for bad
// input: malformed percent-encoding, a foreign Origin, an oversized server
// action, and a '?deleted=' banner nobody earned.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { expectSignedInAs, signInAsUser } from "./helpers";

test("every page carries the security headers, Next's scripts carry the CSP nonce, and nothing is blocked", async ({ page, request }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  for (const path of ["/signin", "/iam", "/iam/users/no-such-user"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    expect(h["x-content-type-options"]).toBe("nosniff");
    // Plain HTTP here: no HSTS (it is sent over HTTPS only).
    expect(h["strict-transport-security"]).toBeUndefined();
  }
  const res = await request.get("/signin");
  const nonce = /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"]!)![1];
  expect(await res.text()).toContain(`nonce="${nonce}"`);

  // A real session with the policy editor (CodeMirror) loads under the policy without violations.
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await page.goto("/iam/policies/create");
  await expect(page.locator(".cm-editor").first()).toBeVisible();
  await page.goto("/iam/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("a page on another origin of the same host cannot frame the console", async ({ page, baseURL }) => {
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  const framer = http.createServer((_, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<h1>framer</h1><iframe id="f" src="${baseURL}/iam/users" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((r) => framer.listen(0, "127.0.0.1", r));
  try {
    // "localhost" is another origin than the console's 127.0.0.1, on another port.
    await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
    await expect(page.getByRole("heading", { name: "framer" })).toBeVisible();
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const framedText = frame ? await frame.locator("body").innerText().catch(() => "") : "";
    expect(framedText).not.toContain("Users");
  } finally {
    framer.close();
  }
});

test("bad input gets a clear 4xx, never a 500", async ({ page, request, baseURL }) => {
  const malformed = await request.get("/iam/users/%E0%A4%A", { maxRedirects: 0 });
  expect(malformed.status()).toBe(400);
  expect(await malformed.text()).toContain("malformed percent-encoding");

  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  // The S3 upload route, from another site: 403 AccessDenied, as server actions refuse it.
  const upload = await request.post("/s3/example-dev-scratch/upload?key=from-elsewhere.txt", {
    headers: { cookie: cookies, origin: "http://evil.example", "content-type": "text/plain" },
    data: "hello",
  });
  expect(upload.status()).toBe(403);
  expect(await upload.json()).toMatchObject({ ok: false, error: { code: "AccessDenied", message: expect.stringContaining("another site") } });
  const sameSite = await request.post("/s3/example-dev-scratch/upload?key=same-site.txt", {
    headers: { cookie: cookies, origin: baseURL!, "content-type": "text/plain" },
    data: "hello",
  });
  expect(sameSite.status()).toBe(200);

  // A server action from another site, and one over the body limit.
  const foreign = await request.post("/iam", { headers: { cookie: cookies, origin: "http://evil.example", "next-action": "0".repeat(42) }, data: "[]" });
  expect(foreign.status()).toBe(403);
  const big = await request.post("/iam", {
    headers: { cookie: cookies, origin: baseURL!, "next-action": "0".repeat(42), "content-type": "application/octet-stream" },
    data: Buffer.alloc(21 * 1024 * 1024),
  });
  expect(big.status()).toBe(413);
  expect(await big.text()).toContain("at most 20 MB");

  // '?deleted=' shows a banner only for something this person deleted.
  await page.goto("/iam/users?deleted=Your%20account%20was%20compromised.%20Call%20us");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByTestId("banner-success")).toHaveCount(0);
  await page.goto("/iam/users?deleted=alice");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByTestId("banner-success")).toHaveCount(0);
});
