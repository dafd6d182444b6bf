// The shape of one catalogue entry: an AWS operation declared once, with its
// input schema (zod; AWS's parameter names with a lower-case first letter, as
// AWS's own validation messages spell them) and its builder. The console's
// server actions (defineAction takes an entry as it is) and the AWS-compatible
// API both look operations up here, so they cannot drift apart.
import type { z } from "zod";
import type { OperationSpec, Sequence, Service } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

export interface CatalogueOperation<S extends z.ZodType = z.ZodType, T = unknown> {
  service: Service;
  /** AWS's operation name, e.g. "CreateUser". */
  name: string;
  input: S;
  operation: (input: z.output<S>, principal: Principal) => OperationSpec<T>;
}

/**
 * A console composite: several real operations in one transaction, each gated
 * and audited under its own AWS event name (runSequence). It has no event name
 * of its own, as AWS's console has none for them, and no API binding: its input
 * schema is the console form's, beside the form.
 */
export type CatalogueComposite<I, T> = (input: I, principal: Principal) => Sequence<T>;

export function declare<S extends z.ZodType, T>(
  service: Service,
  name: string,
  input: S,
  build: (principal: Principal, input: z.output<S>) => OperationSpec<T>,
): CatalogueOperation<S, T> {
  return { service, name, input, operation: (i, p) => build(p, i) };
}

/** For operations without parameters (GetCallerIdentity, GetAccountSummary, ...). */
export function declareNoInput<S extends z.ZodType, T>(service: Service, name: string, input: S, build: (principal: Principal) => OperationSpec<T>): CatalogueOperation<S, T> {
  return { service, name, input, operation: (_i, p) => build(p) };
}
