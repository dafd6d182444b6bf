import { expect, test, type Page } from "@playwright/test";
import { completeMfaAssignment, DEMO_ACCOUNTS, DEV, expectSignedInAs, signInAsRoot, signInAsUser } from "./helpers";

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const STAGING = DEMO_ACCOUNTS.staging;
const PROD = DEMO_ACCOUNTS.prod;

async function createUserWithPolicy(page: Page, name: string, password: string, policy: string) {
  await page.goto("/iam/users/create");
  await page.getByLabel("User name", { exact: true }).fill(name);
  await page.getByLabel("Provide user access to the AWS Management Console").check();
  await page.getByLabel("Custom password", { exact: true }).check();
  await page.getByRole("textbox", { name: "Custom password" }).fill(password);
  await page.getByLabel("Users must create a new password at next sign-in (recommended)").uncheck();
  await page.getByLabel("Attach policies directly").check();
  await page.getByLabel("Permissions policies (up to 10)").fill(policy);
  await page.getByRole("checkbox", { name: policy, exact: true }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User ${name} created.`);
}

test("a user changes their own password as IAMUserChangePassword allows, and nothing more", async ({ page }) => {
  const name = unique("e2e-self");
  const first = "E2e-First-Passw0rd!";
  const second = "E2e-Second-Passw0rd!";
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await createUserWithPolicy(page, name, first, "IAMUserChangePassword");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();

  await signInAsUser(page, name, DEV.id, first);
  await expectSignedInAs(page, name);
  await page.goto("/iam/security-credentials");
  await expect(page.getByRole("heading", { name: "My security credentials" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /password policy/ })).toBeVisible();

  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password", { exact: true }).fill(second);
  await page.getByLabel("Confirm new password").fill(second);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("The old password is incorrect.");
  // What was typed stays.
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue(second);

  await page.getByLabel("Current password").fill(first);
  await page.getByLabel("Confirm new password").fill("something-else");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The new password and its confirmation do not match.")).toBeVisible();

  await page.getByLabel("New password", { exact: true }).fill("alllowercaseletters");
  await page.getByLabel("Confirm new password").fill("alllowercaseletters");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("PasswordPolicyViolation");

  await page.getByLabel("New password", { exact: true }).fill(second);
  await page.getByLabel("Confirm new password").fill(second);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Your password has been changed.");

  // IAMUserChangePassword does not let the user list its own access keys: the section says so, and "Why?"
  // explains it in place (the user may not simulate, so there is no link to a simulator that would refuse).
  const denied = page.getByTestId("error-panel").first();
  await expect(denied).toContainText("iam:ListAccessKeys");
  await expect(denied.getByRole("link", { name: /Why\?/ })).toHaveCount(0);
  await denied.getByText("Why?", { exact: true }).click();
  await expect(denied.getByTestId("why-denied")).toContainText("Implicitly denied: no identity-based policy allows iam:ListAccessKeys");
  await expect(denied.getByTestId("why-denied")).toContainText("(evaluated: IAMUserChangePassword");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await signInAsUser(page, name, DEV.id, second);
  await expectSignedInAs(page, name);
});

test("the root user manages its own access keys and MFA device", async ({ page }) => {
  await signInAsRoot(page, STAGING.rootEmail);
  await expect(page).toHaveURL(/\/iam$/);
  await expectSignedInAs(page, "root");
  await page.goto("/iam/security-credentials");
  await expect(page.getByTestId("arn")).toHaveText(`arn:aws:iam::${STAGING.id}:root`);

  await page.getByRole("button", { name: "Create access key" }).click();
  const created = page.getByTestId("new-access-key");
  await expect(created.getByRole("link", { name: "Download root_accessKeys.csv" })).toBeVisible();
  const keyId = (await created.locator("p code").innerText()).trim();
  expect(keyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(keyId) });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Make it inactive before deleting.");
  await page.getByRole("button", { name: `Make inactive ${keyId}` }).click();
  await expect(row).toContainText("Inactive");
  await page.getByRole("button", { name: `Delete ${keyId}` }).click();
  const dialog = page.getByRole("dialog").filter({ hasText: "Delete access key?" });
  await dialog.getByRole("textbox").fill(keyId);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("cell", { name: keyId })).toHaveCount(0);

  // MFA for root: assign, then remove again (other tests sign in as this root without MFA).
  await page.getByRole("button", { name: "Assign MFA device" }).click();
  await expect(page.getByLabel("Device name")).toHaveValue("root-account-mfa-device");
  await completeMfaAssignment(page);
  const serial = `arn:aws:iam::${STAGING.id}:mfa/root-account-mfa-device`;
  await expect(page.getByRole("cell", { name: serial })).toBeVisible();

  await page.getByRole("button", { name: "Remove root-account-mfa-device" }).click();
  const remove = page.getByRole("dialog").filter({ hasText: "Remove MFA device?" });
  await remove.getByRole("textbox").fill("root-account-mfa-device");
  await remove.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("banner-success").filter({ hasText: "MFA device removed." })).toBeVisible();
  await expect(page.getByRole("cell", { name: serial })).toHaveCount(0);
});

test("the account password policy takes every AWS option within AWS's ranges", async ({ page }) => {
  await signInAsRoot(page, PROD.rootEmail);
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/iam/account-settings");
  await expect(page.getByTestId("account-alias")).toHaveText(PROD.alias);
  const form = page.getByRole("form", { name: "Password policy" });

  await form.getByLabel("Minimum password length").fill("5");
  await form.getByRole("button", { name: "Save password policy" }).click();
  // The error sits under its field, tied to it for screen readers.
  await expect(form.getByLabel("Minimum password length")).toHaveAccessibleDescription(/Member must have value greater than or equal to 6/);

  await form.getByLabel("Minimum password length").fill("14");
  await form.getByLabel("Require at least one number (0-9)").check();
  await form.getByLabel("Turn on password expiration").check();
  await form.getByLabel("Expire passwords in (days)").fill("1096");
  await form.getByRole("button", { name: "Save password policy" }).click();
  await expect(form.getByLabel("Expire passwords in (days)")).toHaveAccessibleDescription(/Member must have value less than or equal to 1095/);

  await form.getByLabel("Expire passwords in (days)").fill("90");
  await form.getByLabel("Prevent password reuse").check();
  await form.getByLabel("Remember previous passwords").fill("24");
  await form.getByRole("button", { name: "Save password policy" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Password policy saved.");
  const current = page.locator("#current-policy");
  await expect(current).toContainText("At least 14 characters");
  await expect(current).toContainText("At least one number (0-9)");
  await expect(current).toContainText("Expires after 90 days");
  await expect(current).toContainText("Not one of your last 24 passwords");

  await page.getByRole("button", { name: "Use the default policy" }).click();
  const dialog = page.getByRole("dialog").filter({ hasText: "Delete the custom password policy?" });
  await dialog.getByRole("textbox").fill("delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("heading", { name: /The default password policy/ })).toBeVisible();
});

test("a read-only user sees the password policy but cannot change it", async ({ page }) => {
  await signInAsUser(page, "bob");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/iam/account-settings");
  const form = page.getByRole("form", { name: "Password policy" });
  await form.getByLabel("Minimum password length").fill("20");
  await form.getByRole("button", { name: "Save password policy" }).click();
  const refused = page.getByTestId("banner-error");
  await expect(refused).toContainText("AccessDenied");
  await expect(refused).toContainText("iam:UpdateAccountPasswordPolicy");
  await page.reload();
  await expect(page.locator("#current-policy")).not.toContainText("At least 20 characters");
});

test("an abandoned MFA setup does not block the name: it is listed as unassigned, replaced by the next setup, and can be deleted", async ({ page }) => {
  await signInAsUser(page, "bob");
  await expectSignedInAs(page, "bob");
  await page.goto("/iam/security-credentials");
  const serial = `arn:aws:iam::${DEV.id}:mfa/bob`;
  // Step 1 creates the device; leaving before the codes abandons it.
  await page.getByRole("button", { name: "Assign MFA device" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("img", { name: "QR code for the virtual MFA device" })).toBeVisible();
  await page.reload();
  const unassigned = page.getByRole("region", { name: "Unassigned virtual MFA devices" });
  await expect(unassigned).toContainText(serial);

  // The same default name again: the abandoned device is replaced, not EntityAlreadyExists.
  await page.getByRole("button", { name: "Assign MFA device" }).click();
  await expect(page.getByLabel("Device name")).toHaveValue("bob");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("img", { name: "QR code for the virtual MFA device" })).toBeVisible();
  await expect(page.getByTestId("banner-error")).toHaveCount(0);
  await page.reload();

  // And it can be deleted.
  await unassigned.getByRole("button", { name: "Delete unassigned bob" }).click();
  const dialog = page.getByRole("dialog").filter({ hasText: "Delete unassigned MFA device?" });
  await dialog.getByRole("textbox").fill("bob");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("banner-success").filter({ hasText: "Unassigned MFA device deleted." })).toBeVisible();
  await expect(page.getByRole("region", { name: "Unassigned virtual MFA devices" })).toHaveCount(0);
});
