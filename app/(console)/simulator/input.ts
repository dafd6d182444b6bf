// What the policy simulator takes: from its form (repeated fields arrive as
// arrays, one value as a string) and from the URL an AccessDenied "Why?" link sends.
import { z } from "zod";
import { blank, checkbox } from "@/lib/actions/form-input";
import { listOf } from "@/lib/iam/validation";
import type { SimulationInput as Simulation } from "@/lib/iam/services/simulator";

/** Text fields here are trimmed; empty ones are "not given". */
const trimmed = (v: unknown) => blank(typeof v === "string" ? v.trim() : v);

export const ACTION_RULE = "service:Action, e.g. s3:GetObject (wildcards * and ? allowed). Up to 20 actions.";
export const RESOURCE_RULE = "One ARN per line, or * for actions without resource-level permissions. Up to 10.";
export const PRINCIPAL_RULE = "A user, group or role ARN in any account of the organization (or an assumed-role session ARN). Leave empty to test only the policies you paste.";

const actionName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/, "An action is service:Action, e.g. s3:GetObject");

const resourceArn = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => v === "*" || /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/.test(v), "Each resource is an ARN (arn:aws:service:region:account:resource) or *");

/** Paired key/value rows (tags, context keys); rows with an empty key are dropped. */
const rows = (keys: unknown, values: unknown) => {
  const k = Array.isArray(keys) ? keys : keys === undefined ? [] : [keys];
  const v = Array.isArray(values) ? values : values === undefined ? [] : [values];
  return k.map((key, i) => ({ key: String(key ?? "").trim(), value: String(v[i] ?? "").trim() })).filter((r) => r.key !== "");
};

/** Forms post text with \r\n line ends; policies are kept with \n, as the editor shows them. */
const lf = (v: unknown): unknown => (typeof v === "string" ? v.replace(/\r\n/g, "\n") : Array.isArray(v) ? v.map(lf) : v);

const policyText = z.preprocess((v) => trimmed(lf(v)), z.string().max(20_480, "A policy here can be at most 20,480 characters").optional());

const base = z.object({
  principalArn: z.preprocess(trimmed, z.string().max(2048).optional()),
  identityPolicies: z.preprocess(lf, listOf(z.string().max(20_480, "A policy here can be at most 20,480 characters")).transform((l) => l.filter((p) => p.trim() !== ""))),
  boundaryPolicy: policyText,
  resourcePolicy: policyText,
  useResourcePolicy: checkbox,
  actions: listOf(actionName).pipe(z.array(z.string()).min(1, "Add at least one action").max(20, "At most 20 actions")),
  resources: z
    .preprocess(
      (v) => (typeof v === "string" ? v.split(/[\n,]+/) : v === undefined ? ["*"] : v),
      z.array(z.string()).transform((l) => {
        const kept = l.map((s) => s.trim()).filter(Boolean);
        return kept.length ? kept : ["*"];
      }),
    )
    .pipe(z.array(resourceArn).max(10, "At most 10 resources")),
  mfaPresent: z.preprocess(trimmed, z.enum(["true", "false"]).optional()),
  mfaAge: z.preprocess(trimmed, z.coerce.number({ error: "MFA age is a number of seconds" }).int().min(0).max(129_600).optional()),
  sourceIp: z.preprocess(
    trimmed,
    z
      .string()
      .regex(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)$/, "An IPv4 or IPv6 address, e.g. 203.0.113.10")
      .optional(),
  ),
  currentTime: z.preprocess(
    trimmed,
    z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`)), "A date and time, e.g. 2026-11-28T09:00 (UTC)")
      .optional(),
  ),
  principalTagKey: z.unknown().optional(),
  principalTagValue: z.unknown().optional(),
  resourceTagKey: z.unknown().optional(),
  resourceTagValue: z.unknown().optional(),
  contextKey: z.unknown().optional(),
  contextValue: z.unknown().optional(),
});

export const SimulationInput = base.transform((i): Simulation => ({
  principalArn: i.principalArn,
  identityPolicies: i.identityPolicies,
  boundaryPolicy: i.boundaryPolicy,
  resourcePolicy: i.resourcePolicy,
  useResourcePolicy: i.useResourcePolicy,
  actions: [...new Set(i.actions)],
  resources: [...new Set(i.resources)],
  mfaPresent: i.mfaPresent === undefined ? undefined : i.mfaPresent === "true",
  mfaAge: i.mfaAge,
  sourceIp: i.sourceIp,
  currentTime: i.currentTime ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(i.currentTime) ? i.currentTime : `${i.currentTime}Z`) : undefined,
  principalTags: rows(i.principalTagKey, i.principalTagValue),
  resourceTags: rows(i.resourceTagKey, i.resourceTagValue),
  context: rows(i.contextKey, i.contextValue),
}));

/** What the form shows again after a run (typed values kept as typed). */
export interface SimulationFormValues {
  principalArn: string;
  identityPolicies: string[];
  boundaryPolicy: string;
  resourcePolicy: string;
  useResourcePolicy: boolean;
  actions: string[];
  resources: string;
  mfaPresent: "" | "true" | "false";
  mfaAge: string;
  sourceIp: string;
  currentTime: string;
  principalTags: { key: string; value: string }[];
  resourceTags: { key: string; value: string }[];
  context: { key: string; value: string }[];
}
