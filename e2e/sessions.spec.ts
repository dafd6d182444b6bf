// A console session ends at once, on the server: a copy of the cookie taken
// before sign-out, a password change or reset, removing console access,
// deactivating MFA or an admin's "Sign out everywhere" no longer opens a page.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { completeMfaAssignment, DEV, expectSignedInAs, signInAsUser } from "./helpers";

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const FIRST = "E2e-Sess-Passw0rd!";

// Each test creates a user and drives two or three browsers: more than the default minute on a busy machine.
test.slow();

/** As admin: a new user with a console password (no reset required) and IAMUserChangePassword. */
async function createUser(page: Page, name: string) {
  await page.goto("/iam/users/create");
  await page.getByLabel("User name", { exact: true }).fill(name);
  await page.getByLabel("Provide user access to the AWS Management Console").check();
  await page.getByLabel("Custom password", { exact: true }).check();
  await page.getByRole("textbox", { name: "Custom password" }).fill(FIRST);
  await page.getByLabel("Users must create a new password at next sign-in (recommended)").uncheck();
  await page.getByLabel("Attach policies directly").check();
  await page.getByLabel("Permissions policies (up to 10)").fill("IAMUserChangePassword");
  await page.getByRole("checkbox", { name: "IAMUserChangePassword", exact: true }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User ${name} created.`);
}

/** The user signed in in a browser of their own, and a copy of that browser's cookies in another. */
async function signedInWithCopy(browser: Browser, name: string): Promise<{ user: Page; copy: BrowserContext }> {
  const user = await (await browser.newContext()).newPage();
  await signInAsUser(user, name, DEV.id, FIRST);
  await expectSignedInAs(user, name);
  const copy = await browser.newContext();
  await copy.addCookies(await user.context().cookies());
  const check = await copy.newPage();
  await check.goto("/iam/security-credentials");
  await expectSignedInAs(check, name);
  await check.close();
  return { user, copy };
}

async function expectSignedOut(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto("/iam/security-credentials");
  await expect(page).toHaveURL(/\/signin/);
  await page.close();
}

async function asAdmin(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  return page;
}

async function credentialsTab(admin: Page, name: string) {
  await admin.goto(`/iam/users/${name}?tab=credentials`);
  await expect(admin.getByRole("heading", { name: "Console sign-in" })).toBeVisible();
}

test("sign-out ends the session: a copy of the cookie no longer works", async ({ browser }) => {
  const admin = await asAdmin(browser);
  const name = unique("e2e-sess-out");
  await createUser(admin, name);
  const { user, copy } = await signedInWithCopy(browser, name);
  await user.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(user).toHaveURL(/\/signin/);
  await expectSignedOut(copy);
});

test("changing one's password ends every session; this browser goes on in a new one", async ({ browser }) => {
  const admin = await asAdmin(browser);
  const name = unique("e2e-sess-pw");
  await createUser(admin, name);
  const { user, copy } = await signedInWithCopy(browser, name);
  await user.goto("/iam/security-credentials");
  const second = "E2e-Sess-Second-Passw0rd!";
  await user.getByLabel("Current password").fill(FIRST);
  await user.getByLabel("New password", { exact: true }).fill(second);
  await user.getByLabel("Confirm new password").fill(second);
  await user.getByRole("button", { name: "Change password" }).click();
  await expect(user.getByTestId("banner-success")).toHaveText("Your password has been changed.");
  await expectSignedOut(copy);
  await user.reload();
  await expectSignedInAs(user, name);
});

test("an admin's 'Sign out everywhere' and password reset each end the user's sessions", async ({ browser }) => {
  const admin = await asAdmin(browser);
  const name = unique("e2e-sess-admin");
  await createUser(admin, name);

  // Sign out everywhere.
  let { copy } = await signedInWithCopy(browser, name);
  await credentialsTab(admin, name);
  await admin.getByRole("button", { name: "Sign out everywhere" }).click();
  const confirm = admin.getByRole("dialog").filter({ hasText: "Sign out everywhere?" });
  await confirm.getByRole("textbox").fill(name);
  await confirm.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(admin.getByTestId("banner-success").filter({ hasText: "Every console session of the user has ended." })).toBeVisible();
  await expectSignedOut(copy);

  // Password reset by the admin (to the same password, so the user can sign in again).
  ({ copy } = await signedInWithCopy(browser, name));
  await credentialsTab(admin, name);
  await admin.getByText("Reset password", { exact: true }).first().click();
  const reset = admin.getByRole("form", { name: "Reset password" });
  await reset.getByLabel("Custom password").check();
  await reset.getByRole("textbox", { name: "New password" }).fill("E2e-Sess-Reset-Passw0rd!");
  await reset.getByLabel("User must create a new password at next sign-in").uncheck();
  await reset.getByRole("button", { name: "Reset password" }).click();
  await expect(reset.getByTestId("banner-success")).toHaveText("Password reset.");
  await expectSignedOut(copy);
});

test("removing console access and deactivating MFA end the user's sessions", async ({ browser }) => {
  const admin = await asAdmin(browser);
  const name = unique("e2e-sess-mfa");
  await createUser(admin, name);

  // Deactivating the user's MFA device.
  let { copy } = await signedInWithCopy(browser, name);
  await credentialsTab(admin, name);
  await admin.getByRole("button", { name: "Assign MFA device" }).click();
  await completeMfaAssignment(admin);
  // Assigning a device ends nothing.
  const still = await copy.newPage();
  await still.goto("/iam/security-credentials");
  await expectSignedInAs(still, name);
  await admin.getByRole("button", { name: `Remove ${name}` }).click();
  const remove = admin.getByRole("dialog").filter({ hasText: "Remove MFA device?" });
  await remove.getByRole("textbox").fill(name);
  await remove.getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByTestId("banner-success").filter({ hasText: "MFA device removed." })).toBeVisible();
  await expectSignedOut(copy);

  // Removing console access.
  ({ copy } = await signedInWithCopy(browser, name));
  await credentialsTab(admin, name);
  await admin.getByRole("button", { name: "Disable console access" }).click();
  const disable = admin.getByRole("dialog").filter({ hasText: "Disable console access?" });
  await disable.getByRole("textbox").fill(name);
  await disable.getByRole("button", { name: "Disable" }).click();
  await expect(admin.getByTestId("banner-success").filter({ hasText: "Console access disabled." })).toBeVisible();
  await expectSignedOut(copy);
});
