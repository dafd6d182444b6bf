/**
 * Access Analyzer-style findings on a policy document (ERROR, SECURITY_WARNING, WARNING,
 * SUGGESTION), each located in the text so an editor can underline it.
 */
import { actionsOf, conditionKey, knownConditionKeys, matchingActions, resourceArnTemplate, serviceExists } from "./catalog";
import { parseOperator, type OperatorFamily } from "./conditions";
import { readPolicyDocument, type StringAt } from "./document";
import { positionAt } from "./json-source";
import type { Finding, FindingType, PolicyStatement, PolicyType, Span, ValidateOptions } from "./types";
import { validatePolicyDocument } from "./validate";
import { variablesIn } from "./variables";
import { compileGlob, hasWildcard } from "./wildcard";

/** Which operator families suit a catalogue key type. */
function familiesForType(type: string): OperatorFamily[] | undefined {
  switch (type.replace(/^ArrayOf/, "")) {
    case "String":
      return ["String"];
    case "ARN":
    case "Arn":
      return ["Arn", "String"];
    case "Numeric":
    case "Long":
    case "Integer":
      return ["Numeric"];
    case "Date":
      return ["Date"];
    case "Bool":
    case "Boolean":
      return ["Bool"];
    case "IPAddress":
      return ["Ip"];
    case "Binary":
      return ["Binary"];
    default:
      return undefined;
  }
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function closest(word: string, candidates: string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(w.length / 6)) + 1;
  for (const c of candidates) {
    if (c.includes("${") || c.includes("<")) continue;
    const d = levenshtein(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Regex for a catalogue ARN template, e.g. arn:${Partition}:s3:::${BucketName}/${ObjectName}. */
function templateRegex(template: string): RegExp {
  let src = "^";
  let last = 0;
  const re = /\$\{([^}]+)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    src += template.slice(last, m.index).replace(/[.+^$(){}|[\]\\*?]/g, "\\$&");
    const name = m[1];
    if (name === "Partition") src += "[^:]+";
    else if (name === "Region" || name === "Account") src += "[^:]*";
    else if (name === "BucketName") src += "[^/:]+";
    else src += ".+";
    last = m.index + m[0].length;
  }
  src += template.slice(last).replace(/[.+^$(){}|[\]\\*?]/g, "\\$&") + "$";
  return new RegExp(src);
}

/** Concrete sample strings a resource pattern stands for (wildcards filled in several ways). */
function resourceSamples(r: string): string[] {
  const noVars = r.replace(/\$\{[^}]*\}/g, "x");
  return [noVars.replace(/\*/g, "x").replace(/\?/g, "x"), noVars.replace(/\*/g, "x/x").replace(/\?/g, "x")];
}

function canonicalStatement(st: PolicyStatement): string {
  // Everything but the Sid, with lists sorted: good enough to spot copies.
  const sorted = (xs?: string[]) => (xs ? [...xs].sort() : undefined);
  return JSON.stringify([st.Effect, sorted(st.Action), sorted(st.NotAction), sorted(st.Resource), sorted(st.NotResource), st.Principal, st.NotPrincipal, st.Condition]);
}

export async function analyzePolicy(text: string, type: PolicyType, options: ValidateOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (t: FindingType, code: string, message: string, span: Span, statementIndex?: number) => {
    const f: Finding = { type: t, code, message, position: positionAt(text, span.start), span };
    if (statementIndex !== undefined) f.statementIndex = statementIndex;
    findings.push(f);
  };
  const v = validatePolicyDocument(text, type, options);
  if (!v.ok) {
    const offset = v.error.position?.offset ?? 0;
    add("ERROR", v.error.code === "LimitExceeded" ? "POLICY_SIZE_EXCEEDED" : "MALFORMED_POLICY", v.error.message, {
      start: offset,
      end: Math.min(text.length, offset + 1),
    });
    return findings;
  }
  const r = readPolicyDocument(text);
  if (!r.ok) return findings;
  const { document, sources } = r.read;

  if (document.Version === undefined)
    add("WARNING", "MISSING_VERSION", 'Add "Version": "2012-10-17": without it, policy variables are not substituted.', { start: 0, end: 1 });

  const seen = new Map<string, number>();
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i];
    const st = document.Statement[i];
    const actions = src.actions ?? [];
    const resources = src.resources ?? [];

    // Policy variables in a 2008-10-17 document are literal text.
    if (document.Version !== "2012-10-17")
      for (const s of [...resources, ...src.conditions.flatMap((c) => c.values)])
        if (variablesIn(s.value).length > 0)
          add("WARNING", "POLICY_VARIABLE_WITHOUT_VERSION", `Policy variables in "${s.value}" are only substituted with Version 2012-10-17; here they are literal text.`, s.span, i);

    // Allow with NotAction / NotResource
    if (st.Effect === "Allow" && src.actionKey === "NotAction")
      add("SECURITY_WARNING", "ALLOW_WITH_NOT_ACTION", "Allow with NotAction grants every action not listed, including those of services added later. List the allowed actions instead.", src.actionKeySpan!, i);
    if (st.Effect === "Allow" && src.resourceKey === "NotResource")
      add("SECURITY_WARNING", "ALLOW_WITH_NOT_RESOURCE", "Allow with NotResource grants access to every resource not listed. List the allowed resources instead.", src.resourceKeySpan!, i);

    // iam:PassRole on every role
    if (st.Effect === "Allow") {
      const passes =
        src.actionKey === "Action"
          ? actions.find((a) => compileGlob(a.value, true)("iam:passrole"))
          : actions.every((a) => !compileGlob(a.value, true)("iam:passrole"))
            ? { value: "NotAction", span: src.actionKeySpan! }
            : undefined;
      const star = src.resourceKey === "NotResource" ? { value: "NotResource", span: src.resourceKeySpan! } : resources.find((x) => x.value === "*");
      if (passes && star)
        add("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE", `Allowing iam:PassRole on "*" lets the principal pass any role, including more privileged ones, to a service. Restrict Resource to the roles it needs.`, passes.span, i);
    }

    // Services and actions
    const expanded: { at: StringAt; matches: Awaited<ReturnType<typeof matchingActions>> }[] = [];
    for (const a of actions) {
      if (a.value === "*") continue;
      const colon = a.value.indexOf(":");
      const service = a.value.slice(0, colon).toLowerCase();
      const actionPart = a.value.slice(colon + 1);
      if (hasWildcard(service) || !(await serviceExists(service))) {
        add("ERROR", "UNKNOWN_SERVICE", `The service prefix "${a.value.slice(0, colon)}" is not a known AWS service.`, a.span, i);
        continue;
      }
      const matches = await matchingActions(service, actionPart);
      if (matches.length === 0) {
        const all = (await actionsOf(service)).map((x) => x.name);
        const guess = hasWildcard(actionPart) ? undefined : closest(actionPart, all);
        add(
          "ERROR",
          "UNKNOWN_ACTION",
          hasWildcard(actionPart)
            ? `The action pattern ${a.value} matches no action of ${service}.`
            : `The action ${a.value} does not exist in ${service}.${guess ? ` Did you mean ${service}:${guess}?` : ""}`,
          a.span,
          i,
        );
        continue;
      }
      expanded.push({ at: a, matches });
    }

    // Actions that cannot apply to the listed resources
    if (src.resourceKey === "Resource" && !resources.some((x) => x.value === "*")) {
      for (const { at, matches } of expanded) {
        let supported = false;
        for (const act of matches) {
          if (act.isWildcardOnly) continue;
          for (const rt of act.resourceTypes) {
            const tpl = await resourceArnTemplate(act.service, rt);
            if (!tpl) continue;
            const re = templateRegex(tpl);
            if (resources.some((res) => resourceSamples(res.value).some((s) => re.test(s)))) {
              supported = true;
              break;
            }
          }
          if (supported) break;
        }
        if (!supported) {
          const wildcardOnly = matches.every((m) => m.isWildcardOnly);
          add(
            "ERROR",
            "ACTION_RESOURCE_MISMATCH",
            wildcardOnly
              ? `${at.value} does not support resource-level permissions: it needs Resource "*".`
              : `${at.value} does not apply to any resource in this statement (${resources.map((x) => x.value).join(", ")}): none matches a resource type it supports.`,
            at.span,
            i,
          );
        }
      }
    }

    // Condition keys and operators
    const service = actions.length > 0 && actions[0].value.includes(":") ? actions[0].value.split(":")[0].toLowerCase() : undefined;
    for (const c of src.conditions) {
      const op = parseOperator(c.operator);
      const info = await conditionKey(c.key);
      const global = c.key.toLowerCase().startsWith("aws:");
      if (!info) {
        const guess = closest(c.key, await knownConditionKeys(c.key.split(":")[0].toLowerCase() || service));
        add(
          global ? "ERROR" : "WARNING",
          "UNKNOWN_CONDITION_KEY",
          `The condition key ${c.key} is not a known ${global ? "global " : ""}condition key.${guess ? ` Did you mean ${guess}?` : ""}`,
          c.keySpan,
          i,
        );
        continue;
      }
      if (!op || op.family === "Null") continue;
      const fams = familiesForType(info.type);
      if (fams && !fams.includes(op.family))
        add("ERROR", "CONDITION_TYPE_MISMATCH", `The operator ${c.operator} compares ${op.family.toLowerCase()} values, but ${c.key} is of type ${info.type}.`, c.operatorSpan, i);
      const multi = info.type.startsWith("ArrayOf");
      if (op.set && !multi)
        add("WARNING", "SET_OPERATOR_ON_SINGLE_VALUED_KEY", `${c.key} is single-valued: ${c.operator.split(":")[0]} is meant for multivalued keys and can give surprising results (for example ForAllValues is true when the key is missing).`, c.operatorSpan, i);
      if (!op.set && multi)
        add("WARNING", "MULTIVALUED_KEY_WITHOUT_SET_OPERATOR", `${c.key} is multivalued: use ForAllValues or ForAnyValue with ${c.operator}.`, c.operatorSpan, i);
      if (op.set === "all" && st.Effect === "Allow" && !op.negated)
        add("SECURITY_WARNING", "FOR_ALL_VALUES_WITH_ALLOW", `ForAllValues with Allow also matches requests without ${c.key}; add a Null condition on the key if it must be present.`, c.operatorSpan, i);
    }

    // Redundancy inside the statement
    const redundant = (list: StringAt[], ignoreCase: boolean, code: string, what: string) => {
      list.forEach((x, k) => {
        const by = list.find((y, j) => j !== k && (x.value === y.value ? j < k : compileGlob(y.value, ignoreCase)(ignoreCase ? x.value.toLowerCase() : x.value)));
        if (by) add("SUGGESTION", code, `${what} "${x.value}" is already covered by "${by.value}" in the same statement.`, x.span, i);
      });
    };
    redundant(actions, true, "REDUNDANT_ACTION", "The action");
    redundant(resources, false, "REDUNDANT_RESOURCE", "The resource");

    // Duplicate statements
    const canon = canonicalStatement(st);
    const dup = seen.get(canon);
    if (dup !== undefined) add("SUGGESTION", "DUPLICATE_STATEMENT", `This statement repeats statement ${dup}.`, src.span, i);
    else seen.set(canon, i);
  }

  // Statements fully covered by another unconditional statement with the same effect.
  for (let i = 0; i < sources.length; i++) {
    const a = sources[i];
    const sa = document.Statement[i];
    if (a.actionKey !== "Action" || a.resourceKey !== "Resource" || a.principalKey) continue;
    for (let j = 0; j < sources.length; j++) {
      if (i === j) continue;
      const b = sources[j];
      const sb = document.Statement[j];
      if (sb.Effect !== sa.Effect || b.conditions.length > 0 || b.actionKey !== "Action" || b.resourceKey !== "Resource" || b.principalKey) continue;
      if (canonicalStatement(sa) === canonicalStatement(sb)) continue;
      const covers = (xs: StringAt[], ys: StringAt[], ic: boolean) =>
        xs.every((x) => ys.some((y) => compileGlob(y.value, ic)(ic ? x.value.toLowerCase() : x.value)));
      if (covers(a.actions!, b.actions!, true) && covers(a.resources!, b.resources!, false)) {
        add("SUGGESTION", "REDUNDANT_STATEMENT", `Statement ${j} already ${sa.Effect === "Allow" ? "allows" : "denies"} everything this statement does.`, a.span, i);
        break;
      }
    }
  }
  return findings;
}
