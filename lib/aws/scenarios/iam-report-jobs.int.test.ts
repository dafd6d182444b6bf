// IAM's reports as jobs, through the AWS SDK v3 against the API handler: the
// credential report is STARTED, built in the background (GetCredentialReport
// answers ReportInProgress meanwhile, Generate INPROGRESS), then COMPLETE and
// kept for 4 hours; service last accessed details are IN_PROGRESS, then COMPLETED.
import { GenerateCredentialReportCommand, GenerateServiceLastAccessedDetailsCommand, GetCredentialReportCommand, GetServiceLastAccessedDetailsCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
const iam = () => sdkClients(api).iam(admin);
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

describe("credential report job", () => {
  it("is absent, STARTED, in progress for a moment, then COMPLETE and served", async () => {
    expect(await sdkFailure(iam().send(new GetCredentialReportCommand({})))).toEqual({
      code: "ReportNotPresent",
      status: 410,
      message: "The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.",
    });
    const started = await iam().send(new GenerateCredentialReportCommand({}));
    expect(started).toMatchObject({ State: "STARTED", Description: "No report exists. Starting a new report generation task" });
    expect(await sdkFailure(iam().send(new GetCredentialReportCommand({})))).toEqual({
      code: "ReportInProgress",
      status: 404,
      message: "The request was rejected because the credential report is still being generated.",
    });
    expect((await iam().send(new GenerateCredentialReportCommand({}))).State).toBe("INPROGRESS");
    const states: string[] = [];
    for (let i = 0; i < 40 && states.at(-1) !== "COMPLETE"; i++) {
      states.push((await iam().send(new GenerateCredentialReportCommand({}))).State!);
      if (states.at(-1) !== "COMPLETE") await pause(100);
    }
    expect(states.at(-1)).toBe("COMPLETE");
    const report = await iam().send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe("text/csv");
    const csv = Buffer.from(report.Content!).toString("utf8");
    expect(csv.split("\n")[1]).toMatch(new RegExp(`^<root_account>,arn:aws:iam::${DEV}:root,`));
    expect(csv).toMatch(/^admin,/m);
  });
});

describe("service last accessed details job", () => {
  it("is IN_PROGRESS when generated, then COMPLETED with the services", async () => {
    const { JobId } = await iam().send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${DEV}:user/admin` }));
    const first = await iam().send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    expect(first.JobStatus).toBe("IN_PROGRESS");
    expect(first.ServicesLastAccessed).toEqual([]);
    let status = first.JobStatus;
    let details = first;
    for (let i = 0; i < 40 && status === "IN_PROGRESS"; i++) {
      await pause(100);
      details = await iam().send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      status = details.JobStatus;
    }
    expect(status).toBe("COMPLETED");
    expect(details.ServicesLastAccessed!.map((s) => s.ServiceNamespace)).toContain("iam");
    expect(details.JobCompletionDate!.getTime()).toBeGreaterThanOrEqual(details.JobCreationDate!.getTime());
  });
});
