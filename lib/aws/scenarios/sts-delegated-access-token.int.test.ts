// sts:GetDelegatedAccessToken with the real AWS CLI and the AWS SDK for
// JavaScript v3 against the API handler on a loopback port and this file's own
// database: the partner (the prod account's root) trades the token of a
// finalized delegation request for credentials in the dev account that act as
// the approver limited by the request's permission policy (ReadOnlyAccess), once,
// and only before it expires; with AWS's refusals (and IAM Lab's one limit: a
// request the root user accepted is not traded).
import {
  AcceptDelegationRequestCommand,
  AttachRolePolicyCommand,
  AssociateDelegationRequestCommand,
  CreateDelegationRequestCommand,
  CreateRoleCommand,
  CreateUserCommand,
  ListUsersCommand,
  SendDelegationTokenCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetDelegatedAccessTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { deliveredTradeInToken } from "@/lib/iam/services/delegation-requests";
import { DEV, PROD, STAGING } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";
import { aws } from "./cli";

let api: TestApi;
let partner: Creds;
let admin: Creds;
let stranger: Creds;
const iam = (c: Creds) => sdkClients(api).iam(c);
const sts = (c: Creds) => sdkClients(api).sts(c);

/** A request of the partner, finalized by `approver` in dev; the token the partner's channel received. */
async function finalizedRequest(workflow: string, approver: Creds = admin): Promise<{ id: string; token: string }> {
  const { DelegationRequestId: id } = await iam(partner).send(
    new CreateDelegationRequestCommand({
      Description: "Read-only access for the monitoring agent",
      Permissions: { PolicyTemplateArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
      RequestorWorkflowId: workflow,
      NotificationChannel: `arn:aws:sns:us-east-1:${PROD}:partner-delegations`,
      SessionDuration: 900,
    }),
  );
  await iam(approver).send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
  await iam(approver).send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
  await iam(approver).send(new SendDelegationTokenCommand({ DelegationRequestId: id }));
  const token = await deliveredTradeInToken(db(), PROD, id!);
  expect(token).toBeTruthy();
  return { id: id!, token: token! };
}

const credsOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Creds => ({
  accessKeyId: c.AccessKeyId!,
  secretAccessKey: c.SecretAccessKey!,
  sessionToken: c.SessionToken!,
});

beforeAll(async () => {
  api = await startTestApi();
  partner = await issueKey(undefined, PROD);
  admin = await issueKey("admin");
  stranger = await issueKey(undefined, STAGING);
});
afterAll(() => api.close());

describe("GetDelegatedAccessToken", () => {
  it("trades the token once for credentials acting as the approver, limited by the request's permission policy", async () => {
    const { id, token } = await finalizedRequest("workflow-trade");
    const before = Date.now();
    const r = await sts(partner).send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
    expect(r.AssumedPrincipal).toBe(`arn:aws:iam::${DEV}:user/admin`);
    expect(r.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    // The request's session duration (900 s).
    expect(Math.round((r.Credentials!.Expiration!.getTime() - before) / 1000)).toBeGreaterThan(890);
    expect(Math.round((r.Credentials!.Expiration!.getTime() - before) / 1000)).toBeLessThanOrEqual(901);

    const delegated = credsOf(r.Credentials!);
    expect(await sts(delegated).send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: DEV, Arn: `arn:aws:iam::${DEV}:user/admin` });
    // ReadOnlyAccess: reads work, writes do not, though the approver (admin) may write.
    expect((await iam(delegated).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).toContain("admin");
    expect(await sdkFailure(iam(delegated).send(new CreateUserCommand({ UserName: "made-by-partner" })))).toMatchObject({
      code: "AccessDenied",
      status: 403,
      message: expect.stringContaining("because no session policy allows the iam:CreateUser action"),
    });

    // One use.
    expect(await sdkFailure(sts(partner).send(new GetDelegatedAccessTokenCommand({ TradeInToken: token })))).toMatchObject({ code: "ExpiredTradeInTokenException", status: 400 });
    // The token is in no audit record; the exchange is.
    const leaked = await db().auditEvent.count({ where: { OR: [{ requestParameters: { contains: token } }, { responseElements: { contains: token } }] } });
    expect(leaked).toBe(0);
    expect(await db().auditEvent.count({ where: { eventName: "GetDelegatedAccessToken", errorCode: null } })).toBe(1);
    expect(await db().delegationRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ tradeInTokenUsedAt: expect.any(Date) });
  });

  it("works with the AWS CLI; a role session approver gives an assumed-role principal", async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }] };
    await iam(admin).send(new CreateRoleCommand({ RoleName: "delegation-approver", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam(admin).send(new AttachRolePolicyCommand({ RoleName: "delegation-approver", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    const session = await sts(admin).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEV}:role/delegation-approver`, RoleSessionName: "approver" }));
    const { id, token } = await finalizedRequest("workflow-role", credsOf(session.Credentials!));
    const r = await aws(api.endpoint, partner, "sts", "get-delegated-access-token", "--trade-in-token", token);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.AssumedPrincipal).toBe(`arn:aws:sts::${DEV}:assumed-role/delegation-approver/${id.slice(0, 64)}`);
    const delegated = credsOf(r.json.Credentials);
    expect((await sts(delegated).send(new GetCallerIdentityCommand({}))).Arn).toBe(r.json.AssumedPrincipal);
    expect(await sdkFailure(iam(delegated).send(new CreateUserCommand({ UserName: "made-by-partner-2" })))).toMatchObject({
      code: "AccessDenied",
      message: expect.stringContaining("because no session policy allows"),
    });
    const again = await aws(api.endpoint, partner, "sts", "get-delegated-access-token", "--trade-in-token", token);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("ExpiredTradeInTokenException");
  }, 120_000);

  it("refuses an unknown token, another account's token, and an expired one", async () => {
    expect(await sdkFailure(sts(partner).send(new GetDelegatedAccessTokenCommand({ TradeInToken: "dtt-not-a-real-token" })))).toMatchObject({ code: "InvalidParameterValue", status: 400 });
    const { id, token } = await finalizedRequest("workflow-expired");
    // Only the requestor account may trade it.
    expect(await sdkFailure(sts(stranger).send(new GetDelegatedAccessTokenCommand({ TradeInToken: token })))).toMatchObject({ code: "InvalidParameterValue" });
    await db().delegationRequest.update({ where: { id }, data: { tradeInTokenExpiresAt: new Date(Date.now() - 1000) } });
    expect(await sdkFailure(sts(partner).send(new GetDelegatedAccessTokenCommand({ TradeInToken: token })))).toMatchObject({ code: "ExpiredTradeInTokenException", status: 400 });
    expect(await db().delegationRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ tradeInTokenUsedAt: null });
    expect(await db().roleSession.count({ where: { kind: "GetDelegatedAccessToken", sourcePrincipalAccount: STAGING } })).toBe(0);
  });

  it("refuses a request the root user accepted (delegated credentials are issued for users and role sessions), leaving the token unused", async () => {
    const { id, token } = await finalizedRequest("workflow-root", await issueKey(undefined, DEV));
    expect(await sdkFailure(sts(partner).send(new GetDelegatedAccessTokenCommand({ TradeInToken: token })))).toMatchObject({
      code: "InvalidParameterValue",
      message: expect.stringContaining(`arn:aws:iam::${DEV}:root`),
    });
    expect(await db().delegationRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ tradeInTokenUsedAt: null });
  });
});
