// The event history's filters, the "changes and errors" default, the activity
// counts and the streamed export, on records written by the real writer.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import type { Principal, RolePrincipal } from "@/lib/iam/principal";
import { run } from "@/lib/iam/services/test-helpers";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { activityOf } from "./activity";
import { CSV_COLUMNS, exportEvents } from "./export";
import { parseAuditFilter } from "./filter";
import { lookupEvents } from "./query";

let admin: Principal;
let session: RolePrincipal;
const base = new Date("2031-03-04T10:00:00Z").getTime();
const at = (minutes: number) => new Date(base + minutes * 60_000);
const FROM = at(-1);
const TO = at(600);

async function record(principal: Principal, eventName: string, minutes: number, extra: { errorCode?: string; readOnly?: boolean; arn?: string; parameters?: unknown } = {}) {
  const request = testRequest();
  await db().$transaction((tx) =>
    recordAudit(tx, {
      principal,
      request,
      eventSource: eventName.includes("Object") ? "s3.amazonaws.com" : "iam.amazonaws.com",
      eventName,
      readOnly: extra.readOnly ?? false,
      errorCode: extra.errorCode,
      errorMessage: extra.errorCode ? `${extra.errorCode}: refused` : undefined,
      requestParameters: extra.parameters,
      resources: extra.arn ? [{ ARN: extra.arn }] : undefined,
    }),
  );
  await db().auditEvent.updateMany({ where: { requestId: request.requestId }, data: { eventTime: at(minutes) } });
}

const ids = (page: { items: { eventName: string }[] }) => page.items.map((e) => e.eventName);
const look = (q: string, extra: { includeReadOnly?: boolean } = {}) => run(admin, lookupEvents(admin, { q, from: FROM, to: TO, ...extra }));

beforeAll(async () => {
  admin = await asUser("admin");
  session = {
    ...admin,
    type: "AssumedRole",
    arn: `arn:aws:sts::${DEV}:assumed-role/S3ElevatedAccess/erin`,
    principalId: "AROAHISTORYTEST:erin",
    accessKeyId: "ASIAHISTORYTEST00001",
    roleId: "AROAHISTORYTEST",
    roleName: "S3ElevatedAccess",
    roleArn: `arn:aws:iam::${DEV}:role/S3ElevatedAccess`,
    sessionId: "history-test",
    sessionName: "erin",
    expiresAt: new Date(base + 3_600_000),
    sourceArn: `arn:aws:iam::${DEV}:user/erin`,
    sourceAccountId: DEV,
    mfaAuthenticated: true,
  } as RolePrincipal;
  await record(admin, "ListUsers", 0, { readOnly: true });
  await record(admin, "GetUser", 1, { readOnly: true, errorCode: "NoSuchEntity", arn: `arn:aws:iam::${DEV}:user/ghost` });
  await record(admin, "CreateUser", 2, { arn: `arn:aws:iam::${DEV}:user/history-alice` });
  await record(session, "DeleteObject", 65, { arn: "arn:aws:s3:::example-dev-scratch/tmp/notes.txt" });
  await record(admin, "AssumeRole", 130, { errorCode: "AccessDenied", parameters: { roleArn: `arn:aws:iam::${DEV}:role/S3ElevatedAccess`, roleSessionName: "admin" } });
});

describe("the event history's filters", () => {
  it("opens on changes and errors; the switch, access:read or an event name shows successful reads", async () => {
    expect(ids(await look(""))).toEqual(["AssumeRole", "DeleteObject", "CreateUser", "GetUser"]);
    expect(ids(await look("", { includeReadOnly: true }))).toEqual(["AssumeRole", "DeleteObject", "CreateUser", "GetUser", "ListUsers"]);
    expect(ids(await look("access:read"))).toEqual(["GetUser", "ListUsers"]);
    expect(ids(await look("ListUsers"))).toEqual(["ListUsers"]);
  }, 90_000); // the first event-name filter loads the catalogue's names

  it("matches event names in any case", async () => {
    expect(ids(await look("deleteobject"))).toEqual(["DeleteObject"]);
    expect(ids(await look("event:CREATEUSER"))).toEqual(["CreateUser"]);
  });

  it("finds a role session by its role name, its session name and its ARN", async () => {
    expect(ids(await look("user:S3ElevatedAccess"))).toEqual(["DeleteObject"]);
    expect(ids(await look("user:erin deleteobject"))).toEqual(["DeleteObject"]);
    expect(ids(await look(`user:arn:aws:iam::${DEV}:role/S3ElevatedAccess`))).toEqual(["DeleteObject"]);
  });

  it("filters by access key, resource name or ARN, resource type and error code", async () => {
    expect(ids(await look("accesskey:ASIAHISTORYTEST00001"))).toEqual(["DeleteObject"]);
    expect(ids(await look("resource:history-alice"))).toEqual(["CreateUser"]);
    expect(ids(await look(`resource:arn:aws:iam::${DEV}:user/history-alice`))).toEqual(["CreateUser"]);
    expect(ids(await look("type:AWS::S3::Object"))).toEqual(["DeleteObject"]);
    expect(ids(await look("type:AWS::IAM::Role"))).toEqual(["AssumeRole"]);
    expect(ids(await look("error:*"))).toEqual(["AssumeRole", "GetUser"]);
    expect(ids(await look("error:NoSuchEntity"))).toEqual(["GetUser"]);
  });

  it("filters by time range", async () => {
    const page = await run(admin, lookupEvents(admin, { from: at(60), to: at(120) }));
    expect(ids(page)).toEqual(["DeleteObject"]);
  });

  it("shows the role a refused AssumeRole asked for in its resources", async () => {
    const [denied] = (await look("AssumeRole error:AccessDenied")).items;
    expect(JSON.parse(denied!.resources!)).toEqual([{ ARN: `arn:aws:iam::${DEV}:role/S3ElevatedAccess`, accountId: DEV, type: "AWS::IAM::Role" }]);
  });

  it("refuses unknown filter keys and a reversed time range", () => {
    expect(() => parseAuditFilter("usr:bob")).toThrow(/Unknown filter usr:/);
    expect(() => parseAuditFilter("", { from: at(10), to: at(0) })).toThrow(/after its end/);
  });
});

describe("activity", () => {
  it("counts allowed, denied and failed events per hour under the filter", async () => {
    const a = await activityOf(db(), DEV, parseAuditFilter("", { from: at(0), to: at(179), includeReadOnly: true }));
    expect(a.unit).toBe("hour");
    expect(a.buckets.map((b) => [b.start.toISOString(), b.allowed, b.denied, b.failed])).toEqual([
      [at(0).toISOString(), 2, 0, 1],
      [at(60).toISOString(), 1, 0, 0],
      [at(120).toISOString(), 0, 1, 0],
    ]);
    const onlyErrors = await activityOf(db(), DEV, parseAuditFilter("error:*", { from: at(0), to: at(179) }));
    expect(onlyErrors.buckets.map((b) => b.allowed + b.denied + b.failed)).toEqual([1, 0, 1]);
  });

  it("comes with the page when asked", async () => {
    const page = await run(admin, lookupEvents(admin, { from: at(0), to: at(179), withActivity: true }));
    expect(page.activity?.buckets).toHaveLength(3);
  });
});

describe("export", () => {
  const text = async (chunks: AsyncIterable<string>) => {
    let all = "";
    for await (const c of chunks) all += c;
    return all;
  };

  it("writes the filtered set as CloudTrail JSON, newest first", async () => {
    const body = await text(await run(admin, exportEvents(admin, { q: "", from: FROM, to: TO, format: "json" })));
    const parsed = JSON.parse(body) as { Records: { eventName: string; userIdentity: { type: string } }[] };
    expect(parsed.Records.map((r) => r.eventName)).toEqual(["AssumeRole", "DeleteObject", "CreateUser", "GetUser"]);
    expect(parsed.Records[1]!.userIdentity.type).toBe("AssumedRole");
  });

  it("writes CSV with CloudTrail's columns, one line per event", async () => {
    const body = await text(await run(admin, exportEvents(admin, { q: "user:S3ElevatedAccess", from: FROM, to: TO, format: "csv" })));
    const lines = body.trimEnd().split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(2);
    const cells = lines[1]!.split(",");
    expect(cells[CSV_COLUMNS.indexOf("Event name")]).toBe("DeleteObject");
    expect(cells[CSV_COLUMNS.indexOf("User name")]).toBe("erin");
    expect(cells[CSV_COLUMNS.indexOf("Resource type")]).toBe("AWS::S3::Object");
    expect(cells[CSV_COLUMNS.indexOf("AWS access key")]).toBe("ASIAHISTORYTEST00001");
  });

  it("reads in batches past the first thousand events", async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      id: `export-batch-${String(i).padStart(5, "0")}`,
      organizationId: admin.organizationId,
      recipientAccountId: DEV,
      eventTime: at(1000 + (i % 7)),
      eventSource: "iam.amazonaws.com",
      eventName: "ExportBatchTest",
      readOnly: false,
      requestId: `r${i}`,
      identityType: "IAMUser",
    }));
    await db().auditEvent.createMany({ data: rows });
    const body = await text(await run(admin, exportEvents(admin, { q: "ExportBatchTest", format: "csv" })));
    const ids = body.trimEnd().split("\r\n").slice(1).map((l) => l.split(",")[0]);
    expect(ids).toHaveLength(1203);
    expect(new Set(ids).size).toBe(1203);
  });
});
