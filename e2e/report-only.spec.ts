import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectSignedInAs, signInAsUser } from "./helpers";

// Report-only in the console: the admin turns it on (a confirmed, audited
// change), every page shows the banner, bob's (ReadOnlyAccess) denied change
// goes through and is marked as a would-be denial in the event history and its
// record; bob cannot turn it off; once the admin does, bob is refused again.

async function signedIn(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsUser(page, user);
  await expectSignedInAs(page, user);
  return page;
}

async function createGroup(page: Page, name: string) {
  await page.goto("/iam/groups/create");
  await page.getByLabel("User group name").fill(name);
  await page.getByRole("button", { name: "Create user group" }).click();
}

test("report-only: on with a banner, a denied change recorded as a would-be denial, off again", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await signedIn(browser, "admin");
  const bob = await signedIn(browser, "bob");
  await expect(admin.getByTestId("report-only-banner")).toHaveCount(0);

  // bob may not turn it on.
  await bob.goto("/audit/report-only");
  await expect(bob.getByTestId("report-only-state")).toContainText("Report-only is off");
  await bob.getByRole("button", { name: "Turn on report-only" }).click();
  await bob.getByRole("dialog").getByRole("textbox").fill("report-only");
  await bob.getByRole("dialog").getByRole("button", { name: "Turn on" }).click();
  await expect(bob.getByTestId("banner-error")).toContainText("iamlab:SetReportOnlyMode");

  await admin.goto("/audit/report-only");
  await admin.getByRole("button", { name: "Turn on report-only" }).click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog.getByRole("button", { name: "Turn on" })).toBeDisabled();
  await dialog.getByRole("textbox").fill("report-only");
  await dialog.getByRole("button", { name: "Turn on" }).click();
  await expect(admin.getByTestId("banner-success")).toContainText("Report-only is on");
  await expect(admin.getByTestId("report-only-state")).toContainText("Report-only is on");
  await admin.goto("/iam/users");
  await expect(admin.getByTestId("report-only-banner")).toContainText("Report-only is on for this account");

  // bob's change goes through, and the history marks it.
  await createGroup(bob, "ReportOnlyGroup");
  await expect(bob.getByTestId("banner-success")).toHaveText("User group ReportOnlyGroup created.", { timeout: 30_000 });
  await expect(bob.getByTestId("report-only-banner")).toBeVisible();
  await admin.goto("/audit?q=CreateGroup");
  const row = admin.getByRole("row").filter({ hasText: "user/bob" }).filter({ hasText: "CreateGroup" }).first();
  await expect(row.getByTestId("decision")).toHaveText("Would be denied");
  await row.getByRole("link", { name: "CreateGroup" }).click();
  await expect(admin.getByTestId("event-json")).toContainText('"wouldBeDenied": true');
  await expect(admin.getByTestId("event-json")).toContainText('"enforced": false');
  await expect(admin.getByText(/No identity-based policy allows it \(evaluated: .*ReadOnlyAccess/).first()).toBeVisible();

  // Off: the banner goes, bob is refused again.
  await admin.goto("/audit/report-only");
  await admin.getByRole("button", { name: "Turn off report-only" }).click();
  await expect(admin.getByTestId("banner-success")).toContainText("Report-only is off");
  await expect(admin.getByTestId("report-only-banner")).toHaveCount(0);
  await createGroup(bob, "ReportOnlyGroupAfter");
  await expect(bob.getByTestId("banner-error")).toContainText("AccessDenied", { timeout: 30_000 });
  await expect(bob.getByTestId("report-only-banner")).toHaveCount(0);
});
