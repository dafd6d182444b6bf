import { expect, test, type Page } from "@playwright/test";
import { DEV, expectSignedInAs, signInAsUser } from "./helpers";

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

async function rolesPage(page: Page) {
  await page.goto("/iam/roles");
  await expect(page.getByRole("heading", { name: "Roles", exact: true })).toBeVisible();
}

test("the roles list filters, sorts and says what to do when nothing matches", async ({ page }) => {
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await rolesPage(page);
  const table = page.getByRole("table", { name: "Roles" });
  await expect(table.getByRole("link", { name: "S3ElevatedAccess" })).toBeVisible();
  await expect(table.getByRole("row", { name: /S3ElevatedAccess/ })).toContainText("This account");

  await page.getByRole("searchbox", { name: "Filter roles by name" }).fill("elevated");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("list-count")).toHaveText("1-1 of 1");

  await page.getByRole("searchbox", { name: "Filter roles by name" }).fill("no-such-role-anywhere");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText('No roles match "no-such-role-anywhere"')).toBeVisible();
  await expect(page.getByTestId("list-count")).toHaveText("0-0 of 0");

  await page.goto("/iam/roles?sort=name&dir=desc");
  await expect(page.getByRole("columnheader", { name: /Role name/ })).toHaveAttribute("aria-sort", "descending");
});

test("the wizard creates a role trusting another account with MFA required, keeping what was typed when refused", async ({ page }) => {
  const name = unique("Partner");
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await rolesPage(page);
  await page.getByRole("link", { name: "Create role" }).click();
  await page.waitForLoadState("networkidle");

  // Step 1: another account, MFA required.
  await page.getByRole("radio", { name: /Another AWS account/ }).check();
  await page.getByLabel("Account ID", { exact: true }).fill("444455556666");
  await page.getByLabel("Require MFA").check();
  await page.getByText("Trust policy that will be written").click();
  await expect(page.getByTestId("trust-preview")).toContainText('"aws:MultiFactorAuthPresent": "true"');
  await expect(page.getByTestId("trust-preview")).toContainText("arn:aws:iam::444455556666:root");
  await page.getByRole("button", { name: "Next" }).click();

  // Step 2: a managed policy found by name.
  await page.getByRole("searchbox", { name: /Search permissions policies/ }).fill("SecurityAudit");
  await page.getByRole("checkbox", { name: /^SecurityAudit AWS managed/ }).check();
  await expect(page.getByText("Selected: SecurityAudit")).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();

  // Step 3: a bad name is refused under its field; what was typed stays.
  await page.getByLabel("Role name").fill("bad name");
  await page.getByLabel("Description").fill("Partner auditors");
  await page.getByLabel("Maximum session duration").selectOption("2");
  await page.getByLabel("Tag 1 key").fill("team");
  await page.getByLabel("Tag 1 value").fill("audit");
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page.getByLabel("Role name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Member must satisfy regular expression pattern: [\\w+=,.@-]+").first()).toBeVisible();
  await expect(page.getByLabel("Description")).toHaveValue("Partner auditors");

  await page.getByLabel("Role name").fill(name);
  await page.getByRole("button", { name: "Create role" }).click();

  await expect(page).toHaveURL(new RegExp(`/iam/roles/${name}`));
  await expect(page.getByTestId("banner-success")).toContainText(`Role ${name} created.`);
  await expect(page.getByTestId("arn")).toHaveText(`arn:aws:iam::${DEV.id}:role/${name}`);
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary).toContainText("2 hours");
  await expect(summary).toContainText("Account: 444455556666");
  await expect(page.getByRole("region", { name: /Permissions policies/ }).getByRole("link", { name: "SecurityAudit" })).toBeVisible();

  await page.getByRole("link", { name: "Trust relationships" }).click();
  await expect(page.locator(".cm-content")).toContainText("aws:MultiFactorAuthPresent");
  await page.getByRole("link", { name: "Tags" }).click();
  await expect(page.getByRole("table", { name: "Tags" })).toContainText("audit");
});

test("revoking active sessions writes AWSRevokeOlderSessions, and delete removes the role with its policies", async ({ page }) => {
  const name = unique("Revokable");
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await page.goto("/iam/roles/create");
  await page.waitForLoadState("networkidle");
  await page.getByRole("radio", { name: /AWS service/ }).check();
  await page.getByLabel("Service", { exact: true }).fill("ec2");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Role name").fill(name);
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page.getByTestId("banner-success")).toContainText(`Role ${name} created.`);
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("AWS service: ec2");

  // An EC2 role gets its instance profile, as the console does.
  await page.getByRole("link", { name: "Instance profiles" }).click();
  await expect(page.getByText(`arn:aws:iam::${DEV.id}:instance-profile/${name}`)).toBeVisible();

  await page.getByRole("link", { name: "Sessions" }).click();
  await page.getByRole("button", { name: "Revoke active sessions" }).click();
  // (Located by its heading: ConfirmDialog titles every dialog with the same element id.)
  const dialog = page.getByRole("dialog").filter({ has: page.getByRole("heading", { name: `Revoke active sessions of ${name}?` }) });
  await expect(dialog).toContainText("AWSRevokeOlderSessions");
  const confirm = dialog.getByRole("button", { name: "Revoke active sessions" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("To confirm, type revoke").fill("revoke");
  await confirm.click();
  await expect(page.getByTestId("banner-success")).toContainText("AWSRevokeOlderSessions now denies them");

  await page.getByRole("link", { name: "Permissions" }).click();
  await expect(page.getByRole("region", { name: /Inline policies/ })).toContainText("AWSRevokeOlderSessions");

  await page.getByRole("button", { name: "Delete" }).first().click();
  const del = page.getByRole("dialog").filter({ has: page.getByRole("heading", { name: `Delete ${name}?` }) });
  await expect(del).toContainText("1 inline policy deleted");
  await del.getByLabel(`To confirm, type ${name}`).fill(name);
  await del.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/iam\/roles\?deleted=/);
  await expect(page.getByTestId("banner-success")).toContainText(`Role ${name} deleted.`);
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});
