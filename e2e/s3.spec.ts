import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, freshCode, signInAsRoot, signInAsUser } from "./helpers";

const unique = () => `${Date.now().toString(36)}${crypto.randomBytes(2).toString("hex")}`;
const md5 = (b: Buffer) => crypto.createHash("md5").update(b).digest("hex");

/** Replaces the policy editor's text (CodeMirror) with `text`. */
async function typePolicy(page: Page, text: string) {
  const editor = page.getByRole("textbox", { name: "Policy" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/** Signs in and waits until the console shows who is signed in. */
async function signIn(page: Page, userName: string) {
  await signInAsUser(page, userName);
  await expect(page.getByTestId("identity")).toContainText(userName);
}

async function signInAsErin(page: Page) {
  await signInAsUser(page, "erin");
  await page.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("identity")).toContainText("erin");
}

async function upload(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await page.getByLabel("Files to upload").setInputFiles(files);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const n = files.length;
  await expect(page.getByText(`Uploaded ${n} of ${n} file${n === 1 ? "" : "s"}.`)).toBeVisible({ timeout: 45_000 });
}

async function createBucket(page: Page, name: string) {
  await page.goto("/s3?create=1");
  await page.getByLabel("Bucket name").fill(name);
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`Bucket ${name} was created.`);
}

test("creating a bucket names the naming rule a bad name breaks, then creates a good one", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/s3");
  await expect(page.getByRole("row", { name: /example-dev-assets/ })).toContainText("Bucket and objects not public");
  await page.getByRole("link", { name: "Create bucket" }).click();

  const name = page.getByLabel("Bucket name");
  await name.fill("Team_Uploads");
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Bucket names can consist only of lowercase letters, numbers, periods \(\.\), and hyphens \(-\)\./);
  await expect(name).toHaveValue("Team_Uploads");

  // Names are global: another account's bucket name is taken.
  await name.fill("example-prod-logs");
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("BucketAlreadyExists");
  await expect(page.getByTestId("banner-error")).toContainText("The requested bucket name is not available.");

  const good = `e2e-bucket-${unique()}`;
  await name.fill(good);
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText(`Bucket ${good} was created.`);
  const row = page.getByRole("row", { name: new RegExp(good) });
  await expect(row).toContainText("us-east-1");
  await expect(row).toContainText("Bucket and objects not public");
  await row.getByRole("link", { name: good }).click();
  await expect(page.getByRole("heading", { level: 1, name: good })).toBeVisible();
  await expect(page.getByTestId("arn")).toHaveText(`arn:aws:s3:::${good}`);
  await expect(page.getByText("No objects")).toBeVisible();
});

test("a binary file uploads from the browser and downloads byte for byte", async ({ page }) => {
  const bytes = crypto.randomBytes(256 * 1024 + 17);
  bytes[0] = 0x00;
  bytes[1] = 0xff;
  const fileName = `blob-${unique()}.bin`;
  await signIn(page, "admin");
  await page.goto("/s3/example-dev-scratch");
  await upload(page, [{ name: fileName, mimeType: "application/octet-stream", buffer: bytes }]);
  await expect(page.getByRole("progressbar", { name: `Upload progress for ${fileName}` })).toHaveAttribute("value", String(bytes.length));

  await page.getByRole("link", { name: fileName }).click();
  await expect(page.getByTestId("object-key")).toHaveText(fileName);
  await expect(page.getByTestId("etag")).toHaveText(`"${md5(bytes)}"`);
  await expect(page.getByText(`(${bytes.length.toLocaleString("en-US")} bytes)`)).toBeVisible();
  await expect(page.getByText("application/octet-stream")).toBeVisible();
  await expect(page.getByTestId("s3-uri")).toHaveText(`s3://example-dev-scratch/${fileName}`);
  await expect(page.getByTestId("arn")).toHaveText(`arn:aws:s3:::example-dev-scratch/${fileName}`);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(fileName);
  const received = fs.readFileSync(await download.path());
  expect(received.length).toBe(bytes.length);
  expect(received.equals(bytes)).toBe(true);
});

test("deleting an object is refused by the lab SCP for an everyday identity, with the elevation offer", async ({ page }) => {
  const fileName = `keep-${unique()}.txt`;
  await signIn(page, "admin");
  await page.goto("/s3/example-dev-scratch");
  await upload(page, [{ name: fileName, mimeType: "text/plain", buffer: Buffer.from("still here\n") }]);
  await page.getByRole("checkbox", { name: `Select ${fileName}` }).check();
  await page.getByRole("button", { name: "Delete (1)" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(fileName);
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill("permanently delete");
  await confirm.click();
  const refusal = page.getByTestId("banner-error");
  await expect(refusal).toContainText("AccessDenied");
  await expect(refusal).toContainText("s3:DeleteObject");
  await expect(refusal).toContainText("with an explicit deny in a service control policy");
  await expect(refusal.getByRole("link", { name: "Why?" })).toHaveAttribute("href", /\/simulator\?.*action=s3%3ADeleteObject/);
  // admin has no MFA device: the elevation panel says so and leads to assigning one (erin's tests elevate).
  await expect(page.getByRole("region", { name: /Elevated access/ })).toContainText("You have no MFA device");
  await page.reload();
  await expect(page.getByRole("link", { name: fileName })).toBeVisible();
});

test("folders split keys at \"/\", and a long folder pages with continuation tokens", async ({ page }) => {
  const folder = `paging-${unique()}`;
  await signIn(page, "admin");
  await page.goto("/s3/example-dev-scratch");
  await page.getByLabel("Folder name").fill(folder);
  await page.getByRole("button", { name: "Create folder" }).click();
  await page.getByRole("link", { name: `${folder}/` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`example-dev-scratch / ${folder}/`);
  await expect(page.getByText("This folder is empty")).toBeVisible();

  const files = Array.from({ length: 55 }, (_, i) => ({ name: `f-${String(i).padStart(2, "0")}.txt`, mimeType: "text/plain", buffer: Buffer.from(`file ${i}\n`) }));
  await upload(page, files);
  await page.getByLabel("Folder name").fill("sub");
  await page.getByRole("button", { name: "Create folder" }).click();
  await expect(page.getByText("Folder created.")).toBeVisible();
  await page.reload();

  const fileLinks = page.getByRole("link", { name: /^f-\d\d\.txt$/ });
  await expect(page.getByRole("link", { name: "f-00.txt" })).toBeVisible();
  const firstPage = await fileLinks.count();
  expect(firstPage).toBeGreaterThan(0);
  expect(firstPage).toBeLessThanOrEqual(50);
  await expect(page.getByRole("link", { name: "f-54.txt" })).toHaveCount(0);
  await expect(page.getByTestId("list-count")).toContainText(`1-${firstPage}`);

  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/token=/);
  await expect(page.getByRole("link", { name: "f-54.txt" })).toBeVisible();
  await expect(page.getByRole("link", { name: "f-00.txt" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "sub/" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  expect(firstPage + (await fileLinks.count())).toBe(55);

  await page.getByRole("link", { name: "sub/" }).click();
  await expect(page.getByText("This folder is empty")).toBeVisible();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByText("sub/")).toHaveAttribute("aria-current", "page");
  await crumbs.getByRole("link", { name: `${folder}/` }).click();
  await expect(page.getByRole("link", { name: "f-00.txt" })).toBeVisible();
  await crumbs.getByRole("link", { name: "example-dev-scratch" }).click();
  await expect(page.getByRole("link", { name: `${folder}/` })).toBeVisible();
});

test("a bucket policy grants another account read access; Block Public Access refuses a public one", async ({ page }) => {
  const prod = DEMO_ACCOUNTS.prod;
  const devRoot = `arn:aws:iam::${DEMO_ACCOUNTS.dev.id}:root`;
  const crossAccountRead = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "DevReadsObjects", Effect: "Allow", Principal: { AWS: devRoot }, Action: "s3:GetObject", Resource: "arn:aws:s3:::example-prod-logs/*" },
      { Sid: "DevListsBucket", Effect: "Allow", Principal: { AWS: devRoot }, Action: "s3:ListBucket", Resource: "arn:aws:s3:::example-prod-logs" },
    ],
  });

  // prod's root opens the bucket policy: the lab SCP keeps PutBucketPolicy for the elevation role, root included.
  await signInAsRoot(page, prod.rootEmail);
  await expect(page.getByTestId("identity")).toContainText(prod.id);
  await page.goto("/s3/example-prod-logs?tab=permissions");
  await expect(page.getByText("No bucket policy.")).toBeVisible();
  await typePolicy(page, crossAccountRead);
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("with an explicit deny in a service control policy");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();

  // erin (dev, MFA) works in prod through ProdReadOnly, then elevates into prod's S3ElevatedAccess to save it.
  await signInAsErin(page);
  await page.goto(`/switchrole?account=${prod.id}&roleName=ProdReadOnly`);
  await page.getByRole("button", { name: "Switch Role" }).click();
  await expect(page.getByTestId("identity")).toContainText(prod.id);
  await page.goto("/s3/example-prod-logs?tab=permissions");
  await typePolicy(page, crossAccountRead);
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("AccessDenied");
  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();
  await elevation.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await elevation.getByLabel("To confirm, type example-prod-logs").fill("example-prod-logs");
  await elevation.getByRole("button", { name: "Save policy as elevated role" }).click();
  await expect(elevation.getByText("Done as S3ElevatedAccess.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("The policy below is in effect.")).toBeVisible();

  // Block Public Access (on by default) refuses a policy that grants everyone, even to the elevated role.
  await typePolicy(
    page,
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::example-prod-logs/*" }] }),
  );
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("because public policies are blocked by the BlockPublicPolicy block public access setting");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();

  // admin in dev (AdministratorAccess) reads the prod bucket: identity policy and bucket policy both allow.
  await signIn(page, "admin");
  await page.goto("/s3/example-prod-logs");
  await expect(page.getByText("Not in this account")).toBeVisible();
  await page.getByRole("link", { name: "2026/" }).click();
  await page.getByRole("link", { name: "11/" }).click();
  await page.getByRole("link", { name: "27/" }).click();
  await page.getByRole("link", { name: "app.log" }).click();
  await expect(page.getByTestId("s3-uri")).toHaveText("s3://example-prod-logs/2026/11/27/app.log");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const body = fs.readFileSync(await (await downloading).path(), "utf8");
  expect(body).toBe("INFO started\nINFO healthy\n");

  // A bucket of another account without such a policy stays closed.
  await page.goto("/s3/example-staging-data");
  const panel = page.getByTestId("error-panel");
  await expect(panel).toContainText("You don't have permission to see this");
  await expect(panel).toContainText("AccessDenied");
  await expect(panel).toContainText("s3:ListBucket");
});

test("an upload over the console's size limit is refused with S3's EntityTooLarge", async ({ page }) => {
  const limit = 16 * 1024 * 1024; // IAMLAB_MAX_CONSOLE_OBJECT_BYTES's default, which the e2e server keeps
  const fileName = `too-big-${unique()}.bin`;
  await signIn(page, "admin");
  await page.goto("/s3/example-dev-scratch");
  await expect(page.getByText("Up to 16 MB per file")).toBeVisible();
  await page.getByLabel("Files to upload").setInputFiles({ name: fileName, mimeType: "application/octet-stream", buffer: crypto.randomBytes(limit + 1) });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const refusal = page.getByTestId("banner-error");
  await expect(refusal).toContainText("EntityTooLarge", { timeout: 30_000 });
  await expect(refusal).toContainText(`${fileName}: Your proposed upload exceeds the maximum allowed object size.`);
  await page.reload();
  await expect(page.getByRole("link", { name: fileName })).toHaveCount(0);
});

test("bucket settings: Block Public Access toggles change the access summary; logging needs a target in the same account", async ({ page }) => {
  const name = `e2e-settings-${unique()}`;
  await signIn(page, "admin");
  await createBucket(page, name);

  await page.goto(`/s3/${name}?tab=permissions`);
  const overview = page.getByRole("region", { name: "Permissions overview" });
  await expect(overview).toContainText("Bucket and objects not public");
  const policies = page.getByRole("checkbox", { name: "Block public access granted through new bucket policies" });
  await expect(policies).toBeChecked();
  await policies.uncheck();
  await expect(page.getByRole("checkbox", { name: "Block all public access" })).not.toBeChecked();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Block Public Access settings saved.");
  await expect(overview).toContainText("Objects can be public");
  await page.reload();
  await expect(policies).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Block public access granted through any ACLs" })).toBeChecked();
  await page.goto("/s3");
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Objects can be public");

  await page.goto(`/s3/${name}?tab=properties`);
  await expect(page.getByRole("region", { name: "Bucket overview" })).toContainText("us-east-1");
  await page.getByRole("checkbox", { name: "Log requests made to this bucket" }).check();
  await page.getByLabel("Target bucket").fill("example-prod-logs");
  await page.getByLabel("Target prefix").fill("access/");
  await page.getByRole("button", { name: "Save changes" }).click();
  const refusal = page.getByTestId("banner-error");
  await expect(refusal).toContainText("InvalidTargetBucketForLogging");
  await expect(refusal).toContainText("The owner for the bucket to be logged and the target bucket must be the same.");
  await expect(page.getByLabel("Target prefix")).toHaveValue("access/");
  await page.getByLabel("Target bucket").fill("example-dev-assets");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Server access logging saved.");
  await page.reload();
  await expect(page.getByLabel("Target bucket")).toHaveValue("example-dev-assets");
  await expect(page.getByLabel("Target prefix")).toHaveValue("access/");
});

test("deleting a bucket takes the typed name, and the elevation role the lab SCP asks for", async ({ page }) => {
  const name = `e2e-delete-${unique()}`;
  await signInAsErin(page);
  await createBucket(page, name);
  await page.getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Delete bucket" }).click();
  // Only the open dialog is exposed to the accessibility tree.
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Delete bucket ${name}?`);
  const confirm = dialog.getByRole("button", { name: "Delete bucket" });
  await dialog.getByRole("textbox").fill(name.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill(name);
  await confirm.click();
  await expect(page.getByTestId("banner-error")).toContainText("s3:DeleteBucket");
  await expect(page.getByTestId("banner-error")).toContainText("with an explicit deny in a service control policy");

  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();
  await elevation.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await elevation.getByLabel(`To confirm, type ${name}`).fill(name);
  await elevation.getByRole("button", { name: "Delete bucket as elevated role" }).click();
  await expect(page).toHaveURL(/\/s3\?deleted=/);
  await expect(page.getByTestId("banner-success")).toHaveText(`Bucket ${name} was deleted.`);
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});
