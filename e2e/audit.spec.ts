import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEV, expectSignedInAs, freshCode, signInAsUser as signIn } from "./helpers";

/** Signs in and waits for the console, so the next navigation is signed in. */
async function signInAsUser(page: Page, name: string) {
  await signIn(page, name);
  await expectSignedInAs(page, name);
}

test("event history shows the sign-in and a denied request with its error code, filtered by event name", async ({ page }) => {
  await signInAsUser(page, "bob");
  // A request bob is refused: simulating a principal of another account.
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEMO_ACCOUNTS.prod.id}:role/ProdReadOnly`);
  await page.getByLabel("Action to add").fill("s3:ListBucket");
  await page.getByRole("button", { name: "Add action" }).click();
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("AccessDenied");

  await page.getByRole("link", { name: "Event history" }).click();
  await expect(page.getByRole("heading", { name: "Event history" })).toBeVisible();
  const events = page.getByRole("table", { name: "Events" });

  // Filter by event name: only the denied simulation.
  await page.getByLabel("Filter events").fill("SimulatePrincipalPolicy");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/q=SimulatePrincipalPolicy/);
  const denied = events.getByRole("row").filter({ hasText: "SimulatePrincipalPolicy" }).first();
  await expect(denied).toContainText("AccessDenied");
  await expect(denied).toContainText(`arn:aws:iam::${DEV.id}:user/bob`);
  await expect(events.getByRole("row").filter({ hasNotText: "SimulatePrincipalPolicy" })).toHaveCount(1); // the header row

  // The sign-in.
  await page.getByLabel("Filter events").fill("ConsoleLogin");
  await page.getByRole("button", { name: "Filter" }).click();
  const signIn = events.getByRole("row").filter({ hasText: "ConsoleLogin" }).filter({ hasText: "user/bob" }).first();
  await expect(signIn).toBeVisible();
  await expect(events.getByRole("row").filter({ hasNotText: "ConsoleLogin" })).toHaveCount(1);

  // Its whole record, as CloudTrail JSON.
  await signIn.getByRole("link", { name: "ConsoleLogin" }).click();
  await expect(page.getByRole("heading", { name: "ConsoleLogin" })).toBeVisible();
  const record = JSON.parse((await page.getByTestId("event-json").textContent()) ?? "{}");
  expect(record.eventName).toBe("ConsoleLogin");
  expect(record.eventSource).toBe("signin.amazonaws.com");
  expect(record.userIdentity.arn).toBe(`arn:aws:iam::${DEV.id}:user/bob`);
  expect(record.userIdentity.sessionContext.attributes.mfaAuthenticated).toBe("false");
  expect(record.recipientAccountId).toBe(DEV.id);
});

test("errors-only and a bad filter: a quick filter narrows the list, a typo is refused in words", async ({ page }) => {
  await signInAsUser(page, "admin");
  // A request that fails: simulating a user that does not exist.
  const ghost = `ghost-${Date.now()}`;
  await page.goto("/simulator");
  await page.getByLabel("Principal ARN").fill(`arn:aws:iam::${DEV.id}:user/${ghost}`);
  await page.getByLabel("Action to add").fill("s3:ListBucket");
  await page.getByRole("button", { name: "Add action" }).click();
  await page.getByRole("button", { name: "Run simulation" }).click();
  await expect(page.getByTestId("banner-error")).toContainText(`NoSuchEntity`);

  await page.goto("/audit");
  await page.getByRole("link", { name: "Errors", exact: true }).click();
  await expect(page).toHaveURL(/q=error%3A\*/);
  const rows = page.getByRole("table", { name: "Events" }).getByRole("row");
  // Every listed event has an error code (header row aside).
  await expect(rows.filter({ hasText: "NoSuchEntity" }).first()).toBeVisible();
  const count = await rows.count();
  for (let i = 1; i < count; i++) await expect(rows.nth(i).getByRole("cell").last()).not.toHaveText("-");

  await page.getByLabel("Filter events").fill("access:sometimes");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("banner-error")).toContainText("access: takes read, write or all, not sometimes.");
});

test("the history opens on changes and errors; the switch shows read-only events too; the chart follows the filter", async ({ page }) => {
  await signInAsUser(page, "admin");
  await page.goto("/iam/users"); // a ListUsers read
  await page.goto("/audit");
  const events = page.getByRole("table", { name: "Events" });
  await expect(page.getByTestId("activity-chart").locator("svg")).toHaveCount(2); // light and dark, rendered on the server
  await expect(events.getByRole("row").filter({ hasText: "ListUsers" }).filter({ hasNotText: "AccessDenied" })).toHaveCount(0);
  const switchBox = page.getByRole("switch", { name: "Include read-only events" });
  await switchBox.check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/readonly=1/);
  await expect(events.getByRole("row").filter({ hasText: "ListUsers" }).first()).toBeVisible();
  await expect(page.getByRole("switch", { name: "Include read-only events" })).toBeChecked();
  // The chart's totals follow the filter.
  const all = await page.getByTestId("activity-totals").textContent();
  await page.getByLabel("Filter events").fill("error:*");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("activity-totals")).toContainText(/^0 allowed/);
  expect(await page.getByTestId("activity-totals").textContent()).not.toBe(all);
});

test("an elevated delete is found by role name and deleteobject; the failed AssumeRole shows its role in Resources, ARNs wrap at separators", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "erin");
  await page.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await page.getByRole("button", { name: "Submit" }).click();
  await expectSignedInAs(page, "erin");
  const file = `audit-${Date.now().toString(36)}.txt`;
  await page.goto("/s3/example-dev-scratch");
  await page.getByLabel("Files to upload").setInputFiles([{ name: file, mimeType: "text/plain", buffer: Buffer.from("audit\n") }]);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Uploaded 1 of 1 file.")).toBeVisible({ timeout: 45_000 });
  await page.getByRole("checkbox", { name: `Select ${file}` }).check();
  await page.getByRole("button", { name: "Delete (1)" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("permanently delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  const elevation = page.getByRole("region", { name: /Elevated access/ });
  await elevation.getByRole("button", { name: "Assume elevated role" }).click();
  await elevation.getByLabel("MFA code").fill("000000"); // a refused AssumeRole
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await expect(elevation.getByTestId("banner-error")).toBeVisible();
  await elevation.getByLabel("MFA code").fill(await freshCode(DEMO_MFA_SEED));
  await elevation.getByRole("button", { name: "Assume role" }).click();
  await expectSignedInAs(page, "S3ElevatedAccess/erin");
  await elevation.getByLabel("To confirm, type example-dev-scratch").fill("example-dev-scratch");
  await elevation.getByRole("button", { name: "Delete as elevated role" }).click();
  await expect(elevation.getByText("Done as S3ElevatedAccess.")).toBeVisible();
  await page.getByRole("button", { name: "Back to erin" }).click();
  await expectSignedInAs(page, "erin");

  await page.goto("/audit?q=" + encodeURIComponent("user:S3ElevatedAccess deleteobject"));
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.getByRole("row").filter({ hasText: "DeleteObject" }).first()).toBeVisible();
  await expect(events.getByRole("row").filter({ hasNotText: "DeleteObject" })).toHaveCount(1); // the header row
  await page.goto("/audit?q=" + encodeURIComponent("user:erin deleteobject"));
  await expect(events.getByRole("row").filter({ hasText: "S3ElevatedAccess/erin" }).first()).toBeVisible();

  await page.goto("/audit?q=" + encodeURIComponent("AssumeRole user:erin error:*"));
  const refused = events.getByRole("row").filter({ hasText: "AssumeRole" }).first();
  const resources = refused.getByTestId("event-resources");
  await expect(resources).toContainText(`arn:aws:iam::${DEV.id}:role/S3ElevatedAccess`);
  // ARNs break only after ":" and "/": <wbr> there, and no breaking inside words.
  expect(await resources.locator("wbr").count()).toBeGreaterThan(3);
  const wordBreak = await resources.locator("span.font-mono").first().evaluate((el) => getComputedStyle(el).wordBreak);
  expect(wordBreak).toBe("keep-all");
});

test("export of the filtered set: CloudTrail JSON and CSV", async ({ page }) => {
  await signInAsUser(page, "admin");
  await page.goto("/audit?q=ConsoleLogin");
  const jsonHref = await page.getByRole("link", { name: "Export JSON" }).getAttribute("href");
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(jsonHref).toContain("q=ConsoleLogin");
  const json = await page.request.get(jsonHref!);
  expect(json.headers()["content-type"]).toContain("application/json");
  const records = (await json.json()).Records as { eventName: string; userIdentity: { type: string } }[];
  expect(records.length).toBeGreaterThan(0);
  expect(new Set(records.map((r) => r.eventName))).toEqual(new Set(["ConsoleLogin"]));
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trimEnd().split("\r\n");
  expect(lines[0]!.startsWith("Event ID,Event time,User name,Event name")).toBe(true);
  expect(lines).toHaveLength(records.length + 1);
  expect(lines.slice(1).every((l) => l.split(",")[3] === "ConsoleLogin")).toBe(true);
});

test("a trail's data-event selector makes object reads appear in the history; deleting the trail stops it", async ({ page }) => {
  await signInAsUser(page, "admin");
  const name = `reads-${Date.now().toString(36)}`;
  await page.goto("/audit/trails");
  await page.getByLabel("Trail name").fill(name);
  await page.getByRole("button", { name: "Create trail" }).click();
  const trail = page.getByRole("region", { name });
  await expect(trail).toBeVisible();
  const row = trail.getByTestId("selector-row").first();
  await row.getByLabel("Bucket").fill("example-dev-assets");
  await row.getByLabel("Prefix").fill("reports/");
  await row.getByLabel("Events").selectOption("ReadOnly");
  await trail.getByRole("button", { name: "Save event selectors" }).click();
  await expect(trail.getByTestId("banner-success")).toContainText("Event selectors saved.");

  const read = await page.request.get(`/s3/example-dev-assets/download?key=${encodeURIComponent("reports/2026/q3.csv")}`);
  expect(read.status()).toBe(200);
  const unselected = await page.request.get(`/s3/example-dev-assets/download?key=README.txt`);
  expect(unselected.status()).toBe(200);
  await page.goto("/audit?q=" + encodeURIComponent("GetObject type:AWS::S3::Object"));
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.getByRole("row").filter({ hasText: "reports/2026/q3.csv" }).first()).toBeVisible();
  await expect(events.getByRole("row").filter({ hasText: "README.txt" })).toHaveCount(0);

  await page.goto("/audit/trails");
  await trail.getByRole("button", { name: "Delete trail" }).click();
  await trail.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("region", { name })).toHaveCount(0);
});
