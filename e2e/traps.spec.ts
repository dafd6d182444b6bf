// The console's small traps (issue 11), each walked as the persona who fell into it.
import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, DEV, expectSignedInAs, signInAsUser } from "./helpers";

const STAGING = DEMO_ACCOUNTS.staging;

test("a failed sign-in keeps the account and user name, clears the password, and says what is wrong in words", async ({ page }) => {
  await signInAsUser(page, "alice", DEV.alias, "not-her-password");
  await expect(page.getByTestId("banner-error")).toBeVisible();
  await expect(page.getByLabel("Account ID or alias")).toHaveValue(DEV.alias);
  await expect(page.getByLabel("IAM user name")).toHaveValue("alice");
  await expect(page.getByLabel("Password")).toHaveValue("");

  // A missing field: the summary is the problem in words, not "userName: ...".
  await page.getByLabel("IAM user name").fill("");
  await page.getByLabel("Password").fill("anything");
  await page.getByRole("button", { name: "Sign in" }).click();
  const error = page.getByTestId("banner-error");
  await expect(error).toHaveText("Enter your IAM user name.");
  await expect(page.getByLabel("Account ID or alias")).toHaveValue(DEV.alias);
  await expect(page.getByLabel("IAM user name")).toHaveAttribute("aria-invalid", "true");
});

test("alice lands on Console Home: what just happened, the pages open to her, and nothing red", async ({ page }) => {
  await signInAsUser(page, "alice");
  await expect(page).toHaveURL(/\/\?from=signin$/);
  await expect(page.getByRole("heading", { name: "Console Home" })).toBeVisible();
  await expect(page.getByTestId("landing-confirmation")).toContainText(`Signed in as alice in ${DEV.alias} (${DEV.id}).`);
  await expect(page.getByTestId("banner-error")).toHaveCount(0);
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
  const open = page.getByRole("region", { name: "Open to alice" });
  await expect(open.getByRole("link", { name: "My security credentials" })).toBeVisible();
  await expect(open.getByRole("link", { name: "S3 buckets" })).toBeVisible();
  await expect(open.getByRole("link", { name: "IAM dashboard" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Not open to you" })).toContainText("IAM dashboard: your policies do not allow iam:GetAccountSummary.");

  // Each page offered opens without a refusal.
  await open.getByRole("link", { name: "My security credentials" }).click();
  await expect(page.getByRole("heading", { name: /^Access keys/ })).toBeVisible();
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
});

test("switching into StagingDeveloper lands on a page the role can use and says so; going back says so too", async ({ page }) => {
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");
  await page.goto("/switchrole");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Account ID or alias").fill(STAGING.alias);
  await page.getByLabel("IAM role name").fill("StagingDeveloper");
  await page.getByRole("button", { name: "Switch Role" }).click();
  await expect(page.getByTestId("role-banner")).toContainText(`StagingDeveloper @ ${STAGING.alias}`);
  await expect(page.getByTestId("role-banner")).not.toContainText(`@ ${STAGING.alias} in`);
  await expect(page).toHaveURL(/\/\?from=switched$/);
  await expect(page.getByTestId("landing-confirmation")).toContainText(`You are now acting as StagingDeveloper @ ${STAGING.alias} (${STAGING.id}), with the role's permissions`);
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
  const open = page.getByRole("region", { name: /^Open to StagingDeveloper/ });
  await open.getByRole("link", { name: "S3 buckets" }).click();
  await expect(page.getByRole("link", { name: "example-staging-data" })).toBeVisible();

  await page.getByRole("button", { name: "Back to alice" }).click();
  await expect(page.getByTestId("role-banner")).toHaveCount(0);
  await expect(page.getByTestId("landing-confirmation")).toContainText(`Back to alice in ${DEV.alias}`);
});

test("bob's bucket page shows one result at a time: a new attempt replaces the old refusal", async ({ page }) => {
  await signInAsUser(page, "bob");
  await expectSignedInAs(page, "bob");
  await page.goto("/s3/example-dev-scratch?prefix=tmp%2F");
  const refusals = page.getByTestId("banner-error");

  await page.getByLabel("Folder name").fill("bobs-folder");
  await page.getByRole("button", { name: "Create folder" }).click();
  await expect(refusals).toHaveCount(1);
  await expect(refusals).toContainText("AccessDenied");

  await page.getByLabel("Files to upload").setInputFiles([{ name: "bob.txt", mimeType: "text/plain", buffer: Buffer.from("bob\n") }]);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(refusals).toHaveCount(1);
  await expect(refusals).toContainText("bob.txt");

  await page.getByRole("checkbox", { name: "Select tmp/notes.txt" }).check();
  await page.getByRole("button", { name: /^Delete \(1\)$/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("permanently delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(refusals).toHaveCount(1);
  await expect(refusals).not.toContainText("bob.txt");
  await expect(refusals).toContainText("AccessDenied");
});

test("wording: devices counted, Copy ARN named as such, the full switch-role link, SCPs by name and level", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");

  // erin has one MFA device: "1 device", not "1 device(s)".
  await page.goto("/iam/users/erin");
  await expect(page.getByText("1 device", { exact: true })).toBeVisible();
  await expect(page.getByText("device(s)")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Copy ARN", exact: true })).toBeVisible();

  // The role's switch-role link is the full address, to paste into a message.
  await page.goto("/iam/roles/S3ElevatedAccess");
  const link = page.getByTestId("switch-role-link");
  await expect(link).toHaveText(`${baseURL}/switchrole?account=${DEV.id}&roleName=S3ElevatedAccess&displayName=S3ElevatedAccess`);
  await expect(link).toHaveAttribute("href", `${baseURL}/switchrole?account=${DEV.id}&roleName=S3ElevatedAccess&displayName=S3ElevatedAccess`);

  // The SCP's denial in the simulator: the statement's Sid, the policy's name, where it is attached in words.
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEV.id}:user/bob`);
  await page.getByLabel("Action to add").fill("s3:DeleteObject");
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByRole("list", { name: "Actions to simulate" })).toContainText("s3:DeleteObject");
  await page.getByLabel("Resources", { exact: true }).fill("arn:aws:s3:::example-dev-assets/README.txt");
  await page.getByRole("button", { name: "Run simulation" }).click();
  const row = page.getByRole("table", { name: "Simulation results" }).getByRole("row").filter({ hasText: "s3:DeleteObject" });
  await expect(row.getByTestId("decision")).toHaveText("ExplicitlyDenied");
  await expect(row).toContainText("of the service control policy DestructiveBucketActionsNeedElevation, attached to ");
  await expect(row).not.toContainText("p-labguard01");
  await expect(row).not.toContainText("r-ex01");
});
