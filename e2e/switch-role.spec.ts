import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEV, expectSignedInAs, signInAsUser } from "./helpers";

const PROD = DEMO_ACCOUNTS.prod;

async function openAccountMenu(page: Page) {
  await page.getByText("Account menu").click();
}

test("alice switches into prod's ProdReadOnly from a switch-role link, sees the role's bar, and goes back", async ({ page }) => {
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");

  // AWS's link format prefills the form.
  await page.goto(`/switchrole?account=${PROD.id}&roleName=ProdReadOnly&displayName=Prod%20look&color=99BCE3`);
  await expect(page.getByLabel("Account ID or alias")).toHaveValue(PROD.id);
  await expect(page.getByLabel("IAM role name")).toHaveValue("ProdReadOnly");
  await expect(page.getByLabel("Display name")).toHaveValue("Prod look");
  await expect(page.getByLabel("Blue")).toBeChecked();
  await page.getByLabel("Green").check();
  await page.getByRole("button", { name: "Switch Role" }).click();

  const banner = page.getByTestId("role-banner");
  await expect(banner).toContainText("Prod look");
  await expect(banner).toContainText(PROD.alias);
  await expect(banner).toContainText(/\d+:\d\d left/);
  await expect(page.getByTestId("top-bar")).toHaveCSS("background-color", "rgb(21, 128, 61)");
  await expectSignedInAs(page, "ProdReadOnly/alice");
  await expect(page.getByTestId("identity")).toContainText(PROD.id);

  // Acting as the role: ReadOnlyAccess may list prod's roles, and lists prod's, not dev's.
  await page.goto("/iam/roles");
  await expect(page.getByRole("link", { name: "ProdReadOnly" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create role" })).toBeVisible();

  await page.getByRole("button", { name: "Back to alice" }).click();
  await expect(page.getByTestId("role-banner")).toHaveCount(0);
  await expectSignedInAs(page, "alice");
  await expect(page.getByTestId("identity")).toContainText(DEV.id);

  // The role history switches back in with one click, with the chosen name and colour.
  await openAccountMenu(page);
  const recent = page.getByRole("list", { name: "Recent roles" });
  await expect(recent.getByRole("button")).toHaveCount(1);
  await recent.getByRole("button", { name: /Prod look/ }).click();
  await expect(page.getByTestId("role-banner")).toContainText("Prod look");
  await expect(page.getByTestId("top-bar")).toHaveCSS("background-color", "rgb(21, 128, 61)");
  await page.getByRole("button", { name: "Back to alice" }).click();
  await expectSignedInAs(page, "alice");
});

test("alice switches by account alias into staging; the role history lists the newest first", async ({ page }) => {
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");
  await page.goto("/switchrole");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Account ID or alias").fill(DEMO_ACCOUNTS.staging.alias);
  await page.getByLabel("IAM role name").fill("StagingDeveloper");
  await page.getByRole("button", { name: "Switch Role" }).click();
  await expect(page.getByTestId("role-banner")).toContainText(`StagingDeveloper @ ${DEMO_ACCOUNTS.staging.alias}`);
  await openAccountMenu(page);
  const names = page.getByRole("list", { name: "Recent roles" }).getByRole("button");
  await expect(names.first()).toContainText("StagingDeveloper");
  await page.getByText("Account menu").click();
  await page.getByRole("button", { name: "Back to alice" }).click();
  await expectSignedInAs(page, "alice");
});

test("bob may not assume a role: AWS's AccessDenied in the red banner, and what he typed stays", async ({ page }) => {
  await signInAsUser(page, "bob");
  await expectSignedInAs(page, "bob");
  await page.goto("/switchrole");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Account ID or alias").fill(PROD.alias);
  await page.getByLabel("IAM role name").fill("ProdReadOnly");
  await page.getByRole("button", { name: "Switch Role" }).click();
  const error = page.getByTestId("banner-error");
  await expect(error).toContainText("AccessDenied");
  await expect(error).toContainText(`User: arn:aws:iam::${DEV.id}:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${PROD.id}:role/ProdReadOnly`);
  await expect(error.getByRole("link", { name: "Why?" })).toBeVisible();
  await expect(page.getByLabel("Account ID or alias")).toHaveValue(PROD.alias);
  await expectSignedInAs(page, "bob");
  await expect(page.getByTestId("role-banner")).toHaveCount(0);
});

test("the form checks its fields before asking AWS", async ({ page }) => {
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");
  await page.goto("/switchrole");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Account ID or alias").fill("Not an alias!");
  await page.getByLabel("IAM role name").fill("bad role");
  await page.getByRole("button", { name: "Switch Role" }).click();
  await expect(page.getByLabel("Account ID or alias")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("IAM role name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-roleName-error")).toHaveText("Use letters, digits and +=,.@_- (and / for a path).");
  await expect(page.getByTestId("banner-error")).toContainText("ValidationError");
  await expect(page.getByLabel("IAM role name")).toHaveValue("bad role");
});
