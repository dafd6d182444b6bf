// Training labs solved the way a learner does: the demo admin starts a lab,
// the learner signs in to the sandbox with the details it shows and works in
// the console, and the progress panel turns green (live on the starter's page).
import { expect as baseExpect, test, type Browser, type Page } from "@playwright/test";
import { aws, clientEnv, run, type Creds, type Env } from "../lib/aws/scenarios/cli";
import { codeAt, currentStep } from "../lib/crypto/totp";
import { completeMfaAssignment, expectSignedInAs, signInAsUser } from "./helpers";

/** Page loads under a shared machine's load take longer than the config's 10 s default; the waits stay on visible state. */
const expect = baseExpect.configure({ timeout: 30_000 });

/** The AWS-compatible API of the server under test, for the AWS CLI. */
const API = `http://127.0.0.1:${process.env.IAMLAB_API_PORT ?? 4566}`;

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
  await expectSignedInAs(page, s.user);
  return page;
}

/**
 * A lab solved end to end is 15-30 page loads and a few AWS CLI runs: about a minute on an idle machine, but
 * 2-3 minutes with a dozen other builds and suites sharing two cores (measured: lab 2 ran 1.3 and 3.3 minutes).
 */
const LAB_TEST_TIMEOUT = 300_000;
const check = (page: Page, title: string) => page.getByTestId("lab-check").filter({ hasText: title });
const sandboxIdOf = (s: Sandbox) => s.url.split("/").pop()!;
/** A check turns green (or red) on the starter's page, which refreshes itself. */
const turns = (page: Page, title: string, passed: boolean) => expect(check(page, title)).toHaveAttribute("data-passed", String(passed), { timeout: 30_000 });

/** "Create access key" on a credentials page; the secret shown once is read off the page, as a learner copies it. */
async function createAccessKey(page: Page, path: string): Promise<Creds> {
  await page.goto(path);
  await page.getByRole("button", { name: "Create access key" }).click();
  const created = page.getByTestId("new-access-key");
  await created.getByRole("button", { name: "Show" }).click();
  const accessKeyId = (await created.locator("p code").innerText()).trim();
  const secretAccessKey = (await created.getByTestId("secret-secret-access-key").innerText()).trim();
  expect(accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  expect(secretAccessKey).toMatch(/^[A-Za-z0-9/+]{40}$/);
  return { accessKeyId, secretAccessKey };
}

/** The AWS CLI against the API port with these credentials only; fails the test with its stderr when it fails. */
async function cli(creds: Creds, ...args: string[]) {
  const r = await aws(API, creds, ...args);
  expect(r.code, `aws ${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r.json;
}

/** `aws s3 ls` (text output), as the lab's instructions say it. */
async function s3ls(creds: Creds): Promise<string> {
  const r = await run("aws", ["s3", "ls"], clientEnv(API, creds));
  expect(r.code, `aws s3 ls: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The event history filtered as a learner types it, read-only events included. */
async function eventHistory(page: Page, filter: string) {
  await page.goto("/audit");
  await page.getByLabel("Filter events").fill(filter);
  await page.getByRole("switch", { name: "Include read-only events" }).check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/readonly=1/);
  return page.getByRole("table", { name: "Events" });
}

/**
 * The TOTP code of the step after `lastStep` (the server takes each step's code once, in order, within one step of
 * now): it waits for the clock only when the next step has not begun yet.
 */
async function codeAfter(seed: string, lastStep: number): Promise<{ code: string; step: number }> {
  const step = Math.max(lastStep + 1, currentStep(Date.now() + 1000) - 1);
  while (step > currentStep() + 1) await new Promise((r) => setTimeout(r, 500));
  return { code: codeAt(seed, step), step };
}

/** My security credentials > Assign MFA device, activated with two consecutive codes; the seed and last step used. */
async function assignMfa(page: Page, name: string): Promise<{ seed: string; step: number }> {
  await expect(page.getByLabel("Device name")).toHaveValue(name);
  return completeMfaAssignment(page);
}

/** A ConfirmDialog: type what it asks, then confirm. */
async function confirmIn(page: Page, typed: string, button: string) {
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill(typed);
  await dialog.getByRole("button", { name: button }).click();
}

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

test("lab 5: the learner assigns an MFA device, signs in with it, elevates and deletes the bucket; the everyday session is refused", async ({ page, browser }) => {
  test.setTimeout(LAB_TEST_TIMEOUT);
  const sandbox = await startLab(page, "MFA before destruction");
  const bucket = `old-logs-${sandboxIdOf(sandbox)}`;
  await expect(page.getByTestId("lab-score")).toHaveText(/^1 of 5 checks pass$/);
  await turns(page, "learner has an MFA device", false);

  // The subtly wrong start: emptying the bucket in the everyday session. The SCP refuses it, and without a
  // device the console offers no elevation, only the way to assign one.
  const learner = await learnerPage(browser, sandbox);
  await learner.goto(`/s3/${bucket}`);
  await learner.getByRole("button", { name: "Empty bucket" }).click();
  await confirmIn(learner, bucket, "Empty");
  await expect(learner.getByTestId("banner-error").first()).toContainText("AccessDenied");
  const elevation = learner.getByRole("region", { name: /Elevated access/ });
  await expect(elevation).toContainText("You have no MFA device");
  await elevation.getByRole("link", { name: "Assign an MFA device" }).click();
  const mfa = await assignMfa(learner, "learner");
  await turns(page, "learner has an MFA device", true);
  await turns(page, "old-logs is gone", false);

  // Sign out, and in again with a code: the session is MFA-authenticated.
  await learner.getByRole("button", { name: "Sign out", exact: true }).click();
  await signInAsUser(learner, sandbox.user, sandbox.account, sandbox.password);
  const signInCode = await codeAfter(mfa.seed, mfa.step);
  await learner.getByLabel("MFA code").fill(signInCode.code);
  await learner.getByRole("button", { name: "Submit" }).click();
  await expectSignedInAs(learner, "learner");

  // Refused again, now with the offer to elevate: the role empties the bucket after its name is typed.
  await learner.goto(`/s3/${bucket}`);
  await learner.getByRole("button", { name: "Empty bucket" }).click();
  await confirmIn(learner, bucket, "Empty");
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();
  await elevation.getByLabel("MFA code").fill((await codeAfter(mfa.seed, signInCode.step)).code);
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await expect(learner.getByTestId("role-banner")).toContainText("S3ElevatedAccess (elevated)");
  await turns(page, "You assumed S3ElevatedAccess with MFA", true);
  await elevation.getByLabel(`To confirm, type ${bucket}`).fill(bucket);
  await elevation.getByRole("button", { name: "Empty as elevated role" }).click();
  await expect(elevation.getByText("Done as S3ElevatedAccess.")).toBeVisible();
  await turns(page, "The bucket was deleted by the elevated session", false);

  // Still elevated: the empty bucket goes.
  await learner.getByRole("button", { name: "Delete bucket" }).click();
  await confirmIn(learner, bucket, "Delete bucket");
  await expect(learner).toHaveURL(/\/s3\?deleted=/);
  await expect(learner.getByTestId("banner-success")).toHaveText(`Bucket ${bucket} was deleted.`);
  await learner.getByRole("button", { name: "Back to learner" }).click();
  await expect(learner.getByTestId("role-banner")).toHaveCount(0);
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 5 checks pass", { timeout: 15_000 });
});

test("lab 2: the learner rotates deploy-bot's key in the console and proves the new key with the AWS CLI", async ({ page, browser }) => {
  test.setTimeout(LAB_TEST_TIMEOUT);
  const sandbox = await startLab(page, "Rotating an access key without downtime");
  await turns(page, "No active key is older than a day", false);
  await turns(page, "deploy-bot made a call with the new key", false);
  const learner = await learnerPage(browser, sandbox);

  // The learner's own key, for their default CLI profile.
  const mine = await createAccessKey(learner, "/iam/security-credentials");

  // Rotation: the old key's last use is on the page; the second key's secret is copied once.
  await learner.goto("/iam/users/deploy-bot?tab=credentials");
  const oldKey = (await learner.getByRole("cell", { name: /^AKIA/ }).innerText()).trim();
  await learner.getByRole("button", { name: `Rotate ${oldKey}` }).click();
  const guide = learner.getByTestId("rotation-guide");
  await guide.getByRole("button", { name: "Create the new access key" }).click();
  const created = learner.getByTestId("new-access-key");
  await created.getByRole("button", { name: "Show" }).click();
  const botKey = { accessKeyId: (await created.locator("p code").innerText()).trim(), secretAccessKey: (await created.getByTestId("secret-secret-access-key").innerText()).trim() };
  expect(botKey.accessKeyId).not.toBe(oldKey);
  await turns(page, "A second key was created for deploy-bot", true);

  // Subtly wrong: the check run in the default profile proves the learner's key, not deploy-bot's new one.
  expect((await cli(mine, "sts", "get-caller-identity")).Arn).toBe(`arn:aws:iam::${sandbox.account}:user/learner`);
  await page.reload();
  await expect(check(page, "deploy-bot made a call with the new key")).toHaveAttribute("data-passed", "false");
  // With deploy-bot's new key (the job's profile), the same call is deploy-bot's.
  expect((await cli(botKey, "sts", "get-caller-identity")).Arn).toBe(`arn:aws:iam::${sandbox.account}:user/deploy-bot`);
  await turns(page, "deploy-bot made a call with the new key", true);

  // Deactivate, then delete the old key.
  await guide.getByRole("button", { name: "Deactivate the old key" }).click();
  await expect(learner.getByRole("row", { name: new RegExp(oldKey) })).toContainText("Inactive");
  await turns(page, "The old key was deactivated before it was deleted", true);
  await turns(page, "The old key is deleted", false);
  await guide.getByRole("button", { name: "Delete the old key" }).click();
  await confirmIn(learner, oldKey, "Delete");
  await expect(guide).toContainText("Rotation complete");
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 6 checks pass", { timeout: 15_000 });
  // The job's key still works.
  const listed = await cli(botKey, "s3api", "list-buckets");
  expect(listed.Buckets.map((b: { Name: string }) => b.Name)).toEqual([`artifacts-${sandboxIdOf(sandbox)}`]);
});

test("lab 7: the learner finds the intruder's calls in the event history and contains the leaked key", async ({ page, browser }) => {
  test.setTimeout(LAB_TEST_TIMEOUT);
  const sandbox = await startLab(page, "Monitoring: a leaked key was used");
  await turns(page, "You looked at the event history", false);
  await turns(page, "The leaked key is inactive", false);
  const learner = await learnerPage(browser, sandbox);
  await learner.goto("/iam/users/ci-runner?tab=credentials");
  const leaked = (await learner.getByRole("cell", { name: /^AKIA/ }).innerText()).trim();

  // The history by the leaked key: the CI's own calls from 10.0.12.7, and three from 203.0.113.66.
  const events = await eventHistory(learner, `accesskey:${leaked}`);
  const intruder = events.getByRole("row").filter({ hasText: "203.0.113.66" });
  await expect(intruder).toHaveCount(3);
  await expect(events.getByRole("row").filter({ hasText: "10.0.12.7" })).toHaveCount(2);
  await expect(intruder.filter({ hasText: "DeleteBucket" })).toContainText("AccessDenied");
  await turns(page, "You looked at the event history", true);
  // Its record: the agent was not the CI's aws-cli, and it read the secrets.
  await intruder.filter({ hasText: "GetObject" }).getByRole("link", { name: "GetObject" }).click();
  const record = JSON.parse((await learner.getByTestId("event-json").textContent()) ?? "{}");
  expect(record.userAgent).toBe("python-requests/2.31.0");
  expect(record.sourceIPAddress).toBe("203.0.113.66");
  expect(record.userIdentity.accessKeyId).toBe(leaked);
  expect(JSON.stringify(record.resources)).toContain(`builds-${sandboxIdOf(sandbox)}/secrets/deploy.env`);

  // The new key first; then, subtly wrong, the new key (the first Make inactive button) is deactivated instead of the leaked one.
  const fresh = await createAccessKey(learner, "/iam/users/ci-runner?tab=credentials");
  await turns(page, "ci-runner has one active key", false);
  await learner.reload();
  await learner.getByRole("button", { name: `Make inactive ${fresh.accessKeyId}` }).click();
  await expect(learner.getByRole("row", { name: new RegExp(fresh.accessKeyId) })).toContainText("Inactive");
  await turns(page, "ci-runner has one active key", true);
  await turns(page, "The leaked key is inactive", false);
  // Put right: the new key active again, the leaked one inactive (kept for the investigation).
  await learner.getByRole("button", { name: `Make active ${fresh.accessKeyId}` }).click();
  await learner.getByRole("button", { name: `Make inactive ${leaked}` }).click();
  await expect(learner.getByRole("row", { name: new RegExp(leaked) })).toContainText("Inactive");
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 3 checks pass", { timeout: 15_000 });
  // The CI's new key works.
  expect((await cli(fresh, "sts", "get-caller-identity")).Arn).toBe(`arn:aws:iam::${sandbox.account}:user/ci-runner`);
});

test("lab 8: dana and evan get their own users and keys; the shared key goes; the history names each of them", async ({ page, browser }) => {
  test.setTimeout(LAB_TEST_TIMEOUT);
  const sandbox = await startLab(page, "Don't share access keys");
  const bucket = `ops-${sandboxIdOf(sandbox)}`;
  await turns(page, "The shared key is deleted", false);
  await turns(page, "dana and evan each called ListBuckets with their own key", false);
  const learner = await learnerPage(browser, sandbox);

  // The dashboard flags the shared key; its link opens the key's history: three addresses.
  await learner.goto("/iam/security-findings/shared-keys");
  const flagged = learner.getByRole("row").filter({ hasText: "team-shared" });
  await expect(flagged).toContainText("team-shared: 3 addresses, 3 user agents in 24 hours");
  await flagged.getByRole("link").click();
  await expect(learner).toHaveURL(/\/audit\?q=accesskey/);
  const shared = learner.getByRole("table", { name: "Events" });
  for (const ip of ["198.51.100.20", "198.51.100.77", "192.0.2.45"]) await expect(shared.getByRole("row").filter({ hasText: ip })).toHaveCount(1);

  // The Ops group with the permissions team-shared had.
  await learner.goto("/iam/groups/create");
  await learner.getByLabel("User group name").fill("Ops");
  await learner.getByLabel("Search policies").fill("AmazonS3ReadOnlyAccess");
  await learner.getByRole("button", { name: "Add AmazonS3ReadOnlyAccess", exact: true }).click();
  await learner.getByRole("button", { name: "Create user group" }).click();
  await expect(learner.getByTestId("banner-success")).toHaveText("User group Ops created.");

  // A user in Ops and a key for each person.
  const keys: Record<string, Creds> = {};
  for (const name of ["dana", "evan"]) {
    await learner.goto("/iam/users/create");
    await learner.getByLabel("User name", { exact: true }).fill(name);
    await learner.getByLabel("Add user to group").check();
    await learner.getByRole("checkbox", { name: /^Ops/ }).check();
    await learner.getByRole("button", { name: "Create user" }).click();
    await expect(learner.getByTestId("banner-success")).toHaveText(`User ${name} created.`);
    keys[name] = await createAccessKey(learner, `/iam/users/${name}?tab=credentials`);
  }
  await turns(page, "Ops has AmazonS3ReadOnlyAccess and dana and evan", true);
  await turns(page, "evan has one active key", true);

  // Retire the shared key: inactive, then deleted.
  await learner.goto("/iam/users/team-shared?tab=credentials");
  const sharedKey = (await learner.getByRole("cell", { name: /^AKIA/ }).innerText()).trim();
  await learner.getByRole("button", { name: `Make inactive ${sharedKey}` }).click();
  await expect(learner.getByRole("row", { name: new RegExp(sharedKey) })).toContainText("Inactive");
  await learner.getByRole("button", { name: `Delete ${sharedKey}` }).click();
  await confirmIn(learner, sharedKey, "Delete");
  await expect(learner.getByRole("cell", { name: sharedKey })).toHaveCount(0);
  await turns(page, "The shared key is deleted", true);

  // dana lists the buckets with her key; evan, subtly wrong, borrows hers: still one person per key in the history.
  expect(await s3ls(keys.dana!)).toContain(bucket);
  expect(await s3ls(keys.dana!)).toContain(bucket);
  await page.reload();
  await expect(check(page, "dana and evan each called ListBuckets with their own key")).toHaveAttribute("data-passed", "false");
  expect(await s3ls(keys.evan!)).toContain(bucket);
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 5 checks pass", { timeout: 15_000 });

  // The history names each of them.
  const calls = await eventHistory(learner, "ListBuckets");
  await expect(calls.getByRole("row").filter({ hasText: `user/dana` })).toHaveCount(2);
  await expect(calls.getByRole("row").filter({ hasText: `user/evan` })).toHaveCount(1);
});

test("lab 4: the learner gives the server a role, launches an instance with it and reads the assets through its metadata service", async ({ page, browser }) => {
  test.setTimeout(LAB_TEST_TIMEOUT);
  const sandbox = await startLab(page, "Roles over users: an instance profile instead of a stored key");
  const assets = `assets-${sandboxIdOf(sandbox)}`;
  await turns(page, "AppServerRole trusts ec2.amazonaws.com", false);
  const learner = await learnerPage(browser, sandbox);

  // The role wizard: AWS service, EC2; subtly wrong, the broad AmazonS3ReadOnlyAccess instead of ReadAssets.
  await learner.goto("/iam/roles/create");
  await learner.waitForLoadState("networkidle");
  await learner.getByRole("radio", { name: /AWS service/ }).check();
  await learner.getByLabel("Service", { exact: true }).fill("ec2");
  await learner.getByRole("button", { name: "Next" }).click();
  await learner.getByRole("searchbox", { name: /Search permissions policies/ }).fill("AmazonS3ReadOnlyAccess");
  await learner.getByRole("checkbox", { name: /^AmazonS3ReadOnlyAccess AWS managed/ }).check();
  await learner.getByRole("button", { name: "Next" }).click();
  await learner.getByLabel("Role name").fill("AppServerRole");
  await learner.getByRole("button", { name: "Create role" }).click();
  await expect(learner.getByTestId("banner-success")).toContainText("Role AppServerRole created.");
  await turns(page, "The role can read the assets", true);
  await turns(page, "AppServerRole trusts ec2.amazonaws.com", false);
  await expect(check(page, "AppServerRole trusts ec2.amazonaws.com")).toContainText("expected exactly: ReadAssets");
  // Put right on the role's Permissions tab.
  await learner.getByRole("button", { name: "Detach AmazonS3ReadOnlyAccess" }).click();
  await learner.getByLabel("Search policies to attach").fill("ReadAssets");
  await learner.getByRole("button", { name: "Attach ReadAssets" }).click();
  await turns(page, "AppServerRole trusts ec2.amazonaws.com", true);
  await turns(page, "The role cannot write them", true);

  // The instance profile the lab names, with the AWS CLI (the learner's own key).
  const mine = await createAccessKey(learner, "/iam/security-credentials");
  await cli(mine, "iam", "create-instance-profile", "--instance-profile-name", "AppServerProfile");
  await cli(mine, "iam", "add-role-to-instance-profile", "--instance-profile-name", "AppServerProfile", "--role-name", "AppServerRole");
  await turns(page, "AppServerRole is in AppServerProfile", true);

  // The server: an instance launched with the profile; on it, the AWS CLI finds the role's credentials itself.
  const name = `reporting-${sandboxIdOf(sandbox)}`;
  await learner.goto("/ec2");
  await learner.getByRole("link", { name: "Launch instance" }).click();
  await learner.getByLabel("Name").fill(name);
  await learner.getByLabel("IAM instance profile").selectOption("AppServerProfile");
  await learner.getByRole("button", { name: "Launch instance" }).click();
  await expect(learner.getByText(/Instance i-[0-9a-f]{17} is running\./)).toBeVisible();
  const row = learner.getByRole("row", { name: new RegExp(name) });
  const endpoint = (await row.getByText(/^export AWS_EC2_METADATA_SERVICE_ENDPOINT=/).textContent())!.replace("export AWS_EC2_METADATA_SERVICE_ENDPOINT=", "");
  // No stored key on the instance: the CLI's credential chain reaches the metadata service.
  const onInstance: Env = { ...clientEnv(API, { accessKeyId: "", secretAccessKey: "" }), AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint };
  for (const v of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED"]) delete onInstance[v];
  await expect(async () => {
    const who = await run("aws", ["sts", "get-caller-identity", "--output", "json"], onInstance);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout).Arn).toMatch(new RegExp(`^arn:aws:sts::${sandbox.account}:assumed-role/AppServerRole/i-[0-9a-f]{17}$`));
  }).toPass({ timeout: 60_000 });
  const report = await run("aws", ["s3", "cp", `s3://${assets}/reports/daily.csv`, "-"], onInstance);
  expect(report.stdout).toBe("day,visits\nmon,10\n");
  const write = await run("aws", ["s3", "cp", "-", `s3://${assets}/reports/daily.csv`], onInstance, "overwritten\n");
  expect(write.stderr).toContain("AccessDenied");

  // Retire the stored key's user: the console's Delete removes the key and the policy first.
  await turns(page, "app-server's key is deleted", false);
  await learner.goto("/iam/users/app-server");
  await learner.getByRole("button", { name: "Delete user" }).click();
  await confirmIn(learner, "app-server", "Delete");
  await expect(learner.getByTestId("banner-success")).toHaveText("User app-server deleted.");
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 6 checks pass", { timeout: 15_000 });

  // The instance goes too (its metadata service closes).
  await learner.goto("/ec2");
  await row.getByRole("button", { name: "Terminate" }).click();
  const dialog = learner.getByRole("dialog", { name: new RegExp(`Terminate ${name}`) });
  await dialog.getByRole("textbox").fill((await row.locator("td.font-mono").textContent())!);
  await dialog.getByRole("button", { name: "Terminate" }).click();
  await expect(row).toContainText("Terminated");
});

test("lab 6: the learner builds the staging and prod roles from inside each account; ProdDeploy asks for MFA", async ({ page, browser }) => {
  test.setTimeout(LAB_TEST_TIMEOUT);
  const sandbox = await startLab(page, "Cross-account: switching into staging and prod");
  await turns(page, "dave can switch into StagingDeveloper", false);
  const learner = await learnerPage(browser, sandbox);

  // The task's instructions name this sandbox's accounts.
  await learner.goto("/labs");
  const stagingId = /staging \(account (\d{12})\)/.exec(await learner.getByTestId("task-staging").innerText())?.[1];
  const prodId = /prod \(account (\d{12})\)/.exec(await learner.getByTestId("task-prod").innerText())?.[1];
  expect(stagingId).toMatch(/^\d{12}$/);
  expect(prodId).toMatch(/^\d{12}$/);
  expect(new Set([stagingId, prodId, sandbox.account]).size).toBe(3);

  const switchInto = async (account: string) => {
    await learner.goto("/switchrole");
    await learner.waitForLoadState("networkidle");
    await learner.getByLabel("Account ID or alias").fill(account);
    await learner.getByLabel("IAM role name").fill("OrganizationAccountAccessRole");
    await learner.getByRole("button", { name: "Switch Role" }).click();
    await expect(learner.getByTestId("identity")).toContainText(account);
  };
  const back = async () => {
    await learner.getByRole("button", { name: "Back to learner" }).click();
    await expect(learner.getByTestId("role-banner")).toHaveCount(0);
  };
  const createRole = async (name: string, policy: string, mfa: boolean) => {
    await learner.goto("/iam/roles/create");
    await learner.waitForLoadState("networkidle");
    await learner.getByRole("radio", { name: /Another AWS account/ }).check();
    await learner.getByLabel("Account ID", { exact: true }).fill(sandbox.account);
    if (mfa) await learner.getByLabel("Require MFA").check();
    await learner.getByRole("button", { name: "Next" }).click();
    await learner.getByRole("searchbox", { name: /Search permissions policies/ }).fill(policy);
    await learner.getByRole("checkbox", { name: new RegExp(`^${policy} AWS managed`) }).check();
    await learner.getByRole("button", { name: "Next" }).click();
    await learner.getByLabel("Role name").fill(name);
    await learner.getByRole("button", { name: "Create role" }).click();
    await expect(learner.getByTestId("banner-success")).toContainText(`Role ${name} created.`);
  };

  await switchInto(stagingId!);
  await createRole("StagingDeveloper", "PowerUserAccess", false);
  await turns(page, "StagingDeveloper has PowerUserAccess", true);
  await back();
  // Subtly wrong: ProdDeploy created without "Require MFA".
  await switchInto(prodId!);
  await createRole("ProdReadOnly", "ReadOnlyAccess", false);
  await createRole("ProdDeploy", "PowerUserAccess", false);
  await turns(page, "ProdReadOnly reads prod data", true);
  await back();

  // The Developers group may assume the three roles.
  const roles = [`arn:aws:iam::${stagingId}:role/StagingDeveloper`, `arn:aws:iam::${prodId}:role/ProdReadOnly`, `arn:aws:iam::${prodId}:role/ProdDeploy`];
  await learner.goto("/iam/groups/Developers?tab=permissions");
  await learner.getByRole("button", { name: "Create inline policy" }).click();
  await learner.getByLabel("Policy name").fill("switch-roles");
  await learner.getByRole("textbox", { name: "Policy document (JSON)" }).click();
  await learner.keyboard.press("ControlOrMeta+a");
  await learner.keyboard.insertText(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roles }] }));
  await learner.getByRole("button", { name: "Create policy" }).click();
  await expect(learner.getByRole("region", { name: /Inline policies/ }).getByTestId("banner-success")).toHaveText("Saved inline policy switch-roles.");
  await turns(page, "dave can switch into StagingDeveloper", true);
  await turns(page, "dave can switch into ProdReadOnly without MFA", true);
  await turns(page, "dave can switch into ProdDeploy with MFA", true);
  await turns(page, "dave cannot switch into ProdDeploy without MFA", false);

  // Put right: ProdDeploy's trust policy asks for MFA.
  await switchInto(prodId!);
  await learner.goto("/iam/roles/ProdDeploy?tab=trust");
  await learner.getByRole("textbox", { name: /^Trust policy/ }).click();
  await learner.keyboard.press("ControlOrMeta+a");
  await learner.keyboard.insertText(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${sandbox.account}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }],
    }),
  );
  await learner.getByRole("button", { name: "Update policy" }).click();
  await expect(learner.getByTestId("banner-success")).toHaveText("Trust policy updated.");
  await back();
  await expect(page.getByTestId("lab-score")).toHaveText("Lab complete: all 7 checks pass", { timeout: 15_000 });
});
