import { expect, test, type Page } from "@playwright/test";
import { codeAt } from "../lib/crypto/totp";
import { completeMfaAssignment, DEMO_MFA_SEED, DEV, expectSignedInAs, freshCode, signInAsUser } from "./helpers";

const BUCKET = "example-dev-scratch";
const MFA_INVALID = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

async function signInAsErin(page: Page) {
  await signInAsUser(page, "erin");
  await page.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await page.getByRole("button", { name: "Submit" }).click();
  await expectSignedInAs(page, "erin");
}

async function uploadAndTryToDelete(page: Page, fileName: string) {
  await page.goto(`/s3/${BUCKET}`);
  await page.getByLabel("Files to upload").setInputFiles([{ name: fileName, mimeType: "text/plain", buffer: Buffer.from("to be deleted\n") }]);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Uploaded 1 of 1 file.")).toBeVisible({ timeout: 45_000 });
  await page.getByRole("checkbox", { name: `Select ${fileName}` }).check();
  await page.getByRole("button", { name: "Delete (1)" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("permanently delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("banner-error").first()).toContainText("AccessDenied");
}

test("erin deletes an object only after assuming the elevated role with a fresh MFA code; the audit shows who, with MFA", async ({ page }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const first = `elevate-${stamp}.txt`;
  const second = `elevate-again-${stamp}.txt`;
  await signInAsErin(page);
  await uploadAndTryToDelete(page, first);

  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();

  // A wrong code is refused with AWS's message; nothing changes.
  await elevation.getByLabel("MFA code").fill("000000");
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await expect(elevation.getByTestId("banner-error")).toContainText(MFA_INVALID);
  await expect(page.getByTestId("role-banner")).toHaveCount(0);

  // A fresh code: the bar turns to the elevated role with its 15-minute countdown.
  const code = await freshCode(DEMO_MFA_SEED);
  await elevation.getByLabel("MFA code").fill(code);
  await elevation.getByRole("button", { name: "Assume role" }).click();
  const roleBanner = page.getByTestId("role-banner");
  await expect(roleBanner).toContainText("S3ElevatedAccess (elevated)");
  await expect(roleBanner).toContainText(/1[45]:\d\d left/);
  await expectSignedInAs(page, "S3ElevatedAccess/erin");
  // The new step's result replaces the old: no red explicit deny above "You are now acting as S3ElevatedAccess".
  await expect(elevation.getByTestId("banner-success")).toContainText("You are now acting as S3ElevatedAccess");
  await expect(page.getByTestId("banner-error")).toHaveCount(0);

  // The retry waits for the bucket name.
  const retry = elevation.getByRole("button", { name: "Delete as elevated role" });
  await expect(retry).toBeDisabled();
  await elevation.getByLabel(`To confirm, type ${BUCKET}`).fill(BUCKET);
  await retry.click();
  await expect(elevation.getByText("Done as S3ElevatedAccess.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: first })).toHaveCount(0);

  // Back to erin: the same delete is refused again, and the used code cannot elevate a second time.
  await page.getByRole("button", { name: "Back to erin" }).click();
  await expectSignedInAs(page, "erin");
  await expect(page.getByTestId("role-banner")).toHaveCount(0);

  // The audit record (read as erin: the elevated role may only touch S3): DeleteObject by the assumed-role session, with MFA.
  await page.goto("/audit");
  await page.getByLabel("Filter events").fill("DeleteObject");
  await page.getByRole("button", { name: "Filter" }).click();
  const events = page.getByRole("table", { name: "Events" });
  const done = events.getByRole("row").filter({ hasText: `assumed-role/S3ElevatedAccess/erin` }).first();
  await expect(done).toBeVisible();
  await expect(done).not.toContainText("AccessDenied");
  await expect(done).toContainText("MFA");
  await done.getByRole("link", { name: "DeleteObject" }).click();
  const record = JSON.parse((await page.getByTestId("event-json").textContent()) ?? "{}");
  expect(record.eventName).toBe("DeleteObject");
  expect(record.userIdentity.type).toBe("AssumedRole");
  expect(record.userIdentity.arn).toBe(`arn:aws:sts::${DEV.id}:assumed-role/S3ElevatedAccess/erin`);
  expect(record.userIdentity.sessionContext.attributes.mfaAuthenticated).toBe("true");
  expect(JSON.stringify(record.requestParameters)).toContain(first);

  await uploadAndTryToDelete(page, second);
  await page.getByRole("region", { name: /Elevated access/ }).getByRole("button", { name: "Assume elevated role" }).click();
  await page.getByRole("region", { name: /Elevated access/ }).getByLabel("MFA code").fill(code);
  await page.getByRole("region", { name: /Elevated access/ }).getByRole("button", { name: "Assume role" }).click();
  await expect(page.getByRole("region", { name: /Elevated access/ }).getByTestId("banner-error")).toContainText(MFA_INVALID);
  // AWS's error stays word for word; the hint beside it says why a code that worked a moment ago fails now.
  await expect(page.getByRole("region", { name: /Elevated access/ }).getByTestId("mfa-code-hint")).toContainText("Each code works once");
  await expect(page.getByTestId("role-banner")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("link", { name: second })).toBeVisible();
});

test("Drop elevation ends the elevated session in place: the next delete is denied again", async ({ page }) => {
  test.setTimeout(180_000);
  const fileName = `drop-${Date.now().toString(36)}.txt`;
  await signInAsErin(page);
  await uploadAndTryToDelete(page, fileName);
  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();
  await elevation.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await expect(page.getByTestId("role-banner")).toContainText("S3ElevatedAccess (elevated)");

  await elevation.getByRole("button", { name: "Drop elevation" }).click();
  await expect(page.getByTestId("role-banner")).toHaveCount(0);
  await expectSignedInAs(page, "erin");
  await page.getByRole("checkbox", { name: `Select ${fileName}` }).check();
  await page.getByRole("button", { name: "Delete (1)" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("permanently delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("banner-error").first()).toContainText("AccessDenied");
  await page.reload();
  await expect(page.getByRole("link", { name: fileName })).toBeVisible();
});

test("an identity without an MFA device is told so at once and led straight to assigning one", async ({ page }) => {
  const fileName = `no-mfa-${Date.now().toString(36)}.txt`;
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await uploadAndTryToDelete(page, fileName);
  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await expect(elevation).toContainText("You have no MFA device");
  await expect(elevation.getByRole("button", { name: "Assume elevated role" })).toHaveCount(0);
  await expect(elevation.getByLabel("MFA code")).toHaveCount(0);
  await expect(elevation.getByRole("link", { name: "Assign an MFA device" })).toHaveAttribute(
    "href",
    `/iam/security-credentials?assign=mfa&back=${encodeURIComponent(`/s3/${BUCKET}`)}`,
  );
});

test("alice, as seeded, assigns herself an MFA device and deletes an object through elevation", async ({ page }) => {
  test.setTimeout(180_000);
  const fileName = `alice-elevates-${Date.now().toString(36)}.txt`;
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");
  await uploadAndTryToDelete(page, fileName);

  // No device yet: the panel says so and links to the assign form, already open.
  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await expect(elevation).toContainText("You have no MFA device");
  await elevation.getByRole("link", { name: "Assign an MFA device" }).click();
  await expect(page).toHaveURL(/\/iam\/security-credentials\?assign=mfa/);
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
  await expect(page.getByLabel("Device name")).toHaveValue("alice");
  const { seed, step } = await completeMfaAssignment(page);
  await expect(page.getByRole("cell", { name: `arn:aws:iam::${DEV.id}:mfa/alice` })).toBeVisible();

  // Back to the bucket: now the panel asks for a code, and the elevated role deletes the object.
  await page.getByRole("link", { name: `Back to /s3/${BUCKET}` }).click();
  await page.getByRole("checkbox", { name: `Select ${fileName}` }).check();
  await page.getByRole("button", { name: "Delete (1)" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("permanently delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("banner-error").first()).toContainText("AccessDenied");
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();
  await elevation.getByLabel("MFA code").fill(codeAt(seed, step + 1));
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await expect(page.getByTestId("role-banner")).toContainText("S3ElevatedAccess (elevated)");
  await expectSignedInAs(page, "S3ElevatedAccess/alice");
  await elevation.getByLabel(`To confirm, type ${BUCKET}`).fill(BUCKET);
  await elevation.getByRole("button", { name: "Delete as elevated role" }).click();
  await expect(elevation.getByText("Done as S3ElevatedAccess.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: fileName })).toHaveCount(0);

  // Leave alice as seeded: back to her own identity, and her device removed.
  await page.getByRole("button", { name: "Back to alice" }).click();
  await expect(page.getByTestId("role-banner")).toHaveCount(0);
  await expectSignedInAs(page, "alice");
  await page.goto("/iam/security-credentials");
  await page.getByRole("button", { name: "Remove alice" }).click();
  const remove = page.getByRole("dialog").filter({ hasText: "Remove MFA device?" });
  await remove.getByRole("textbox").fill("alice");
  await remove.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("banner-success").filter({ hasText: "MFA device removed." })).toBeVisible();
});

test("bob, who may never assume the elevated role, is not offered it: he is told why and who can", async ({ page }) => {
  await signInAsUser(page, "bob");
  await expectSignedInAs(page, "bob");
  await page.goto("/s3/example-dev-assets");
  await page.getByRole("checkbox", { name: "Select README.txt" }).check();
  await page.getByRole("button", { name: "Delete (1)" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("permanently delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("banner-error").first()).toContainText("AccessDenied");

  const elevation = page.getByRole("region", { name: /Elevated access/ });
  const cannot = elevation.getByTestId("cannot-elevate");
  await expect(cannot).toContainText("You cannot assume S3ElevatedAccess, even with MFA");
  await expect(cannot).toContainText("because no identity-based policy allows the sts:AssumeRole action");
  // ReadOnlyAccess lets bob list users, so the people who can are named: the gate's answer for each, with MFA.
  await expect(cannot).toContainText("Who can, with MFA: admin, alice, erin.");
  await expect(elevation.getByRole("button", { name: "Assume elevated role" })).toHaveCount(0);
  await expect(elevation.getByLabel("MFA code")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("link", { name: "README.txt" })).toBeVisible();
});

test("alice's Why? on her own denial names the decisive policy and statement, without the simulator she may not use", async ({ page }) => {
  const fileName = `why-${Date.now().toString(36)}.txt`;
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");
  await uploadAndTryToDelete(page, fileName);
  const refusal = page.getByTestId("banner-error").first();
  await expect(refusal.getByRole("link", { name: "Why?" })).toHaveCount(0);
  await refusal.getByText("Why?", { exact: true }).click();
  const why = refusal.getByTestId("why-denied");
  await expect(why).toContainText("Explicitly denied by the service control policy DestructiveBucketActionsNeedElevation (p-labguard01), statement DenyDestructiveS3WithoutElevation.");
  // Nothing on the page sends her to the simulator.
  await expect(page.locator('a[href^="/simulator?"]')).toHaveCount(0);
});
