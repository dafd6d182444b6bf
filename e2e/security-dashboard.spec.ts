import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { completeMfaAssignment, DEV, signInAsUser } from "./helpers";

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = "E2e-Dashboard-Passw0rd!";

async function createConsoleUser(page: Page, name: string) {
  await page.goto("/iam/users/create");
  await page.getByLabel("User name", { exact: true }).fill(name);
  await page.getByLabel("Provide user access to the AWS Management Console").check();
  await page.getByLabel("Custom password", { exact: true }).check();
  await page.getByRole("textbox", { name: "Custom password" }).fill(PASSWORD);
  await page.getByLabel("Users must create a new password at next sign-in (recommended)").uncheck();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User ${name} created.`);
}

test("a console user without MFA appears on the dashboard's findings, and is gone once an MFA device is assigned", async ({ page }) => {
  test.setTimeout(240_000);
  const name = unique("e2e-nomfa");
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await createConsoleUser(page, name);

  await page.goto("/iam");
  const finding = page.getByTestId("finding-console-users-without-mfa");
  await expect(finding).toContainText("Users with console access and no MFA");
  expect(Number(await finding.getAttribute("data-count"))).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole("img", { name: /Active access keys by age/ })).toBeVisible();
  await finding.getByRole("link", { name: /Review and fix/ }).click();
  await expect(page).toHaveURL(/\/iam\/security-findings\/console-users-without-mfa$/);
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();

  // Fix it: assign a virtual MFA device to the user.
  await page.getByRole("link", { name, exact: true }).click();
  await page.goto(`/iam/users/${encodeURIComponent(name)}?tab=credentials`);
  await page.getByRole("button", { name: "Assign MFA device" }).click();
  await completeMfaAssignment(page);

  await page.goto("/iam/security-findings/console-users-without-mfa");
  await expect(page.getByRole("heading", { name: "Users with console access and no MFA" })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("the credential report downloads as AWS's CSV from IAM > Credential report", async ({ page }) => {
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Credential report" }).click();
  await expect(page.getByRole("heading", { name: "Credential report" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download credential report" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^credential-report-${DEV.id}-.*\\.csv$`));
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.trimEnd().split("\n");
  expect(lines[0]).toBe(
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
      "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
      "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
      "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated",
  );
  expect(lines[1]).toMatch(new RegExp(`^<root_account>,arn:aws:iam::${DEV.id}:root,\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00,not_supported,`));
  // admin signed in with a password just now; erin has an MFA device.
  expect(lines.find((l) => l.startsWith("admin,"))).toMatch(new RegExp(`^admin,arn:aws:iam::${DEV.id}:user/admin,[^,]+,true,\\d{4}-[^,]+\\+00:00,`));
  expect(lines.find((l) => l.startsWith("erin,"))?.split(",")[7]).toBe("true");
  expect(lines.every((l) => l.split(",").length === 22)).toBe(true);
});
