import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEV, expectSignedInAs, freshCode, signInAsRoot, signInAsUser } from "./helpers";

test("the root user signs in with email and password", async ({ page }) => {
  await signInAsRoot(page, DEMO_ACCOUNTS.prod.rootEmail);
  await expect(page).toHaveURL(/\/iam$/);
  await expectSignedInAs(page, "root");
  await expect(page.getByTestId("identity")).toContainText(DEMO_ACCOUNTS.prod.id);
  await expect(page.getByRole("heading", { name: "IAM dashboard" })).toBeVisible();
});

test("an IAM user signs in with the account ID", async ({ page }) => {
  await signInAsUser(page, "admin", DEV.id);
  await expect(page).toHaveURL(/\/iam$/);
  await expectSignedInAs(page, "admin");
  await expect(page.getByTestId("identity")).toContainText(DEV.alias);
});

test("an IAM user signs in with the account alias, any case", async ({ page }) => {
  await signInAsUser(page, "Bob", DEV.alias.toUpperCase());
  await expectSignedInAs(page, "bob");
});

test("a wrong password and an unknown user get the same generic message", async ({ page }) => {
  await signInAsUser(page, "admin", DEV.id, "not-the-password");
  const message = page.getByTestId("banner-error");
  await expect(message).toHaveText("Your authentication information is incorrect. Please try again.");
  await signInAsUser(page, "nobody-here", DEV.id, "not-the-password");
  await expect(message).toHaveText("Your authentication information is incorrect. Please try again.");
  await expect(page).toHaveURL(/\/signin/);
});

test("an identity with an MFA device must enter a valid code, once", async ({ page }) => {
  await signInAsUser(page, "erin");
  await expect(page.getByRole("heading", { name: "Multi-factor authentication" })).toBeVisible();
  await page.getByLabel("MFA code").fill("000000");
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("MFA code is not valid");

  const code = await freshCode(DEMO_MFA_SEED);
  await page.getByLabel("MFA code").fill(code);
  await page.getByRole("button", { name: "Submit" }).click();
  await expectSignedInAs(page, "erin");

  // The same code cannot sign in a second time.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await signInAsUser(page, "erin");
  await page.getByLabel("MFA code").fill(code);
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("MFA code is not valid");
});

test("sign-out ends the session, and console pages then redirect to sign-in", async ({ page }) => {
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/iam/users");
  await expect(page).toHaveURL(/\/signin\?next=%2Fiam%2Fusers/);
});

test("a signed-out request to a console page is redirected to sign-in", async ({ request }) => {
  const response = await request.get("/iam", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers()["location"]).toContain("/signin");
});
