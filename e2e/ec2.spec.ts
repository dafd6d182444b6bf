import { expect, test } from "@playwright/test";
import { expectSignedInAs, signInAsUser } from "./helpers";

// A simulated instance launched with the seeded WebAppServer profile: its metadata
// service (a real listener of the server under test) hands out the role's credentials.
test("an instance launched with an instance profile gets its role's credentials from its metadata service, until it is terminated", async ({ page }) => {
  const name = `web-${Date.now().toString(36)}`;
  await signInAsUser(page, "admin");
  await expectSignedInAs(page, "admin");
  await page.goto("/ec2");
  await page.getByRole("link", { name: "Launch instance" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("IAM instance profile").selectOption("WebAppServer");
  await page.getByRole("button", { name: "Launch instance" }).click();
  await expect(page.getByText(/Instance i-[0-9a-f]{17} is running\./)).toBeVisible();

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Running");
  await expect(row).toContainText("WebAppServer");
  const setting = (await row.getByText(/^export AWS_EC2_METADATA_SERVICE_ENDPOINT=/).textContent())!;
  const endpoint = setting.replace("export AWS_EC2_METADATA_SERVICE_ENDPOINT=", "");
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  // What a program on the instance does (IMDSv2): token, role name, credentials. The listener opens within seconds.
  let token = "";
  await expect(async () => {
    const r = await fetch(`${endpoint}/latest/api/token`, { method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" } });
    expect(r.status).toBe(200);
    token = await r.text();
  }).toPass({ timeout: 15_000 });
  const get = (path: string) => fetch(`${endpoint}/latest/meta-data/${path}`, { headers: { "x-aws-ec2-metadata-token": token } });
  expect(await (await get("iam/security-credentials/")).text()).toBe("WebAppServer");
  const creds = await (await get("iam/security-credentials/WebAppServer")).json();
  expect(creds).toMatchObject({ Code: "Success", AccessKeyId: expect.stringMatching(/^ASIA/) });

  await row.getByRole("button", { name: "Terminate" }).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`Terminate ${name}`) });
  const instanceId = (await row.locator("td.font-mono").textContent())!;
  await dialog.getByRole("textbox").fill(instanceId);
  await dialog.getByRole("button", { name: "Terminate" }).click();
  await expect(row).toContainText("Terminated");
  await expect(async () => {
    await expect(fetch(`${endpoint}/latest/api/token`, { method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" } })).rejects.toThrow();
  }).toPass({ timeout: 15_000 });
});

test("launching with a profile passes its role: a developer without iam:PassRole is refused, and told why", async ({ page }) => {
  await signInAsUser(page, "alice");
  await expectSignedInAs(page, "alice");
  await page.goto("/ec2?launch=1");
  // alice may not list instance profiles: she types the name.
  await page.getByLabel("IAM instance profile").fill("WebAppServer");
  await page.getByRole("button", { name: "Launch instance" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("iam:PassRole");
});
