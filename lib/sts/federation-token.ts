import "server-only";
// sts:GetFederationToken: temporary credentials for a federated user, asked for
// by an IAM user (or, as AWS allows though advises against, the root user) with
// long-term keys. The federated user's permissions are the caller's own
// identity policies limited by the session policies passed with the request;
// with none passed the session has no permissions (AWS's rule). The session is
// a RoleSession row of kind "GetFederationToken"; the API door turns its keys
// back into the federated principal (./credentials.ts).
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { credentialsForAudit, issueSession, type Credentials } from "./sts";
import {
  checkPackedPolicySize,
  checkSessionTags,
  constraintError,
  federatedUserArn,
  federatedUserId,
  GET_SESSION_TOKEN_DEFAULT_SECONDS,
  GET_SESSION_TOKEN_MAX_SECONDS,
  MIN_SESSION_SECONDS,
  packedPolicyPercent,
  ROOT_SESSION_MAX_SECONDS,
  type SessionTag,
} from "./rules";
import { GRANTS_NOTHING, sessionPolicyDocument } from "./session-policy";

export interface GetFederationTokenInput {
  name: string;
  policy?: string;
  policyArns?: { arn?: string }[];
  durationSeconds?: number;
  tags?: SessionTag[];
}

export interface GetFederationTokenResult {
  Credentials: Credentials;
  FederatedUser: { FederatedUserId: string; Arn: string };
  PackedPolicySize?: number;
  sessionId: string;
}

export const SESSION_CANNOT_FEDERATE = "Cannot call GetFederationToken with session credentials";

const NAME_RE = /^[\w+=,.@-]*$/;

export function checkFederatedName(name: string): void {
  if (name.length < 2) throw constraintError("name", name, "Member must have length greater than or equal to 2");
  if (name.length > 32) throw constraintError("name", name, "Member must have length less than or equal to 32");
  if (!NAME_RE.test(name)) throw constraintError("name", name, "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
}

/** GetFederationToken's session length: 900 s to 36 h, 12 h by default; root sessions at most one hour. */
export function federationDuration(requested: number | undefined, isRoot: boolean): number {
  let seconds = GET_SESSION_TOKEN_DEFAULT_SECONDS;
  if (requested !== undefined) {
    if (!Number.isInteger(requested)) throw constraintError("durationSeconds", requested, "Member must be an integer");
    if (requested < MIN_SESSION_SECONDS) throw constraintError("durationSeconds", requested, `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
    if (requested > GET_SESSION_TOKEN_MAX_SECONDS) throw constraintError("durationSeconds", requested, `Member must have value less than or equal to ${GET_SESSION_TOKEN_MAX_SECONDS}`);
    seconds = requested;
  }
  return isRoot ? Math.min(seconds, ROOT_SESSION_MAX_SECONDS) : seconds;
}

export function getFederationToken(principal: Principal, input: GetFederationTokenInput): OperationSpec<GetFederationTokenResult> {
  const arn = federatedUserArn(principal.accountId, input.name);
  let state: { seconds: number; sessionPolicy?: string; tags: Record<string, string> } | undefined;
  const tagContext = (): Record<string, string | string[]> => {
    const ctx: Record<string, string | string[]> = {};
    for (const t of input.tags ?? []) ctx[`aws:RequestTag/${t.Key}`] = t.Value ?? "";
    if (input.tags?.length) ctx["aws:TagKeys"] = input.tags.map((t) => t.Key);
    return ctx;
  };
  return {
    service: "sts",
    name: "GetFederationToken",
    readOnly: false,
    context: tagContext(),
    parameters: { name: input.name, policy: input.policy, policyArns: input.policyArns, durationSeconds: input.durationSeconds, tags: input.tags },
    resource: async (tx) => {
      checkFederatedName(input.name);
      const seconds = federationDuration(input.durationSeconds, principal.type === "Root");
      const tags = checkSessionTags(input.tags, undefined);
      checkPackedPolicySize(input.policy, tags);
      const sessionPolicy = await sessionPolicyDocument(tx, principal.accountId, input);
      if (principal.type === "AssumedRole" || principal.accessKeyId?.startsWith("ASIA")) throw new IamError("AccessDenied", SESSION_CANNOT_FEDERATE);
      state = { seconds, sessionPolicy, tags };
      return { arn, accountId: principal.accountId };
    },
    run: async ({ tx, authorize }) => {
      const { seconds, sessionPolicy, tags } = state!;
      if (input.tags?.length) await authorize("sts:TagSession", { arn, accountId: principal.accountId }, tagContext());
      const session = await issueSession(tx, seconds, new Date(), {
        accountId: principal.accountId,
        kind: "GetFederationToken",
        userId: principal.type === "IAMUser" ? principal.userId : null,
        arn,
        sessionName: input.name,
        sourcePrincipalArn: principal.arn,
        sourcePrincipalAccount: principal.accountId,
        sessionPolicy: sessionPolicy ?? GRANTS_NOTHING,
        sessionPolicyArns: input.policyArns?.length ? JSON.stringify(input.policyArns.map((p) => p.arn)) : null,
        sessionTags: Object.keys(tags).length ? JSON.stringify(tags) : null,
      });
      return {
        Credentials: session.credentials,
        FederatedUser: { FederatedUserId: federatedUserId(principal.accountId, input.name), Arn: arn },
        PackedPolicySize: packedPolicyPercent(input.policy, tags),
        sessionId: session.id,
      };
    },
    response: (r) => ({
      credentials: credentialsForAudit(r.Credentials),
      federatedUser: { federatedUserId: r.FederatedUser.FederatedUserId, arn: r.FederatedUser.Arn },
      packedPolicySize: r.PackedPolicySize,
    }),
  };
}
