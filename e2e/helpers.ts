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

/** A TOTP code for the seed that has not been used yet: waits for the next step if needed. */
let lastStepUsed = 0;
export async function freshCode(seed: string): Promise<string> {
  while (currentStep() <= lastStepUsed) await new Promise((r) => setTimeout(r, 500));
  lastStepUsed = currentStep();
  return codeAt(seed, lastStepUsed);
}

export async function expectSignedInAs(page: Page, name: string) {
  await expect(page.getByTestId("identity")).toContainText(name);
}
