import { expect, test, type Page } from "@playwright/test";
import { codeAt, currentStep } from "../lib/crypto/totp";
import { DEMO_PASSWORD, DEV, expectSignedInAs, signInAsUser } from "./helpers";

// Each test creates its own uniquely named users: the database is shared by the run.
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const USER_PASSWORD = "E2e-User-Passw0rd!";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** The create-user wizard, as an administrator fills it in. */
async function createUser(page: Page, name: string, options: { password?: string; policy?: string } = {}) {
  await page.goto("/iam/users/create");
  await page.getByLabel("User name", { exact: true }).fill(name);
  if (options.password) {
    await page.getByLabel("Provide user access to the AWS Management Console").check();
    await page.getByLabel("Custom password", { exact: true }).check();
    await page.getByRole("textbox", { name: "Custom password" }).fill(options.password);
    await page.getByLabel("Users must create a new password at next sign-in (recommended)").uncheck();
  }
  if (options.policy) {
    await page.getByLabel("Attach policies directly").check();
    await page.getByLabel("Permissions policies (up to 10)").fill(options.policy);
    await page.getByRole("checkbox", { name: options.policy, exact: true }).check();
  }
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User ${name} created.`);
}

async function openCredentials(page: Page, name: string) {
  await page.goto(`/iam/users/${encodeURIComponent(name)}?tab=credentials`);
  await expect(page.getByRole("heading", { name: /^Access keys/ })).toBeVisible();
}

test("newhire must change the password before the console opens; the policy's violated rule is named", async ({ page }) => {
  await signInAsUser(page, "newhire");
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  // The console itself stays closed until the password is changed.
  await page.goto("/iam/users");
  await expect(page).toHaveURL(/\/change-password$/);

  await page.getByLabel("Current password").fill(DEMO_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Confirm new password").fill("short");
  await page.getByRole("button", { name: "Change password" }).click();
  const refused = page.getByTestId("banner-error");
  await expect(refused).toContainText("PasswordPolicyViolation");
  // The rule broken is named, as the policy shown on the page states it.
  const minimum = (await page.locator("#password-policy li").first().innerText()).match(/At least (\d+) characters/)?.[1];
  expect(minimum).toBeTruthy();
  await expect(refused).toContainText(`it must be at least ${minimum} characters long`);
  await expect(page).toHaveURL(/\/change-password$/);

  await page.getByLabel("New password", { exact: true }).fill("Newhire-Changed-2026!");
  await page.getByLabel("Confirm new password").fill("Newhire-Changed-2026!");
  await page.getByRole("button", { name: "Change password" }).click();
  // newhire lands on a page open to it, which says what just happened (the IAM dashboard would refuse it).
  await expect(page).toHaveURL(/\/\?from=password-changed$/);
  await expect(page.getByRole("heading", { name: "Console Home" })).toBeVisible();
  await expect(page.getByTestId("landing-confirmation")).toContainText("Password changed. You are signed in as newhire");
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
  await expectSignedInAs(page, "newhire");

  // The new password is the one that works now.
  await signOut(page);
  await signInAsUser(page, "newhire", DEV.id, "Newhire-Changed-2026!");
  await expect(page.getByTestId("landing-confirmation")).toContainText("Signed in as newhire");
});

test("the users list filters, sorts and links to each user", async ({ page }) => {
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/iam/users");
  const table = page.getByRole("table", { name: "Users" });
  await expect(table.getByRole("link", { name: "alice", exact: true })).toBeVisible();
  await expect(page.getByTestId("list-count")).toHaveText(/^1-\d+ of \d+$/);

  await page.getByLabel("Filter users by name").fill("bo");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/q=bo/);
  await expect(table.getByRole("link", { name: "bob", exact: true })).toBeVisible();
  await expect(table.getByRole("link", { name: "alice", exact: true })).toHaveCount(0);

  await page.getByLabel("Filter users by name").fill("no-such-user-anywhere");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText('No user name contains "no-such-user-anywhere".')).toBeVisible();

  await page.goto("/iam/users?sort=name&dir=desc");
  const names = await page.getByRole("table", { name: "Users" }).locator("tbody tr td:first-child").allInnerTexts();
  expect(names.length).toBeGreaterThan(2);
  expect([...names].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase()))).toEqual(names);

  await table.getByRole("link", { name: "alice", exact: true }).click();
  await expect(page.getByRole("heading", { name: "alice", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("IAM›Users›alice");
  await expect(page.getByTestId("arn")).toHaveText(`arn:aws:iam::${DEV.id}:user/alice`);
  // Permissions inherited from the Developers group.
  await expect(page.getByRole("heading", { name: "Group Developers" })).toBeVisible();
  await expect(page.getByText("PowerUserAccess", { exact: true })).toBeVisible();
});

test("a new user with a custom password and an access key sees only what its policy allows", async ({ page }) => {
  const name = unique("e2e-reader");
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await createUser(page, name, { password: USER_PASSWORD, policy: "ReadOnlyAccess" });
  // A typed password is never shown back.
  await expect(page.getByText("Console password", { exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: `View user ${name}` }).click();
  await expect(page.getByText("ReadOnlyAccess", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Security credentials", exact: true }).click();
  await page.getByRole("button", { name: "Create access key" }).click();
  const created = page.getByTestId("new-access-key");
  await expect(created).toBeVisible();
  const secret = created.getByTestId("secret-secret-access-key");
  await expect(secret).toHaveText(/^•+$/);
  await created.getByRole("button", { name: "Show" }).click();
  await expect(secret).toHaveText(/^[A-Za-z0-9/+]{40}$/);
  const download = created.getByRole("link", { name: `Download ${name}_accessKeys.csv` });
  const href = decodeURIComponent((await download.getAttribute("href")) ?? "");
  expect(href).toContain("Access key ID,Secret access key\nAKIA");
  expect(href).toContain(await secret.innerText());
  await expect(page.getByText(/Never share a secret access key/)).toBeVisible();

  // Shown once: a reload has the key but not its secret.
  await page.reload();
  await expect(page.getByTestId("new-access-key")).toHaveCount(0);
  await expect(page.getByRole("cell", { name: /^AKIA/ })).toHaveCount(1);

  await signOut(page);
  await signInAsUser(page, name, DEV.id, USER_PASSWORD);
  await expectSignedInAs(page, name);
  await page.goto("/iam/users");
  await expect(page.getByRole("table", { name: "Users" }).getByRole("link", { name: "admin", exact: true })).toBeVisible();

  await page.goto("/iam/users/create");
  const refusedName = unique("e2e-refused");
  await page.getByLabel("User name", { exact: true }).fill(refusedName);
  await page.getByRole("button", { name: "Create user" }).click();
  const refused = page.getByTestId("banner-error");
  await expect(refused).toContainText("AccessDenied");
  await expect(refused).toContainText(`is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${DEV.id}:user/${refusedName}`);
  await expect(refused.getByRole("link", { name: "Why?" })).toHaveAttribute("href", /\/simulator\?.*action=iam%3ACreateUser/);
  // What was typed is kept.
  await expect(page.getByLabel("User name", { exact: true })).toHaveValue(refusedName);
  await page.goto(`/iam/users?q=${refusedName}`);
  await expect(page.getByText(`No user name contains "${refusedName}".`)).toBeVisible();
});

test("a virtual MFA device is assigned with two consecutive codes, then the user signs in with it", async ({ page }) => {
  const name = unique("e2e-mfa");
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await createUser(page, name, { password: USER_PASSWORD });
  await openCredentials(page, name);
  await page.getByRole("button", { name: "Assign MFA device" }).click();
  await expect(page.getByLabel("Device name")).toHaveValue(name);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("img", { name: "QR code for the virtual MFA device" })).toBeVisible();
  const secretBox = page.getByTestId("secret-secret-key");
  await expect(secretBox).toHaveText(/^•+$/);
  await page.getByRole("button", { name: "Show" }).click();
  const seed = (await secretBox.innerText()).trim();
  expect(seed).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong pair is refused with AWS's message.
  await page.getByLabel("MFA code 1").fill("000000");
  await page.getByLabel("MFA code 2").fill("000000");
  await page.getByRole("button", { name: "Add MFA" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("InvalidAuthenticationCode");

  const step = currentStep();
  await page.getByLabel("MFA code 1").fill(codeAt(seed, step - 1));
  await page.getByLabel("MFA code 2").fill(codeAt(seed, step));
  await page.getByRole("button", { name: "Add MFA" }).click();
  await expect(page.getByTestId("banner-success").filter({ hasText: "MFA device assigned" })).toBeVisible();
  await expect(page.getByRole("cell", { name: `arn:aws:iam::${DEV.id}:mfa/${name}` })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Multi-factor authentication \(MFA\)/ })).toContainText("(1 of 8)");

  await signOut(page);
  await signInAsUser(page, name, DEV.id, USER_PASSWORD);
  await expect(page.getByRole("heading", { name: "Multi-factor authentication" })).toBeVisible();
  // The codes used to activate the device do not sign in; the next one does.
  await page.getByLabel("MFA code").fill(codeAt(seed, step));
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("MFA code is not valid");
  await page.getByLabel("MFA code").fill(codeAt(seed, step + 1));
  await page.getByRole("button", { name: "Submit" }).click();
  await expectSignedInAs(page, name);

  // Without any policy the users list is refused, and the page says so instead of failing.
  await page.goto("/iam/users");
  const panel = page.getByTestId("error-panel");
  await expect(panel).toContainText("You don't have permission to see this");
  await expect(panel).toContainText("iam:ListUsers");
  // No policy, so no simulator either: "Why?" explains in place.
  await expect(panel.getByRole("link", { name: /Why\?/ })).toHaveCount(0);
  await panel.getByText("Why?", { exact: true }).click();
  await expect(panel.getByTestId("why-denied")).toContainText("Implicitly denied: no identity-based policy allows iam:ListUsers");
});

test("an access key is rotated step by step, and the rotation resumes after a reload and in another tab", async ({ page, context }) => {
  test.setTimeout(180_000);
  const name = unique("e2e-rotate");
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await createUser(page, name);
  await openCredentials(page, name);
  await page.getByRole("button", { name: "Create access key" }).click();
  await expect(page.getByTestId("new-access-key")).toBeVisible();
  await page.reload();
  const oldKey = (await page.getByRole("cell", { name: /^AKIA/ }).innerText()).trim();
  // One key, nothing under way: no guide until Rotate is pressed.
  await expect(page.getByTestId("rotation-guide")).toHaveCount(0);

  await page.getByRole("button", { name: `Rotate ${oldKey}` }).click();
  const guide = page.getByTestId("rotation-guide");
  await expect(guide.locator('[aria-current="step"]')).toHaveText("Step 1: Create a new access key");
  await guide.getByRole("button", { name: "Create the new access key" }).click();
  await expect(page.getByTestId("new-access-key")).toBeVisible();
  const newKey = (await page.getByTestId("new-access-key").locator("p code").innerText()).trim();
  expect(newKey).not.toBe(oldKey);
  await expect(guide.locator('[aria-current="step"]')).toHaveText(/^Step 2/);

  // A reload resumes at step 2, and the Rotate buttons stay with two keys.
  await page.reload();
  await expect(guide.locator('[aria-current="step"]')).toHaveText(/^Step 2/);
  await expect(guide.getByRole("heading")).toContainText(oldKey);
  await expect(guide.getByTestId("old-key-last-used")).toHaveText("never used");
  await expect(page.getByRole("button", { name: `Rotate ${oldKey}` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Rotate ${newKey}` })).toBeVisible();
  await guide.getByRole("button", { name: "Deactivate the old key" }).click();
  await expect(guide.locator('[aria-current="step"]')).toHaveText(/^Step 3/);
  await expect(guide).toContainText("Nothing has used it since it was deactivated");
  await expect(page.getByRole("row", { name: new RegExp(oldKey) })).toContainText("Inactive");

  // Another tab finds the same step from the keys themselves.
  const other = await context.newPage();
  await other.goto(page.url());
  const otherGuide = other.getByTestId("rotation-guide");
  await expect(otherGuide.locator('[aria-current="step"]')).toHaveText(/^Step 3/);
  await expect(otherGuide.getByRole("heading")).toContainText(oldKey);
  await other.close();

  await guide.getByRole("button", { name: "Delete the old key" }).click();
  const dialog = page.getByRole("dialog").filter({ hasText: "Delete the old access key?" });
  await expect(dialog.getByRole("button", { name: "Delete" })).toBeDisabled();
  await dialog.getByRole("textbox").fill(oldKey);
  await dialog.getByRole("button", { name: "Delete" }).click();

  await expect(guide).toContainText("Rotation complete");
  await expect(page.getByRole("cell", { name: oldKey })).toHaveCount(0);
  await expect(page.getByRole("row", { name: new RegExp(newKey) })).toContainText("Active");
  // The step's banner is the only one: no "Access key deleted." beside it, nor carried into the next rotation.
  await expect(page.getByText("Access key deleted.")).toHaveCount(0);
  await page.getByRole("button", { name: `Rotate ${newKey}` }).click();
  await expect(guide.locator('[aria-current="step"]')).toHaveText("Step 1: Create a new access key");
  await expect(page.getByTestId("banner-success")).toHaveCount(0);
});

test("deleting a user through the dialog removes its credentials, memberships and tags first", async ({ page }) => {
  const name = unique("e2e-delete");
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await createUser(page, name, { password: USER_PASSWORD });
  await page.goto(`/iam/users/${name}?tab=groups`);
  await page.getByRole("button", { name: "Add to Developers" }).click();
  await expect(page.getByRole("button", { name: "Remove from Developers" })).toBeVisible();
  await page.getByRole("link", { name: "Tags" }).click();
  await page.getByLabel("Tag key 1").fill("team");
  await page.getByLabel("Tag value 1").fill("e2e");
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByRole("cell", { name: "team", exact: true })).toBeVisible();
  await openCredentials(page, name);
  await page.getByRole("button", { name: "Create access key" }).click();
  await expect(page.getByTestId("new-access-key")).toBeVisible();

  await page.getByRole("button", { name: "Delete user" }).click();
  const dialog = page.getByRole("dialog").filter({ hasText: `Delete user ${name}?` });
  await expect(dialog).toContainText("access keys");
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill(name.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill(name);
  await confirm.click();

  await expect(page).toHaveURL(/\/iam\/users\?deleted=/);
  await expect(page.getByTestId("banner-success")).toHaveText(`User ${name} deleted.`);
  await page.goto(`/iam/users?q=${name}`);
  await expect(page.getByText(`No user name contains "${name}".`)).toBeVisible();
  await page.goto(`/iam/users/${name}`);
  await expect(page.getByTestId("error-panel")).toContainText(`The user with name ${name} cannot be found.`);
});
