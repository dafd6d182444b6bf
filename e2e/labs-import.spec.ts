// Import a real account's IAM into a new sandbox, the way an instructor does:
// from the labs page to the import page, a file from `aws iam
// get-account-authorization-details`, the report of what was and was not
// imported, the sandbox's sign-in details, its users seen by signing in to it,
// and the download in the same format. The action is the gate: replayed with
// a read-only user's session it imports nothing.
import fs from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { expectSignedInAs, signInAsUser } from "./helpers";

const SOURCE = "444455556666";
const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] };
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };

/** A small account as the CLI prints it, with one user whose name IAM refuses and one attachment to a policy not in the file. */
function fixture(tag: string) {
  return {
    UserDetailList: [
      { Path: "/", UserName: `dana-${tag}`, UserId: "AIDAEXAMPLEDANA00001", Arn: `arn:aws:iam::${SOURCE}:user/dana-${tag}`, CreateDate: "2024-05-01T10:00:00+00:00", UserPolicyList: [], GroupList: ["readers"], AttachedManagedPolicies: [], Tags: [] },
      { Path: "/", UserName: `eve-${tag}`, UserId: "AIDAEXAMPLEEVE000001", Arn: `arn:aws:iam::${SOURCE}:user/eve-${tag}`, CreateDate: "2024-05-01T10:00:00+00:00", UserPolicyList: [{ PolicyName: "list", PolicyDocument: doc }], GroupList: [], AttachedManagedPolicies: [], Tags: [] },
      { Path: "/", UserName: "not a name!", Arn: `arn:aws:iam::${SOURCE}:user/x` },
    ],
    GroupDetailList: [
      { Path: "/", GroupName: "readers", GroupId: "AGPAEXAMPLEREADERS01", Arn: `arn:aws:iam::${SOURCE}:group/readers`, CreateDate: "2024-05-01T10:00:00+00:00", GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: "Gone", PolicyArn: `arn:aws:iam::${SOURCE}:policy/Gone` }] },
    ],
    RoleDetailList: [
      { Path: "/", RoleName: "app", RoleId: "AROAEXAMPLEAPP000001", Arn: `arn:aws:iam::${SOURCE}:role/app`, CreateDate: "2024-05-01T10:00:00+00:00", AssumeRolePolicyDocument: trust, InstanceProfileList: [], RolePolicyList: [], AttachedManagedPolicies: [], Tags: [], RoleLastUsed: {} },
    ],
    Policies: [],
  };
}

// Two browsers and a new sandbox per test on a shared 2-core machine.
test.describe.configure({ timeout: 180_000 });

async function chooseFile(page: Page, body: unknown) {
  await page.getByLabel("JSON file").setInputFiles({ name: "account.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(body, null, 4)) });
}

test("an instructor imports an account's IAM into a new sandbox, reads the report, signs in to see its users, and downloads it", async ({ page, browser, baseURL }) => {
  const tag = Date.now().toString(36);
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/labs");
  await page.getByRole("main").getByRole("link", { name: "Import an account" }).click();
  await expect(page).toHaveURL(/\/labs\/import$/);
  await expect(page.getByRole("heading", { name: "Import an account", level: 1 })).toBeVisible();

  // A file that is not JSON: refused with the reason, no sandbox.
  await page.getByLabel("Or paste the JSON").fill('{"UserDetailList": [');
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("ValidationError");
  await expect(page.getByTestId("banner-error")).toContainText("The file is not JSON");
  await page.getByLabel("Or paste the JSON").fill("");

  await chooseFile(page, fixture(tag));
  await page.getByRole("button", { name: "Import" }).click();
  const report = page.getByRole("region", { name: "Import report" });
  await expect(report.getByTestId("banner-success")).toContainText(`from account ${SOURCE}: 2 users, 1 group, 1 role, 0 managed policies, 0 instance profiles`);
  const skipped = report.getByRole("table", { name: "Not imported" });
  await expect(skipped.getByRole("row")).toHaveCount(3); // the header and two reasons
  await expect(skipped.getByRole("row", { name: /not a name!/ })).toContainText("the name or path breaks IAM's rules");
  await expect(skipped.getByRole("row", { name: /policy\/Gone on group readers/ })).toContainText("the policy is neither in the file");
  await report.getByText("Show password").click();
  const account = (await report.getByTestId("sandbox-account").innerText()).trim();
  const user = (await report.getByTestId("sandbox-user").innerText()).trim();
  const password = (await report.getByTestId("sandbox-password").innerText()).trim();
  expect(account).toMatch(/^\d{12}$/);
  expect(account).not.toBe(SOURCE);
  expect(user).toBe("lab-explorer");
  const sandboxId = (await report.getByRole("link", { name: /^Open sandbox / }).innerText()).replace("Open sandbox ", "").trim();

  // The sandbox's own user signs in and finds the imported users, groups and roles in the console.
  const explorer = await (await browser.newContext({ baseURL })).newPage();
  await signInAsUser(explorer, user, account, password);
  await expectSignedInAs(explorer, user);
  await explorer.goto("/iam/users");
  const users = explorer.getByRole("table", { name: "Users" });
  for (const name of [`dana-${tag}`, `eve-${tag}`, "lab-explorer"]) await expect(users.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(users.getByRole("link", { name: "admin", exact: true })).toHaveCount(0);
  await explorer.goto("/iam/roles");
  await expect(explorer.getByRole("link", { name: "app", exact: true })).toBeVisible();
  await explorer.context().close();

  // The download: the same format, the new account's ARNs, no credentials.
  await page.reload();
  const row = page.getByRole("table", { name: "Imported sandboxes" }).getByRole("row", { name: new RegExp(sandboxId) });
  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: /^Download / }).click()]);
  expect(download.suggestedFilename()).toBe(`authorization-details-${account}.json`);
  const file = JSON.parse(await fs.readFile((await download.path())!, "utf8")) as ReturnType<typeof fixture>;
  expect(Object.keys(file)).toEqual(["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]);
  expect(file.UserDetailList.map((u) => u.UserName)).toEqual([`dana-${tag}`, `eve-${tag}`, "lab-explorer"]);
  expect(file.UserDetailList[1]!.Arn).toBe(`arn:aws:iam::${account}:user/eve-${tag}`);
  expect(file.UserDetailList[1]!.UserPolicyList?.[0]?.PolicyDocument).toEqual(doc);
  expect(file.RoleDetailList[0]!.AssumeRolePolicyDocument).toEqual(trust);
});

test("the import action is the gate: a read-only user's replay of it imports nothing, and the page tells them why", async ({ page, browser, baseURL }) => {
  const tag = `gate${Date.now().toString(36)}`;
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/labs/import");

  // Capture the admin's real request and keep it from reaching the server.
  let captured: { url: string; headers: Record<string, string>; body: Buffer } | null = null;
  await page.route("**/labs/import", async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"]) {
      captured = { url: request.url(), headers: await request.allHeaders(), body: request.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await chooseFile(page, fixture(tag));
  await page.getByRole("button", { name: "Import" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  await page.unrouteAll();
  const { url, headers, body } = captured!;
  expect(body.toString("utf8")).toContain(`dana-${tag}`);
  const forward = Object.fromEntries(Object.entries(headers).filter(([k]) => !["cookie", "content-length", "host"].includes(k.toLowerCase())));

  const bob = await browser.newContext({ baseURL });
  const bobPage = await bob.newPage();
  await signInAsUser(bobPage, "bob");
  await expect(bobPage).toHaveURL(/\/iam$/);
  const asBob = await (await bob.request.post(url, { headers: forward, data: body, maxRedirects: 0 })).text();
  expect(asBob).toContain("AccessDenied");
  expect(asBob).toContain("is not authorized to perform: iamlab:ManageClasses");
  await bobPage.goto("/labs/import");
  await expect(bobPage.getByTestId("banner-error")).toContainText("is not authorized to perform: iamlab:ManageClasses");
  await expect(bobPage.getByLabel("JSON file")).toHaveCount(0);

  // Nothing was imported for bob; the same request with the admin's session does import (the replay is sound).
  await page.reload();
  await expect(page.getByRole("table", { name: "Imported sandboxes" }).getByText(`dana-${tag}`)).toHaveCount(0);
  const asAdmin = await (await page.request.post(url, { headers: forward, data: body, maxRedirects: 0 })).text();
  expect(asAdmin).not.toContain("AccessDenied");
  expect(asAdmin).toContain("lab-explorer");
  const sandboxId = /"sandbox":\{"id":"([a-z][a-z0-9]{7})"/.exec(asAdmin)?.[1];
  expect(sandboxId).toBeDefined();

  // Nor may bob download the admin's imported sandbox; the admin may.
  const refused = await bob.request.get(`/labs/import/export?sandbox=${sandboxId}`);
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ __type: "AccessDenied", message: expect.stringContaining("iamlab:ManageClasses") });
  await bob.close();
  const allowed = await page.request.get(`/labs/import/export?sandbox=${sandboxId}`);
  expect(allowed.status()).toBe(200);
  expect(((await allowed.json()) as ReturnType<typeof fixture>).UserDetailList.map((u) => u.UserName)).toContain(`dana-${tag}`);
});
