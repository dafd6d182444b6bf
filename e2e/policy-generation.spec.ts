import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { expectSignedInAs, signInAsUser } from "./helpers";

// From activity to least privilege: alice works in the console (a bucket, three
// uploads, a look at IAM users her policies refuse); the admin generates her
// policy from that recorded activity, tries it in the simulator against every
// recorded request (all allowed) and against one she never made (denied), and
// opens it in the policy editor.

const bucket = `pgen-${Date.now().toString(36)}${crypto.randomBytes(2).toString("hex")}`;

async function signIn(page: Page, userName: string) {
  await signInAsUser(page, userName);
  await expectSignedInAs(page, userName);
}

test("alice's recorded activity becomes a policy that allows what she did and nothing she never asked for", async ({ browser }) => {
  test.setTimeout(180_000);
  const aliceContext = await browser.newContext();
  const alice = await aliceContext.newPage();
  await signIn(alice, "alice");
  await alice.goto("/s3?create=1");
  await alice.getByLabel("Bucket name").fill(bucket);
  await alice.getByRole("button", { name: "Create bucket" }).click();
  await expect(alice.getByTestId("banner-success")).toHaveText(`Bucket ${bucket} was created.`);
  await alice.goto(`/s3/${bucket}`);
  const files = ["jan.csv", "feb.csv", "mar.csv"].map((name) => ({ name, mimeType: "text/csv", buffer: Buffer.from(`month\n${name}\n`) }));
  await alice.getByLabel("Files to upload").setInputFiles(files);
  await alice.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(alice.getByText("Uploaded 3 of 3 files.")).toBeVisible({ timeout: 45_000 });
  // Her policies (PowerUserAccess) do not let her list IAM users: a denied call she needed.
  await alice.goto("/iam/users");
  await expect(alice.getByText(/not authorized to perform: iam:ListUsers/)).toBeVisible();
  await aliceContext.close();

  const page = await browser.newPage();
  await signIn(page, "admin");
  await page.goto("/iam/users/alice");
  await page.getByRole("link", { name: "Generate policy" }).click();
  await page.getByLabel("Activity period").selectOption("1");
  await page.getByRole("button", { name: "Generate policy" }).click();
  const draft = page.getByTestId("generated-policy");
  await expect(draft).toBeVisible();
  const policy = JSON.parse((await draft.textContent())!) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] };
  const grants = (action: string) => policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
  expect(grants("s3:CreateBucket")).toEqual([`arn:aws:s3:::${bucket}`]);
  // Three objects uploaded side by side: their folder (the bucket's top) is wildcarded, nothing wider.
  expect(grants("s3:PutObject")).toContain(`arn:aws:s3:::${bucket}/*`);
  expect(grants("iam:ListUsers")).toEqual(["*"]);
  expect(policy.Statement.flatMap((s) => s.Resource)).not.toContain("arn:aws:s3:::*");

  // Try it: every recorded request is allowed; a request she never made (deleting the bucket) is denied.
  await page.getByLabel("Also try action (optional)").fill("s3:DeleteBucket");
  await page.getByLabel("On resource").fill(`arn:aws:s3:::${bucket}`);
  await page.getByRole("button", { name: "Try in simulator" }).click();
  const summary = page.getByTestId("try-summary");
  await expect(summary).toBeVisible({ timeout: 60_000 });
  const [, , recorded] = /allows (\d+) of (\d+) recorded/.exec((await summary.textContent())!)!;
  expect(Number(recorded)).toBeGreaterThanOrEqual(5);
  const rows = page.getByTestId("tried-request");
  await expect(rows).toHaveCount(Number(recorded) + 1);
  await expect(rows.filter({ hasText: "Never made" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Never made" })).toContainText("s3:DeleteBucket");
  await expect(rows.filter({ hasText: "Never made" })).toContainText("Denied (implicitly)");
  // Everything this test had alice do is allowed by the draft (other specs' earlier activity of hers is in the day too).
  const ours = rows.filter({ hasText: bucket }).filter({ hasNotText: "Never made" });
  expect(await ours.count()).toBeGreaterThanOrEqual(4);
  for (const row of await ours.all()) await expect(row).toContainText("Allowed");
  await expect(rows.filter({ hasText: "iam:ListUsers" })).toContainText("Allowed");
  await expect(ours.filter({ hasText: "s3:PutObject" }).first()).toContainText(`${bucket}/`);

  // Open it in the policy editor: the create-policy form starts from the draft, with its summary beside it.
  await page.getByRole("link", { name: "Open in policy editor" }).click();
  await expect(page).toHaveURL(/\/iam\/policies\/create\?generationJob=/);
  // The editor renders only the lines in view: the draft's first statement is there (in the full
  // suite alice's day has other specs' services too, whose statements sort before S3's).
  const editor = page.getByRole("textbox", { name: "Policy editor (JSON)" });
  await expect(editor).toContainText(`"Sid": "${policy.Statement[0]!.Sid}"`);
  await expect(editor).toContainText(policy.Statement[0]!.Action[0]!);
  await page.getByLabel("Policy name").fill(`alice-generated-${bucket}`);
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/flash=created/);
});
