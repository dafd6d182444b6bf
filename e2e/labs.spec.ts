// Training labs solved the way a learner does: the demo admin starts a lab,
// the learner signs in to the sandbox with the details it shows and works in
// the console, and the progress panel turns green (live on the starter's page).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAsUser } from "./helpers";

interface Sandbox {
  url: string;
  account: string;
  user: string;
  password: string;
}

async function startLab(page: Page, title: string): Promise<Sandbox> {
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/labs");
  await page.getByRole("button", { name: `Start lab: ${title}` }).click();
  await expect(page).toHaveURL(/\/labs\/[a-z0-9]{8}$/);
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await page.getByText("Show password").click();
  return {
    url: new URL(page.url()).pathname,
    account: (await page.getByTestId("sandbox-account").innerText()).trim(),
    user: (await page.getByTestId("sandbox-user").innerText()).trim(),
    password: (await page.getByTestId("sandbox-password").innerText()).trim(),
  };
}

async function learnerPage(browser: Browser, s: Sandbox): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsUser(page, s.user, s.account, s.password);
  await expect(page).toHaveURL(/\/iam$/);
  return page;
}

const check = (page: Page, title: string) => page.getByTestId("lab-check").filter({ hasText: title });

test("lab 1: the learner moves the analysts' permissions onto a group; the checks turn green live", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const sandbox = await startLab(page, "Users and groups with least privilege");
  await expect(page.getByTestId("lab-score")).toHaveText(/^\d of 7 checks pass$/);
  await expect(check(page, "No user has a policy of their own")).toHaveAttribute("data-passed", "false");

  const learner = await learnerPage(browser, sandbox);
  // The learner sees this sandbox's users only.
  await learner.goto("/iam/users");
  await expect(learner.getByRole("link", { name: "alice", exact: true })).toBeVisible();
  await expect(learner.getByRole("link", { name: "admin", exact: true })).toHaveCount(0);

  // The group, with ReportsReader, and its members.
  await learner.goto("/iam/groups/create");
  await learner.getByLabel("User group name").fill("Analysts");
  await learner.getByLabel("Search policies").fill("ReportsReader");
  await learner.getByRole("button", { name: "Add ReportsReader", exact: true }).click();
  await learner.getByRole("button", { name: "Create user group" }).click();
  await expect(learner.getByTestId("banner-success")).toHaveText("User group Analysts created.");
  for (const name of ["alice", "bob"]) {
    await learner.getByLabel("Search users to add").fill(name);
    await learner.getByRole("button", { name: `Add ${name} to group` }).click();
    await expect(learner.getByRole("region", { name: /Users in this group/ }).getByTestId("banner-success")).toHaveText(`Added ${name} to Analysts.`);
  }
  await expect(check(page, "alice and bob are the members of Analysts")).toHaveAttribute("data-passed", "true", { timeout: 15_000 });

  // Nothing on the users any more.
  for (const name of ["alice", "bob"]) {
    await learner.goto(`/iam/users/${name}?tab=permissions`);
    await learner.getByRole("button", { name: "Detach ReportsReader" }).click();
    await expect(learner.getByTestId("banner-success").first()).toContainText("ReportsReader");
  }
  await expect(check(page, "No user has a policy of their own")).toHaveAttribute("data-passed", "false");
  await learner.getByRole("button", { name: "Delete reports-everything" }).click();
  await learner.getByRole("dialog").getByRole("textbox").fill("reports-everything");
  await learner.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(learner.getByTestId("banner-success").first()).toContainText("reports-everything deleted");

  // The starter's page refreshes itself; the learner's own Training labs page shows the same.
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 7 checks pass", { timeout: 15_000 });
  await learner.goto("/labs");
  await expect(learner.getByTestId("lab-score")).toHaveText("Lab complete: all 7 checks pass");
  await learner.getByText("Hint 1").first().click();
  await expect(learner.getByText("IAM > User groups > Create group")).toBeVisible();
});

test("lab 3: the learner rolls a managed policy back and deletes the bad version; reset brings the lab back", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const sandbox = await startLab(page, "Managed policies over inline: versions, a bad change, and rollback");
  const learner = await learnerPage(browser, sandbox);
  await learner.goto(`/iam/policies/${sandbox.account}/AppDeploy?tab=versions`);
  const versions = learner.getByRole("table", { name: "Policy versions" });
  await expect(versions.getByRole("row", { name: /v2 Default/ })).toBeVisible();
  await learner.getByRole("button", { name: "Set v1 as default" }).click();
  await expect(learner.getByTestId("banner-success")).toHaveText("Version v1 is now the default.");
  await versions.getByRole("button", { name: "Delete v2" }).click();
  await learner.getByRole("dialog").getByRole("textbox").fill("v2");
  await learner.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(learner.getByRole("region", { name: /Policy versions/ }).getByTestId("banner-success")).toHaveText("Deleted version v2.");
  await expect(check(page, "dev1 can no longer delete buckets")).toHaveAttribute("data-passed", "true", { timeout: 15_000 });
  await expect(check(page, "dev1 has no inline policy")).toHaveAttribute("data-passed", "false");

  await learner.goto("/iam/users/dev1?tab=permissions");
  await learner.getByRole("button", { name: "Delete old-deploy-copy" }).click();
  await learner.getByRole("dialog").getByRole("textbox").fill("old-deploy-copy");
  await learner.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(learner.getByTestId("banner-success").first()).toContainText("old-deploy-copy deleted");
  await expect(page.getByTestId("lab-score")).toHaveText(/^Lab complete/, { timeout: 15_000 });

  // Reset: back to the bad v2, the same sign-in still works.
  await page.getByRole("button", { name: `Reset ${sandbox.url.split("/").pop()}` }).click();
  await expect(page.getByTestId("banner-success")).toContainText("back at the lab's initial state");
  await expect(check(page, "dev1 can no longer delete buckets")).toHaveAttribute("data-passed", "false", { timeout: 15_000 });
  const again = await learnerPage(browser, sandbox);
  await again.goto(`/iam/policies/${sandbox.account}/AppDeploy?tab=versions`);
  await expect(again.getByRole("table", { name: "Policy versions" }).getByRole("row", { name: /v2 Default/ })).toBeVisible();
});
