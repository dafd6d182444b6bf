import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEV, expectSignedInAs, signInAsUser as signIn } from "./helpers";

/** Signs in and waits for the console, so the next navigation is signed in. */
async function signInAsUser(page: Page, name: string) {
  await signIn(page, name);
  await expectSignedInAs(page, name);
}

const PROD_ROLE = `arn:aws:iam::${DEMO_ACCOUNTS.prod.id}:role/ProdReadOnly`;

async function addAction(page: Page, action: string) {
  await page.getByLabel("Action to add").fill(action);
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByRole("list", { name: "Actions to simulate" })).toContainText(action);
}

/** Replaces the text of a CodeMirror policy editor, as a person pasting a policy. */
async function pastePolicy(page: Page, label: string, policy: object) {
  const editor = page.getByRole("textbox", { name: label });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(JSON.stringify(policy, null, 2));
}

test("a Why? link from an AccessDenied opens the simulator with the denied request and explains it", async ({ page }) => {
  await signInAsUser(page, "bob");
  await page.goto("/simulator");
  // bob may simulate principals of his own account only: a prod role is another account's.
  await page.getByLabel("Principal ARN").fill(PROD_ROLE);
  await addAction(page, "iam:GetRole");
  await page.getByRole("button", { name: "Run simulation" }).click();
  const refused = page.getByTestId("banner-error");
  await expect(refused).toContainText("AccessDenied");
  await expect(refused).toContainText(`is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${PROD_ROLE}`);

  await refused.getByRole("link", { name: "Why?" }).click();
  await expect(page).toHaveURL(/\/simulator\?principal=.*bob.*action=iam%3ASimulatePrincipalPolicy/);
  await expect(page.getByLabel("Principal ARN")).toHaveValue(`arn:aws:iam::${DEV.id}:user/bob`);
  await expect(page.getByRole("list", { name: "Actions to simulate" })).toContainText("iam:SimulatePrincipalPolicy");

  const results = page.getByRole("table", { name: "Simulation results" });
  await expect(results.getByTestId("decision")).toHaveText("ImplicitlyDenied");
  // The explanation: bob's ReadOnlyAccess matches the action, yet the role is in another account.
  const readOnly = page.getByRole("region", { name: "Identity-based policy: ReadOnlyAccess" });
  await expect(readOnly).toBeVisible();
  await expect(readOnly.getByRole("table")).toContainText("matches (Action iam:Simulate*)");
  await expect(page.getByTestId("decision-reason")).toContainText("ImplicitlyDenied");
});

test("a pasted policy's explicit deny wins, and its statement is highlighted in the policy text", async ({ page }) => {
  await signInAsUser(page, "admin");
  await page.goto("/simulator");
  await page.getByRole("button", { name: "Add identity policy" }).click();
  await pastePolicy(page, "Identity policy 1", {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadAndWrite", Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Sid: "NeverDeleteAssets", Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::example-dev-assets/*" },
    ],
  });
  await addAction(page, "s3:GetObject");
  await addAction(page, "s3:DeleteObject");
  await page.getByLabel("Resources", { exact: true }).fill("arn:aws:s3:::example-dev-assets/reports/2026/q3.csv");
  await page.getByRole("button", { name: "Run simulation" }).click();

  const results = page.getByRole("table", { name: "Simulation results" });
  await expect(results.getByRole("row").filter({ hasText: "s3:GetObject" }).getByTestId("decision")).toHaveText("Allowed");
  await expect(results.getByRole("row").filter({ hasText: "s3:DeleteObject" }).getByTestId("decision")).toHaveText("ExplicitlyDenied");
  // The statement by its Sid, the policy by its kind and name: never "statement 1 (NeverDeleteAssets) of identity policy ...".
  await expect(results.getByRole("row").filter({ hasText: "s3:DeleteObject" })).toContainText("Explicitly denied by statement NeverDeleteAssets of the identity-based policy");

  await page.getByText("Explanation for s3:DeleteObject on arn:aws:s3:::example-dev-assets/reports/2026/q3.csv").click();
  const pasted = page.getByRole("region", { name: "Identity-based policy: Identity policy (pasted)" }).last();
  const denyRow = pasted.getByRole("row").filter({ hasText: "NeverDeleteAssets" });
  await expect(denyRow).toContainText("Decisive");
  await expect(pasted.getByRole("row").filter({ hasText: "ReadAndWrite" })).not.toContainText("Decisive");
  // The policy text, read-only, with the decisive statement (and only it) highlighted.
  const highlighted = pasted.locator(".cm-decisive");
  await expect(highlighted.first()).toBeVisible();
  const marked = (await highlighted.allTextContents()).join("");
  expect(marked).toContain('"Sid": "NeverDeleteAssets"');
  expect(marked).toContain('"Effect": "Deny"');
  expect(marked).not.toContain("ReadAndWrite");
});

test("the MFA condition of a role's trust policy decides, with MFA off and then on", async ({ page }) => {
  await signInAsUser(page, "admin");
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEV.id}:user/alice`);
  await addAction(page, "sts:AssumeRole");
  await page.getByLabel("Resources", { exact: true }).fill(`arn:aws:iam::${DEV.id}:role/S3ElevatedAccess`);
  await page.getByLabel("MFA present (aws:MultiFactorAuthPresent)").selectOption("false");
  await page.getByRole("button", { name: "Run simulation" }).click();

  const decision = page.getByRole("table", { name: "Simulation results" }).getByTestId("decision");
  await expect(decision).toHaveText("ImplicitlyDenied");
  const trust = page.getByRole("region", { name: "Resource-based policy: S3ElevatedAccess trust policy" });
  await expect(trust).toContainText("Bool aws:MultiFactorAuthPresent: policy wants [\"true\"], request has [\"false\"]");

  await page.getByLabel("MFA present (aws:MultiFactorAuthPresent)").selectOption("true");
  await page.getByLabel("MFA age in seconds (aws:MultiFactorAuthAge)").fill("120");
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(decision).toHaveText("Allowed");
  await expect(trust).toContainText("NumericLessThan aws:MultiFactorAuthAge: policy wants [\"3600\"], request has [\"120\"]");

  // An MFA age past the trust policy's limit is refused again.
  await page.getByLabel("MFA age in seconds (aws:MultiFactorAuthAge)").fill("7200");
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(decision).toHaveText("ImplicitlyDenied");
});

test("the form keeps what was typed and shows the field error when the server refuses", async ({ page }) => {
  await signInAsUser(page, "admin");
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEV.id}:user/alice`);
  await page.getByLabel("Source IP (aws:SourceIp)").fill("not-an-ip");
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("ValidationError");
  await expect(page.getByText("Add at least one action", { exact: true })).toBeVisible();
  await expect(page.getByText("An IPv4 or IPv6 address, e.g. 203.0.113.10")).toBeVisible();
  await expect(page.getByLabel("Source IP (aws:SourceIp)")).toHaveValue("not-an-ip");
  await expect(page.getByLabel("Principal ARN")).toHaveValue(`arn:aws:iam::${DEV.id}:user/alice`);
});
