// The instructor view at work: the demo admin creates a class, a learner signs
// in to a seat with the details in the table and changes something in the
// console, and the instructor's next load shows it (the table remembers each
// sandbox's progress and checks a sandbox again only when something happened
// in it: lib/labs/remembered-progress.ts); reset brings the seat back.
import { expect as baseExpect, test } from "@playwright/test";
import { expectSignedInAs, signInAsUser } from "./helpers";

/** Page loads under a shared machine's load take longer than the config's 10 s default; the waits stay on visible state. */
const expect = baseExpect.configure({ timeout: 30_000 });

test("an instructor sees a learner's change on the next load of the class table, and the initial state after a reset", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const name = `Instructor e2e ${Date.now()}`;
  await signInAsUser(page, "admin");
  await expect(page).toHaveURL(/\/iam$/);
  await page.goto("/instructor");
  await page.getByLabel("Lab").selectOption({ label: "Users and groups with least privilege" });
  await page.getByLabel("Class name").fill(name);
  await page.getByLabel("Number of sandboxes").fill("2");
  await page.getByRole("button", { name: "Create class" }).click();
  await expect(page.getByTestId("banner-success")).toHaveText("Class created with 2 sandboxes.", { timeout: 60_000 });

  const table = page.getByRole("table", { name: `Progress of ${name}` });
  const seat = (n: number) => table.getByRole("row").filter({ has: page.getByRole("cell", { name: `Seat ${n}`, exact: true }) });
  const score = (n: number) => seat(n).getByTestId("sandbox-checks");
  await expect(score(1)).toHaveText(/^\d\/7$/);
  const initial = Number((await score(1).innerText()).split("/")[0]);
  const other = await score(2).innerText();

  // Seat 1's sign-in details, as the instructor hands them out.
  const cells = seat(1).getByRole("cell");
  const account = (await cells.nth(1).innerText()).trim();
  const user = (await cells.nth(2).innerText()).trim();
  await seat(1).getByText("Show").click();
  const password = (await seat(1).locator("details span").innerText()).trim();

  // The learner removes bob's inline policy (bob can no longer delete the bucket), without opening the labs page.
  const learner = await (await browser.newContext()).newPage();
  await signInAsUser(learner, user, account, password);
  await expectSignedInAs(learner, user);
  await learner.goto("/iam/users/bob?tab=permissions");
  await learner.getByRole("button", { name: "Delete reports-everything" }).click();
  await learner.getByRole("dialog").getByRole("textbox").fill("reports-everything");
  await learner.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(learner.getByTestId("banner-success").first()).toContainText("reports-everything deleted");

  // The instructor's next load shows it for seat 1 only.
  await page.reload();
  await expect(score(1)).toHaveText(`${initial + 1}/7`);
  await expect(score(2)).toHaveText(other);

  // Reset: seat 1 is back at the initial state on the next load.
  await seat(1).getByRole("button", { name: "Reset Seat 1" }).click();
  await expect(page.getByText("Sandbox Seat 1 is back at the lab's initial state.")).toBeVisible();
  await page.reload();
  await expect(score(1)).toHaveText(`${initial}/7`);

  // The class goes with its sandboxes.
  await page.locator("section").filter({ has: table }).getByRole("button", { name: "Delete class" }).click();
  await page.getByRole("dialog").getByRole("textbox").fill(name);
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(table).toHaveCount(0);
});
