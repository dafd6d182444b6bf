import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAsUser } from "./helpers";

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

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

async function createGroup(page: Page, name: string, policies: string[] = []) {
  await page.goto("/iam/groups/create");
  await page.getByLabel("User group name").fill(name);
  for (const policy of policies) {
    await page.getByLabel("Search policies").fill(policy);
    await page.getByRole("button", { name: `Add ${policy}`, exact: true }).click();
  }
  await page.getByRole("button", { name: "Create user group" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User group ${name} created.`);
}

test("membership of a group with ReadOnlyAccess lets a user list groups; deleting the group through the dialog takes it away", async ({ page, browser }) => {
  const group = `E2eReaders${unique()}`;
  const alice = await signedInPage(browser, "alice");
  await alice.goto("/iam/groups");
  await expect(alice.getByTestId("error-panel")).toContainText("AccessDenied");

  await signIn(page, "admin");
  await createGroup(page, group, ["ReadOnlyAccess"]);
  await expect(page.getByRole("heading", { name: group, level: 1 })).toBeVisible();
  await expect(page.getByTestId("arn")).toHaveText(`arn:aws:iam::111122223333:group/${group}`);
  await page.getByLabel("Search users to add").fill("ali");
  await page.getByRole("button", { name: "Add alice to group" }).click();
  await expect(page.getByRole("region", { name: /Users in this group/ }).getByTestId("banner-success")).toHaveText(`Added alice to ${group}.`);
  await expect(page.getByRole("table", { name: `Users in ${group}` }).getByRole("link", { name: "alice" })).toBeVisible();

  await alice.goto("/iam/groups");
  await expect(alice.getByTestId("error-panel")).toHaveCount(0);
  const row = alice.getByRole("row").filter({ has: alice.getByRole("link", { name: group }) });
  await expect(row).toContainText("Defined (1 managed, 0 inline)");

  await page.getByRole("button", { name: "Delete group" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("removes 1 user from the group");
  await expect(dialog.getByRole("button", { name: "Delete" })).toBeDisabled();
  await dialog.getByRole("textbox").fill(group);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/iam\/groups\?deleted=/);
  await expect(page.getByTestId("banner-success")).toHaveText(`User group ${group} deleted.`);
  await expect(page.getByRole("link", { name: group })).toHaveCount(0);

  await alice.reload();
  await expect(alice.getByTestId("error-panel")).toContainText("AccessDenied");
});

test("the groups list filters, sorts and shows an empty state; a group is renamed", async ({ page }) => {
  const tag = unique();
  const a = `E2eSortA${tag}`;
  const b = `E2eSortB${tag}`;
  await signIn(page, "admin");
  await createGroup(page, b);
  await createGroup(page, a);

  await page.goto("/iam/groups");
  await page.getByLabel("Filter groups by name").fill(`E2eSort`);
  await page.getByRole("button", { name: "Filter" }).click();
  const names = page.getByRole("table").getByRole("link");
  await expect(names.filter({ hasText: tag })).toHaveText([a, b]);
  await page.getByRole("link", { name: "Group name" }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc|dir=asc.*sort=name/);
  await page.getByRole("link", { name: /Group name/ }).click();
  await expect(names.filter({ hasText: tag })).toHaveText([b, a]);
  await expect(page.getByTestId("list-count")).toContainText("of");

  await page.getByLabel("Filter groups by name").fill(`NoSuchGroup${tag}`);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText(`No groups match "NoSuchGroup${tag}"`)).toBeVisible();

  // Rename: a name already taken is refused with AWS's message; the typed name stays.
  await page.goto(`/iam/groups/${a}`);
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("New group name").fill(b);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("banner-error")).toContainText(`EntityAlreadyExists`);
  await expect(page.getByTestId("banner-error")).toContainText(`Group with name ${b} already exists.`);
  await expect(page.getByLabel("New group name")).toHaveValue(b);
  await page.getByLabel("New group name").fill(`${a}x`);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`User group renamed to ${a}x.`);
  await expect(page).toHaveURL(new RegExp(`/iam/groups/${a}x`));
});

test("a group's permissions: attach and detach a managed policy, write an inline policy with the editor", async ({ page }) => {
  const group = `E2ePerms${unique()}`;
  await signIn(page, "admin");
  await createGroup(page, group);
  await page.getByRole("link", { name: "Permissions" }).click();

  const managed = page.getByRole("region", { name: /Permissions policies/ });
  await page.getByLabel("Search policies to attach").fill("AmazonS3ReadOnlyAccess");
  await page.getByRole("button", { name: "Attach AmazonS3ReadOnlyAccess", exact: true }).click();
  await expect(managed.getByTestId("banner-success")).toHaveText("Attached AmazonS3ReadOnlyAccess.");
  await expect(page.getByRole("heading", { name: "Permissions policies (1 of 10)" })).toBeVisible();
  await page.getByRole("button", { name: "Detach AmazonS3ReadOnlyAccess" }).click();
  await expect(managed.getByTestId("banner-success")).toHaveText("Detached AmazonS3ReadOnlyAccess.");
  await expect(page.getByRole("heading", { name: "Permissions policies (0 of 10)" })).toBeVisible();

  const inline = page.getByRole("region", { name: /Inline policies/ });
  await page.getByRole("button", { name: "Create inline policy" }).click();
  await page.getByLabel("Policy name").fill("ReadScratch");
  const editor = page.getByRole("textbox", { name: "Policy document (JSON)" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::example-dev-scratch/*" }] }),
  );
  await expect(page.getByTestId("policy-summary")).toContainText("Limited: Read");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(inline.getByTestId("banner-success")).toHaveText("Saved inline policy ReadScratch.");
  await expect(page.getByRole("heading", { name: "Inline policies (1)" })).toBeVisible();
  await expect(page.getByTestId("inline-size")).toContainText("of 5,120 characters");

  await page.getByRole("button", { name: "Delete ReadScratch" }).click();
  await page.getByRole("dialog").getByRole("textbox").fill("ReadScratch");
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(inline.getByTestId("banner-success")).toHaveText("Deleted inline policy ReadScratch.");
  await expect(page.getByText("No inline policies")).toBeVisible();
});
