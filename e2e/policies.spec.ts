import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAsUser } from "./helpers";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

const doc = (actions: string[], sid = "E2e") =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Action: actions, Resource: "*" }] });

/** Replaces the text of a CodeMirror policy editor, found by its label. */
async function setEditor(page: Page, label: string, text: string) {
  const editor = page.getByRole("textbox", { name: label });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
}

async function createPolicy(page: Page, name: string, document: string) {
  await page.goto("/iam/policies/create");
  await setEditor(page, "Policy editor (JSON)", document);
  await page.getByLabel("Policy name").fill(name);
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`Policy ${name} created.`);
}

/** Saves the editor's text as a new default version; returns the version the flash names. */
async function saveNewVersion(page: Page, policyUrl: string, document: string) {
  await page.goto(`${policyUrl}?tab=edit`);
  await setEditor(page, "Policy editor (JSON)", document);
  await page.getByRole("button", { name: "Save changes" }).click();
}

/** Signs in and waits for the console, so the next navigation does not cut the sign-in short. */
async function signIn(page: Page, user: string) {
  await signInAsUser(page, user);
  // The IAM dashboard, or Console Home for those it would refuse (alice).
  await expect(page).toHaveURL(/\/(iam|\?from=signin)$/);
}

async function signedInPage(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user);
  return page;
}

test("the policies list filters AWS-managed and customer-managed policies by name", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/iam/policies");
  await page.getByRole("navigation", { name: "Filter by type" }).getByRole("link", { name: "AWS managed" }).click();
  await expect(page).toHaveURL(/type=aws/);
  const count = await page.getByTestId("list-count").textContent();
  const total = Number(count!.replace(/^.* of /, "").replace(/,/g, ""));
  expect(total).toBeGreaterThan(1000);
  await expect(page.getByTestId("list-count")).toContainText("1-50 of");

  // Filtering by name keeps the type filter.
  await page.getByLabel("Filter policies by name").fill("SecurityAudit");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/type=aws/);
  const table = page.getByRole("table");
  await expect(table.getByRole("link", { name: "SecurityAudit", exact: true })).toBeVisible();
  await expect(table.getByRole("cell", { name: "Customer managed" })).toHaveCount(0);
  // AWS's description is not in the catalogue: the row says what the policy grants (SecurityAudit reads across many services).
  const auditRow = table.getByRole("row").filter({ has: page.getByRole("link", { name: "SecurityAudit", exact: true }) });
  await expect(auditRow).toContainText(/Allows .+ \(Limited: [^)]*Read[^)]*\).* and \d+ more services/);

  // Attached only: carol's SecurityAudit is attached to her alone.
  await page.getByRole("button", { name: "Attached only" }).click();
  await expect(page).toHaveURL(/attached=1/);
  await expect(page).toHaveURL(/q=SecurityAudit/);
  const row = table.getByRole("row").filter({ has: page.getByRole("link", { name: "SecurityAudit", exact: true }) });
  await expect(row).toContainText("Permissions policy (1)");

  await page.getByRole("link", { name: "Customer managed" }).click();
  await expect(page.getByText("No policies match these filters")).toBeVisible();
});

test("a policy is written with findings as you type, versioned, compared, and rolled back to take access away", async ({ page, browser }) => {
  const name = `E2eListGroups${unique()}`;
  const group = `E2eRollback${unique()}`;
  await signIn(page, "admin");

  // A misspelt action is flagged in the editor as it is typed; fixing it clears the finding.
  await page.goto("/iam/policies/create");
  // Nothing typed yet: the blank policy's empty Action and Resource are not reported as MalformedPolicyDocument.
  await expect(page.getByTestId("policy-findings")).toContainText("errors and findings appear here as you type");
  await page.waitForTimeout(1_000); // past the editor's 400 ms check delay
  await expect(page.getByText("MalformedPolicyDocument")).toHaveCount(0);
  await expect(page.locator(".cm-lint-marker-error")).toHaveCount(0);
  await setEditor(page, "Policy editor (JSON)", doc(["iam:GetAccountSumary"]));
  await expect(page.getByTestId("policy-findings")).toContainText("The action iam:GetAccountSumary does not exist");
  await setEditor(page, "Policy editor (JSON)", doc(["iam:GetAccountSummary"]));
  await expect(page.getByTestId("policy-findings")).not.toContainText("does not exist");
  // AWS's service reference lists iam:GetAccountSummary under the List access level.
  await expect(page.getByTestId("policy-summary")).toContainText("Limited: List");
  await page.getByLabel("Policy name").fill(name);
  await page.getByLabel("Description").fill("v1 reads the account summary; v2 also lists groups");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`Policy ${name} created.`);
  const policyUrl = new URL(page.url()).pathname;
  expect(policyUrl).toBe(`/iam/policies/111122223333/${name}`);

  // v2 adds iam:ListGroups and becomes the default.
  await saveNewVersion(page, policyUrl, doc(["iam:GetAccountSummary", "iam:ListGroups"]));
  await expect(page.getByTestId("banner-success")).toHaveText(`Version v2 of ${name} created.`);
  const versions = page.getByRole("table", { name: "Policy versions" });
  await expect(versions.getByRole("row", { name: /v2 Default/ })).toBeVisible();

  // The diff shows the changed lines side by side.
  await page.getByRole("link", { name: "Compare versions" }).click();
  await page.getByLabel("Left version").selectOption("v1");
  await page.getByLabel("Right version").selectOption("v2");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByTestId("diff-added").filter({ hasText: '"iam:ListGroups"' })).toBeVisible();
  await expect(page.getByTestId("diff-removed").filter({ hasText: '"iam:GetAccountSummary"' })).toBeVisible();
  await expect(page.getByTestId("diff-added").filter({ hasText: "Version" })).toHaveCount(0);

  // A group with the policy attached, and alice in it.
  await page.goto("/iam/groups/create");
  await page.getByLabel("User group name").fill(group);
  await page.getByLabel("Search policies").fill(name);
  await page.getByRole("button", { name: `Add ${name}` }).click();
  await page.getByRole("button", { name: "Create user group" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User group ${group} created.`);
  await page.getByLabel("Search users to add").fill("alice");
  await page.getByRole("button", { name: "Add alice to group" }).click();
  await expect(page.getByRole("region", { name: /Users in this group/ }).getByTestId("banner-success")).toHaveText(`Added alice to ${group}.`);

  // Under v2 alice can list the groups.
  const alice = await signedInPage(browser, "alice");
  await alice.goto("/iam/groups");
  await expect(alice.getByRole("link", { name: group })).toBeVisible();
  await expect(alice.getByTestId("error-panel")).toHaveCount(0);

  // Roll back to v1: alice is refused.
  await page.goto(`${policyUrl}?tab=versions`);
  await page.getByRole("button", { name: "Set v1 as default" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Version v1 is now the default.");
  await expect(versions.getByRole("row", { name: /v1 Default/ })).toBeVisible();
  await alice.goto("/iam/groups");
  await expect(alice.getByTestId("error-panel")).toContainText("AccessDenied");
  await expect(alice.getByTestId("error-panel")).toContainText("is not authorized to perform: iam:ListGroups");
  // alice may not simulate: "Why?" explains in place instead of linking to a simulator that would refuse her.
  await expect(alice.getByRole("link", { name: "Why? Open this request in the policy simulator" })).toHaveCount(0);
  await expect(alice.getByTestId("why-denied")).toBeVisible();

  // The policy's entities tab shows the group; clean up by deleting the group (it removes alice).
  await page.getByRole("link", { name: "Entities attached" }).click();
  await expect(page.getByRole("table", { name: "Entities with this policy attached" }).getByRole("link", { name: group })).toBeVisible();
  await page.goto(`/iam/groups/${group}`);
  await page.getByRole("button", { name: "Delete group" }).click();
  await page.getByRole("dialog").getByRole("textbox").fill(group);
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User group ${group} deleted.`);
});

test("a sixth version is refused with AWS's LimitExceeded, and the offer to delete the oldest saves it", async ({ page }) => {
  const name = `E2eVersions${unique()}`;
  await signIn(page, "admin");
  await createPolicy(page, name, doc(["s3:ListAllMyBuckets"], "V1"));
  const policyUrl = new URL(page.url()).pathname;
  for (const v of [2, 3, 4, 5]) {
    await saveNewVersion(page, policyUrl, doc(["s3:ListAllMyBuckets"], `V${v}`));
    await expect(page.getByTestId("banner-success")).toHaveText(`Version v${v} of ${name} created.`);
  }
  await expect(page.getByRole("heading", { name: "Policy versions (5 of 5)" })).toBeVisible();

  await saveNewVersion(page, policyUrl, doc(["s3:ListAllMyBuckets"], "V6"));
  await expect(page.getByTestId("banner-error")).toContainText("LimitExceeded");
  await expect(page.getByTestId("banner-error")).toContainText("A managed policy can have up to 5 versions.");
  await page.getByRole("button", { name: "Delete v1 and save" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`Version v6 of ${name} created.`);
  const versions = page.getByRole("table", { name: "Policy versions" });
  await expect(versions.getByRole("link", { name: "View version v1" })).toHaveCount(0);
  await expect(versions.getByRole("row", { name: /v6 Default/ })).toBeVisible();

  // Viewing an old version shows its document.
  await versions.getByRole("link", { name: "View version v2" }).click();
  await expect(page.getByRole("heading", { name: "Version v2" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Version v2" })).toContainText('"Sid":"V2"');

  // Deleting a non-default version goes through the typed confirmation.
  await versions.getByRole("button", { name: "Delete v2" }).click();
  await page.getByRole("dialog").getByRole("textbox").fill("v2");
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("region", { name: /Policy versions/ }).getByTestId("banner-success")).toHaveText("Deleted version v2.");
  await expect(page.getByRole("heading", { name: "Policy versions (4 of 5)" })).toBeVisible();
});

test("tags on a customer-managed policy follow AWS's rules", async ({ page }) => {
  const name = `E2eTags${unique()}`;
  await signIn(page, "admin");
  await createPolicy(page, name, doc(["s3:ListAllMyBuckets"]));
  await page.getByRole("link", { name: "Tags" }).click();
  await page.getByLabel("Tag key 1").fill("aws:team");
  await page.getByLabel("Tag value 1").fill("platform");
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("cannot start with the reserved prefix 'aws:'");
  await expect(page.getByLabel("Tag value 1")).toHaveValue("platform");
  await page.getByLabel("Tag key 1").fill("team");
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Tags saved.");
  await expect(page.getByRole("table", { name: "Tags" }).getByRole("cell", { name: "platform" })).toBeVisible();
  await page.getByRole("button", { name: "Remove tag team" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Removed tag team.");
  await expect(page.getByText("No tags", { exact: true })).toBeVisible();
});
