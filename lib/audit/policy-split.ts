// A generated policy too large for one managed policy becomes several, as
// Access Analyzer's GetGeneratedPolicy answers a list (generatedPolicies):
// each must fit IAM's managed-policy quota, 6,144 characters not counting
// whitespace (the size CreatePolicy checks, SIZE_LIMITS.identity), so that each
// can be created and attached as it is. Statements are kept whole and in order,
// filling one policy before the next is started; a statement too large on its
// own is divided by its resources (the same actions on fewer resources each),
// then, for a single resource, by its actions. Dividing never widens a grant:
// together the parts allow exactly what the one policy did.
import { SIZE_LIMITS, sizeWithoutWhitespace } from "@/lib/iam/policy";
import type { DraftStatement } from "./policy-draft";

export const MANAGED_POLICY_LIMIT = SIZE_LIMITS.identity!.limit;

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: DraftStatement[];
}

const sizeOf = (value: unknown) => sizeWithoutWhitespace(JSON.stringify(value));
const documentOf = (Statement: DraftStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** A statement cut into statements that each fit a policy of `limit` on its own (one statement: itself). */
function divide(statement: DraftStatement, limit: number): DraftStatement[] {
  if (sizeOf(documentOf([statement])) <= limit) return [statement];
  const halve = <T>(list: T[]) => [list.slice(0, Math.ceil(list.length / 2)), list.slice(Math.ceil(list.length / 2))];
  if (statement.Resource.length > 1) return halve(statement.Resource).flatMap((Resource) => divide({ ...statement, Resource }, limit));
  if (statement.Action.length > 1) return halve(statement.Action).flatMap((Action) => divide({ ...statement, Action }, limit));
  // One action on one resource that does not fit: nothing smaller grants it. It goes alone (CreatePolicy will say why).
  return [statement];
}

/** Gives the parts of a divided statement their own Sids (S3Object, S3Object2, ...), unique across the documents. */
function nameParts(parts: DraftStatement[][], taken: Set<string>): DraftStatement[] {
  const out: DraftStatement[] = [];
  for (const group of parts) {
    if (group.length === 1) {
      out.push(group[0]!);
      continue;
    }
    group.forEach((s, i) => {
      let sid = i === 0 ? s.Sid : `${s.Sid}Part${i + 1}`;
      while (i > 0 && taken.has(sid)) sid += "X";
      taken.add(sid);
      out.push({ ...s, Sid: sid });
    });
  }
  return out;
}

/** The policy as one or more documents, each within `limit` characters without whitespace. */
export function splitPolicy(document: PolicyDocument, limit: number = MANAGED_POLICY_LIMIT): PolicyDocument[] {
  if (document.Statement.length === 0) return [];
  if (sizeOf(document) <= limit) return [document];
  const taken = new Set(document.Statement.map((s) => s.Sid));
  const statements = nameParts(
    document.Statement.map((s) => divide(s, limit)),
    taken,
  );
  // A document's size: its frame, its statements, and a comma between two.
  const frame = sizeOf(documentOf([]));
  const out: DraftStatement[][] = [];
  let current: DraftStatement[] = [];
  let size = frame;
  for (const s of statements) {
    const own = sizeOf(s);
    if (current.length > 0 && size + 1 + own > limit) {
      out.push(current);
      current = [];
      size = frame;
    }
    size += (current.length ? 1 : 0) + own;
    current.push(s);
  }
  if (current.length) out.push(current);
  return out.map(documentOf);
}
