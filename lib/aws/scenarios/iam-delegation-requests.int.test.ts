// IAM delegation requests with the AWS SDK for JavaScript v3 against the API
// handler on a loopback port and this file's own database: a partner (the prod
// account's root) asks for temporary access to the dev account; dev's admin
// associates, updates, accepts and sends the trade-in token; the states, who
// may see what, the refusals, and the human-readable summary.
import {
  AcceptDelegationRequestCommand,
  AssociateDelegationRequestCommand,
  CreateDelegationRequestCommand,
  GetDelegationRequestCommand,
  GetHumanReadableSummaryCommand,
  ListDelegationRequestsCommand,
  RejectDelegationRequestCommand,
  SendDelegationTokenCommand,
  UpdateDelegationRequestCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Tx } from "@/lib/db/client";
import { deliveredTradeInToken, findDelegationByTradeInToken } from "@/lib/iam/services/delegation-requests";
import { DEV, PROD, STAGING } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let partner: Creds;
let admin: Creds;
let reader: Creds;
let stranger: Creds;
const iam = (c: Creds) => sdkClients(api).iam(c);

const TOPIC = `arn:aws:sns:us-east-1:${PROD}:partner-delegations`;
const TEMPLATE = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const create = (workflow: string, extra: Record<string, unknown> = {}) =>
  iam(partner).send(
    new CreateDelegationRequestCommand({
      Description: "Read-only access for the monitoring agent",
      Permissions: { PolicyTemplateArn: TEMPLATE, Parameters: [{ Name: "BucketName", Values: ["logs"], Type: "string" }] },
      RequestorWorkflowId: workflow,
      NotificationChannel: TOPIC,
      SessionDuration: 3600,
      ...extra,
    }),
  );

beforeAll(async () => {
  api = await startTestApi();
  partner = await issueKey(undefined, PROD);
  admin = await issueKey("admin");
  reader = await issueKey("bob");
  stranger = await issueKey(undefined, STAGING);
});
afterAll(() => api.close());

describe("delegation requests", () => {
  it("walks a request from UNASSIGNED to FINALIZED and hands the partner a trade-in token", async () => {
    const { DelegationRequestId: id } = await create("workflow-finalize", { RequestMessage: "ticket 42", RedirectUrl: "https://partner.example.com/done" });
    expect(id).toMatch(/^[\w-]{16,128}$/);

    const unassigned = (await iam(admin).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    expect(unassigned).toMatchObject({ State: "UNASSIGNED", RequestorId: PROD, Description: "Read-only access for the monitoring agent", RequestMessage: "ticket 42", SessionDuration: 3600 });
    expect(unassigned.Permissions).toEqual({ PolicyTemplateArn: TEMPLATE, Parameters: [{ Name: "BucketName", Values: ["logs"], Type: "string" }] });
    expect(unassigned.OwnerId).toBeUndefined();
    expect(JSON.parse(unassigned.PermissionPolicy!).Statement).toBeDefined();
    // Not listed while it has no owner (AWS).
    expect((await iam(admin).send(new ListDelegationRequestsCommand({}))).DelegationRequests ?? []).toEqual([]);
    // Accepting before associating is refused.
    expect(await sdkFailure(iam(admin).send(new AcceptDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "InvalidInput", status: 400 });

    await iam(admin).send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    const assigned = (await iam(admin).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    expect(assigned).toMatchObject({ State: "ASSIGNED", OwnerAccountId: DEV, OwnerId: `arn:aws:iam::${DEV}:user/admin` });
    expect(await sdkFailure(iam(admin).send(new AssociateDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "InvalidInput" });
    // Once owned by dev, another account cannot see it; the partner still can.
    expect(await sdkFailure(iam(stranger).send(new GetDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect((await iam(partner).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!.State).toBe("ASSIGNED");

    // Updating is the owner's own right (AWS has no IAM action for it): another administrator of dev may not.
    const otherAdmin = await issueKey("erin");
    expect(await sdkFailure(iam(otherAdmin).send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: "mine now" })))).toMatchObject({ code: "AccessDenied", status: 403 });
    await iam(admin).send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: "please approve" }));
    const listed = (await iam(admin).send(new ListDelegationRequestsCommand({}))).DelegationRequests!;
    expect(listed.map((r) => [r.DelegationRequestId, r.State, r.Notes])).toEqual([[id, "PENDING_APPROVAL", "please approve"]]);

    // Sending before accepting is refused; after accepting the approver is recorded.
    expect(await sdkFailure(iam(admin).send(new SendDelegationTokenCommand({ DelegationRequestId: id })))).toMatchObject({ code: "InvalidInput" });
    await iam(admin).send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
    expect((await iam(admin).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest).toMatchObject({
      State: "ACCEPTED",
      ApproverId: `arn:aws:iam::${DEV}:user/admin`,
    });
    await iam(admin).send(new SendDelegationTokenCommand({ DelegationRequestId: id }));
    expect((await iam(admin).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!.State).toBe("FINALIZED");
    // FINALIZED cannot be rolled back.
    expect(await sdkFailure(iam(admin).send(new RejectDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "InvalidInput" });

    // The token reached the partner's channel; it leads to the request, and it is in no audit record.
    const token = await deliveredTradeInToken(db() as unknown as Tx, PROD, id!);
    expect(token).toMatch(/^dtt-/);
    expect(await deliveredTradeInToken(db() as unknown as Tx, DEV, id!)).toBeNull();
    expect(await findDelegationByTradeInToken(db() as unknown as Tx, token!)).toMatchObject({ delegationRequestId: id, ownerAccountId: DEV, approverId: `arn:aws:iam::${DEV}:user/admin`, sessionDuration: 3600 });
    const leaked = await db().auditEvent.count({ where: { OR: [{ requestParameters: { contains: token! } }, { responseElements: { contains: token! } }] } });
    expect(leaked).toBe(0);
  });

  it("rejects with a reason; an accepted request can still be rejected before the token is sent", async () => {
    const { DelegationRequestId: id } = await create("workflow-reject", { OwnerAccountId: DEV });
    // Named for dev: staging cannot see or associate it.
    expect(await sdkFailure(iam(stranger).send(new AssociateDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "NoSuchEntity" });
    await iam(admin).send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    await iam(admin).send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
    await iam(admin).send(new RejectDelegationRequestCommand({ DelegationRequestId: id, Notes: "not this quarter" }));
    expect((await iam(partner).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest).toMatchObject({ State: "REJECTED", RejectionReason: "not this quarter" });
    expect(await sdkFailure(iam(admin).send(new AcceptDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "ConcurrentModification", status: 409 });
  });

  it("refuses bad input with AWS's codes, and the gate refuses a read-only user", async () => {
    expect(await sdkFailure(create("workflow-finalize"))).toMatchObject({ code: "EntityAlreadyExists", status: 409 });
    expect(await sdkFailure(create("workflow-bad-channel", { NotificationChannel: "not-a-topic" }))).toMatchObject({ code: "InvalidInput" });
    expect(await sdkFailure(create("workflow-bad-template", { Permissions: { PolicyTemplateArn: "arn:aws:iam::aws:policy/NoSuchPolicyHere" } }))).toMatchObject({ code: "InvalidInput" });
    expect(await sdkFailure(create("workflow-short", { SessionDuration: 60 }))).toMatchObject({ code: "ValidationError", status: 400 });
    expect(await sdkFailure(create("wf"))).toMatchObject({ code: "ValidationError" });
    expect(await sdkFailure(iam(admin).send(new GetDelegationRequestCommand({ DelegationRequestId: "dr-0000000000000000000000" })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect(await sdkFailure(iam(admin).send(new GetDelegationRequestCommand({ DelegationRequestId: "short" })))).toMatchObject({ code: "ValidationError" });
    const { DelegationRequestId: id } = await create("workflow-denied");
    expect(await sdkFailure(iam(reader).send(new AssociateDelegationRequestCommand({ DelegationRequestId: id })))).toMatchObject({ code: "AccessDenied", status: 403 });
    expect((await iam(reader).send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!.State).toBe("UNASSIGNED");
  });

  it("summarizes a delegation request in words; other entities are not supported", async () => {
    const { DelegationRequestId: id } = await create("workflow-summary");
    const summary = await iam(admin).send(new GetHumanReadableSummaryCommand({ EntityArn: `arn:aws:iam::${DEV}:delegation-request/${id}` }));
    expect(summary.SummaryState).toBe("AVAILABLE");
    expect(summary.SummaryContent).toContain(`account ${PROD}`);
    expect(summary.SummaryContent).toContain("1 hour");
    expect(await sdkFailure(iam(admin).send(new GetHumanReadableSummaryCommand({ EntityArn: `arn:aws:iam::${DEV}:user/admin` })))).toMatchObject({ code: "InvalidInput" });
  });
});
