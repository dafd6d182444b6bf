import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEMO_PASSWORD } from "../lib/db/seed/demo-identities";
import { codeAt, currentStep } from "../lib/crypto/totp";

export { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEMO_PASSWORD };
export const DEV = DEMO_ACCOUNTS.dev;

export async function signInAsUser(page: Page, userName: string, account: string = DEV.id, password = DEMO_PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("IAM user", { exact: true }).check();
  await page.getByLabel("Account ID or alias").fill(account);
  await page.getByLabel("IAM user name").fill(userName);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAsRoot(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Root user", { exact: true }).check();
  await page.getByLabel("Root user email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * A TOTP code for the seed that has not been used yet. The server accepts the
 * codes of the previous, current and next 30-second step, each once and in
 * order, so three sign-ins fit in one step; only a fourth waits for the clock.
 */
let lastStepUsed = 0;
export async function freshCode(seed: string): Promise<string> {
  // Keep a second of margin before a step ends, so the code is still accepted when it arrives.
  const usable = () => Math.max(lastStepUsed + 1, currentStep(Date.now() + 1000) - 1);
  while (usable() > currentStep() + 1) await new Promise((r) => setTimeout(r, 500));
  lastStepUsed = usable();
  return codeAt(seed, lastStepUsed);
}

export async function expectSignedInAs(page: Page, name: string) {
  await expect(page.getByTestId("identity")).toContainText(name);
}

/**
 * An Assign MFA device dialog at its name step, completed: continue, show the
 * secret, activate with two consecutive codes. Returns the seed and the later step used.
 */
export async function completeMfaAssignment(page: Page): Promise<{ seed: string; step: number }> {
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Show" }).click();
  const seed = (await page.getByTestId("secret-secret-key").innerText()).trim();
  const step = currentStep();
  await page.getByLabel("MFA code 1").fill(codeAt(seed, step - 1));
  await page.getByLabel("MFA code 2").fill(codeAt(seed, step));
  await page.getByRole("button", { name: "Add MFA" }).click();
  await expect(page.getByTestId("banner-success").filter({ hasText: "MFA device assigned" })).toBeVisible();
  return { seed, step };
}
