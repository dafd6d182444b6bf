import { expect, test, type APIRequestContext } from "@playwright/test";
import { signInAsUser } from "./helpers";

// A server action is a public HTTP endpoint: whoever has a captured request can
// replay it. The action itself must decide who may act, not the page that shows the form.

test("a captured create-user action replayed with an ended session, or with a read-only user's session, creates nothing", async ({ page, browser, baseURL }) => {
  const name = `e2e-replay-${Date.now().toString(36)}`;
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/iam/users/create");
  await page.getByLabel("User name", { exact: true }).fill(name);

  // Capture the real request the form makes, and keep it from reaching the server.
  let captured: { url: string; headers: Record<string, string>; body: Buffer } | null = null;
  await page.route("**/iam/users/create", async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"]) {
      captured = { url: request.url(), headers: await request.allHeaders(), body: request.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await page.getByRole("button", { name: "Create user" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  await page.unrouteAll();
  const { url, headers, body } = captured!;
  expect(body.toString("utf8")).toContain(name);

  const replay = (ctx: APIRequestContext) => {
    const h = Object.fromEntries(Object.entries(headers).filter(([k]) => !["cookie", "content-length", "host"].includes(k.toLowerCase())));
    return ctx.post(url, { headers: h, data: body, maxRedirects: 0 });
  };

  // (a) A session that has ended: its cookie is still well-formed, so proxy.ts
  // (which only reads it) lets the request through, and the action's own
  // check must refuse it.
  const ended = await browser.newContext({ baseURL });
  const endedPage = await ended.newPage();
  await signInAsUser(endedPage, "admin");
  await expect(endedPage).toHaveURL(/\/iam$/);
  const cookies = await ended.cookies();
  await endedPage.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(endedPage).toHaveURL(/\/signin/);
  await ended.clearCookies();
  await ended.addCookies(cookies);
  const anon = await replay(ended.request);
  expect(anon.status(), "the proxy must let a well-formed cookie through to the action").not.toBe(307);
  expect(await anon.text()).toContain("You are not signed in");
  await ended.close();

  // (b) bob's session (ReadOnlyAccess): the gate refuses iam:CreateUser.
  const bobContext = await browser.newContext({ baseURL });
  const bobPage = await bobContext.newPage();
  await signInAsUser(bobPage, "bob");
  await expect(bobPage).toHaveURL(/\/iam$/);
  const asBob = await replay(bobContext.request);
  const bobText = await asBob.text();
  expect(bobText).toContain("AccessDenied");
  expect(bobText).toContain(`is not authorized to perform: iam:CreateUser`);
  await bobContext.close();

  // Nothing was created: the administrator's list does not have the user.
  await page.goto(`/iam/users?q=${name}`);
  await expect(page.getByText(`No user name contains "${name}".`)).toBeVisible();

  // The same request with the administrator's own session does create it: the
  // replay itself is sound, so the refusals above came from the action's checks.
  const asAdmin = await replay(page.request);
  expect(await asAdmin.text()).not.toContain("AccessDenied");
  await page.goto(`/iam/users?q=${name}`);
  await expect(page.getByRole("table", { name: "Users" }).getByRole("link", { name, exact: true })).toBeVisible();
});
