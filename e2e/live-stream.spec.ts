import { expect, test, type Browser, type Page } from "@playwright/test";
import { aws, type Creds } from "../lib/aws/scenarios/cli";
import { DEV, expectSignedInAs, signInAsUser } from "./helpers";

// The live policy stream: open it as the admin, then make requests as bob
// (ReadOnlyAccess) from another browser and from the AWS CLI; each appears with
// the permission it needed, the decision and the deciding statement.

const API = `http://127.0.0.1:${process.env.IAMLAB_API_PORT ?? 4566}`;

async function signedIn(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsUser(page, user);
  await expectSignedInAs(page, user);
  return page;
}

/** Admin creates an access key for bob; the secret is read off the page once. */
async function keyFor(page: Page, user: string): Promise<Creds> {
  await page.goto(`/iam/users/${user}?tab=credentials`);
  await page.getByRole("button", { name: "Create access key" }).click();
  const created = page.getByTestId("new-access-key");
  await created.getByRole("button", { name: "Show" }).click();
  const accessKeyId = (await created.locator("p code").innerText()).trim();
  const secretAccessKey = (await created.getByTestId("secret-secret-access-key").innerText()).trim();
  expect(accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  return { accessKeyId, secretAccessKey };
}

const rowOf = (stream: Page, eventName: string, outcome: string) =>
  stream.getByTestId("stream-row").filter({ has: stream.locator(`[data-outcome="${outcome}"]`) }).and(stream.locator(`[data-event-name="${eventName}"]`));

test("requests from another browser and from the AWS CLI appear live with their decision and deciding statement", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await signedIn(browser, "admin");
  const bobKey = await keyFor(await admin.context().newPage(), "bob");
  await admin.goto("/audit/live");
  await expect(admin.getByRole("heading", { name: "Live policy stream" })).toBeVisible();
  await expect(admin.getByTestId("stream-status")).toContainText("Live", { timeout: 20_000 });

  // From another browser: a denied console action and an allowed page read.
  const bob = await signedIn(browser, "bob");
  await bob.goto("/iam/groups/create");
  await bob.getByLabel("User group name").fill("LiveStreamGroup");
  await bob.getByRole("button", { name: "Create user group" }).click();
  await expect(bob.getByTestId("banner-error")).toContainText("AccessDenied");
  const denied = rowOf(admin, "CreateGroup", "denied").first();
  await expect(denied).toBeVisible({ timeout: 20_000 });
  await expect(denied).toContainText("iam:CreateGroup");
  await expect(denied).toContainText(`arn:aws:iam::${DEV.id}:group/LiveStreamGroup`);
  await expect(denied.getByTestId("deciding-statement")).toContainText("No identity-based policy allows it (evaluated: ");
  await expect(denied.getByTestId("deciding-statement")).toContainText("ReadOnlyAccess");
  await bob.goto("/iam/users/bob");
  const allowed = rowOf(admin, "GetUser", "allowed").filter({ hasText: `user/bob` }).first();
  await expect(allowed).toBeVisible({ timeout: 20_000 });
  // The first statement that allows it: bob's own-credentials policy, by its Sid.
  await expect(allowed.getByTestId("deciding-statement")).toContainText(`an identity-based policy: ManageOwnCredentials (arn:aws:iam::${DEV.id}:policy/ManageOwnCredentials), Sid AllowManageOwnPasswords`);

  // From the AWS CLI: denied and allowed, with the CLI's own requests.
  const refused = await aws(API, bobKey, "iam", "create-group", "--group-name", "CliStreamGroup");
  expect(refused.stderr).toContain("AccessDenied");
  const listed = await aws(API, bobKey, "iam", "list-groups");
  expect(listed.code).toBe(0);
  const cliDenied = rowOf(admin, "CreateGroup", "denied").filter({ hasText: "group/CliStreamGroup" });
  await expect(cliDenied).toBeVisible({ timeout: 20_000 });
  await expect(cliDenied.getByTestId("deciding-statement")).toContainText("ReadOnlyAccess");
  const cliAllowed = rowOf(admin, "ListGroups", "allowed").first();
  await expect(cliAllowed).toBeVisible({ timeout: 20_000 });
  await expect(cliAllowed).toContainText("iam:ListGroups");

  // Filter by principal: only bob's requests; pause holds new ones until resumed.
  await admin.getByLabel("Principal").fill("bob");
  await admin.getByRole("button", { name: "Apply filter" }).click();
  await expect(admin.getByTestId("stream-status")).toContainText('principals matching "bob"', { timeout: 20_000 });
  await admin.getByRole("button", { name: "Pause" }).click();
  await aws(API, bobKey, "iam", "get-user", "--user-name", "bob");
  await expect(admin.getByTestId("stream-status")).toContainText(/Paused: [1-9]\d* new request/, { timeout: 20_000 });
  await expect(rowOf(admin, "GetUser", "allowed")).toHaveCount(0);
  await admin.getByRole("button", { name: /Resume/ }).click();
  await expect(rowOf(admin, "GetUser", "allowed").first()).toBeVisible();
  for (const arn of await admin.getByTestId("stream-row").locator("td:nth-child(2)").allInnerTexts()) expect(arn).toContain("bob");
});

test("the stream refuses a principal without cloudtrail:LookupEvents", async ({ request }) => {
  const r = await request.get("/audit/live/stream", { maxRedirects: 0 });
  expect([401, 403, 307, 302]).toContain(r.status());
});
