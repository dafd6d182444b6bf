// Role administration's input rules and the console's trusted-entity choice,
// pure. Names, paths, descriptions and tags reuse the shared schemas of
// lib/iam/validation.ts (AWS's patterns and ValidationError wording); what is
// particular to roles (MaxSessionDuration, instance profile names, building a
// trust policy from the console's choice) lives here.
import { z } from "zod";
import { IamError } from "@/lib/iam/errors";
import { validatePolicyDocument } from "@/lib/iam/policy";
import { awsString, description as descriptionSchema, iamPath, roleName as roleNameSchema, tags as tagsSchema, validationMessage, type Tag } from "@/lib/iam/validation";

export const MIN_MAX_SESSION = 3600;
export const MAX_MAX_SESSION = 43_200;

/** Throws the schema's first message as AWS's ValidationError. */
function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new IamError("ValidationError", r.error.issues[0]?.message ?? "Invalid input");
  return r.data;
}

export const checkRoleName = (name: string) => check(roleNameSchema, name) as string;
export const checkPath = (path: string | undefined) => (path === undefined ? "/" : (check(iamPath(), path) as string));
export const checkDescription = (d: string | undefined) => (d === undefined ? undefined : (check(descriptionSchema, d) as string));
export const checkTags = (t: Tag[] | undefined): Tag[] => (t === undefined ? [] : (check(tagsSchema, t) as Tag[]));

export const instanceProfileNameSchema = awsString("instanceProfileName", { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" });
export const checkInstanceProfileName = (name: string) => check(instanceProfileNameSchema, name) as string;

/** MaxSessionDuration: 3600..43200 seconds, AWS's constraint messages. */
export function checkMaxSessionDuration(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw new IamError("ValidationError", validationMessage("maxSessionDuration", String(value), "Member must be a whole number"));
  if (value < MIN_MAX_SESSION)
    throw new IamError("ValidationError", validationMessage("maxSessionDuration", String(value), `Member must have value greater than or equal to ${MIN_MAX_SESSION}`));
  if (value > MAX_MAX_SESSION)
    throw new IamError("ValidationError", validationMessage("maxSessionDuration", String(value), `Member must have value less than or equal to ${MAX_MAX_SESSION}`));
  return value;
}

/** Validates a trust policy (assume-role policy document) with IAM's codes and messages. */
export function checkTrustPolicy(document: string): void {
  const v = validatePolicyDocument(document, "trust");
  if (!v.ok) throw new IamError(v.error.code, v.error.message);
}

// ------------------------------------------------------------------ trusted entity (console)

/** The console's "Select trusted entity" step. */
export type TrustedEntity =
  | { kind: "this-account"; requireMfa?: boolean; externalId?: string }
  | { kind: "other-account"; accountId: string; requireMfa?: boolean; externalId?: string }
  | { kind: "service"; services: string[] }
  | { kind: "custom"; document: string };

const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/**
 * The trust policy the console writes for a choice, in the console's layout
 * (four-space indentation; Action and Service as lists for services).
 */
export function trustPolicyFor(entity: TrustedEntity, ownAccountId: string): string {
  if (entity.kind === "custom") return entity.document;
  if (entity.kind === "service") {
    if (entity.services.length === 0) throw new IamError("ValidationError", "Choose at least one service that can assume the role.");
    for (const s of entity.services) if (!SERVICE_PRINCIPAL.test(s)) throw new IamError("MalformedPolicyDocument", `Invalid principal in policy: "SERVICE":"${s}"`);
    return JSON.stringify(
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole"], Principal: { Service: entity.services } }] },
      null,
      4,
    );
  }
  const accountId = entity.kind === "this-account" ? ownAccountId : entity.accountId;
  if (!/^\d{12}$/.test(accountId)) throw new IamError("ValidationError", "The account ID must be 12 digits.");
  const condition: Record<string, Record<string, string>> = {};
  if (entity.externalId) condition.StringEquals = { "sts:ExternalId": entity.externalId };
  if (entity.requireMfa) condition.Bool = { "aws:MultiFactorAuthPresent": "true" };
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: "sts:AssumeRole",
          ...(Object.keys(condition).length ? { Condition: condition } : {}),
        },
      ],
    },
    null,
    4,
  );
}

/** The inline policy AWS's "Revoke active sessions" writes: deny everything to tokens issued before `now`. */
export const REVOKE_SESSIONS_POLICY_NAME = "AWSRevokeOlderSessions";
export function revokeOlderSessionsPolicy(now: Date): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { DateLessThan: { "aws:TokenIssueTime": now.toISOString() } } }],
    },
    null,
    2,
  );
}
