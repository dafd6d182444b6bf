import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEV, expectSignedInAs, signInAsUser as signIn } from "./helpers";

/** Signs in and waits for the console, so the next navigation is signed in. */
async function signInAsUser(page: Page, name: string) {
  await signIn(page, name);
  await expectSignedInAs(page, name);
}

test("event history shows the sign-in and a denied request with its error code, filtered by event name", async ({ page }) => {
  await signInAsUser(page, "bob");
  // A request bob is refused: simulating a principal of another account.
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEMO_ACCOUNTS.prod.id}:role/ProdReadOnly`);
  await page.getByLabel("Action to add").fill("s3:ListBucket");
  await page.getByRole("button", { name: "Add action" }).click();
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("AccessDenied");

  await page.getByRole("link", { name: "Audit (CloudTrail)" }).click();
  await expect(page.getByRole("heading", { name: "Event history" })).toBeVisible();
  const events = page.getByRole("table", { name: "Events" });

  // Filter by event name: only the denied simulation.
  await page.getByLabel("Filter events").fill("SimulatePrincipalPolicy");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/q=SimulatePrincipalPolicy/);
  const denied = events.getByRole("row").filter({ hasText: "SimulatePrincipalPolicy" }).first();
  await expect(denied).toContainText("AccessDenied");
  await expect(denied).toContainText(`arn:aws:iam::${DEV.id}:user/bob`);
  await expect(events.getByRole("row").filter({ hasNotText: "SimulatePrincipalPolicy" })).toHaveCount(1); // the header row

  // The sign-in.
  await page.getByLabel("Filter events").fill("ConsoleLogin");
  await page.getByRole("button", { name: "Filter" }).click();
  const signIn = events.getByRole("row").filter({ hasText: "ConsoleLogin" }).filter({ hasText: "user/bob" }).first();
  await expect(signIn).toBeVisible();
  await expect(events.getByRole("row").filter({ hasNotText: "ConsoleLogin" })).toHaveCount(1);

  // Its whole record, as CloudTrail JSON.
  await signIn.getByRole("link", { name: "ConsoleLogin" }).click();
  await expect(page.getByRole("heading", { name: "ConsoleLogin" })).toBeVisible();
  const record = JSON.parse((await page.getByTestId("event-json").textContent()) ?? "{}");
  expect(record.eventName).toBe("ConsoleLogin");
  expect(record.eventSource).toBe("signin.amazonaws.com");
  expect(record.userIdentity.arn).toBe(`arn:aws:iam::${DEV.id}:user/bob`);
  expect(record.userIdentity.sessionContext.attributes.mfaAuthenticated).toBe("false");
  expect(record.recipientAccountId).toBe(DEV.id);
});

test("errors-only and a bad filter: a quick filter narrows the list, a typo is refused in words", async ({ page }) => {
  await signInAsUser(page, "admin");
  // A request that fails: simulating a user that does not exist.
  const ghost = `ghost-${Date.now()}`;
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEV.id}:user/${ghost}`);
  await page.getByLabel("Action to add").fill("s3:ListBucket");
  await page.getByRole("button", { name: "Add action" }).click();
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(page.getByTestId("banner-error")).toContainText(`NoSuchEntity`);

  await page.goto("/audit");
  await page.getByRole("link", { name: "Errors", exact: true }).click();
  await expect(page).toHaveURL(/q=error%3A\*/);
  const rows = page.getByRole("table", { name: "Events" }).getByRole("row");
  // Every listed event has an error code (header row aside).
  await expect(rows.filter({ hasText: "NoSuchEntity" }).first()).toBeVisible();
  const count = await rows.count();
  for (let i = 1; i < count; i++) await expect(rows.nth(i).getByRole("cell").last()).not.toHaveText("-");

  await page.getByLabel("Filter events").fill("access:sometimes");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("access: takes read or write, not sometimes.");
});
