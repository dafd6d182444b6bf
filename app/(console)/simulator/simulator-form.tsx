"use client";
// The simulator's form and results. Everything typed stays as typed after a
// run (the form is submitted by hand, not reset); the server's field errors
// show under their field.
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { DecisionBadge, DecisionExplain } from "./decision-explain";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/action-result";
import { runSimulationAction, searchGroupsAction, searchRolesAction, searchUsersAction, suggestActionsAction } from "./actions";
import { ACTION_RULE, PRINCIPAL_RULE, RESOURCE_RULE, type SimulationFormValues } from "./input";
import type { SimulationResult } from "@/lib/iam/services/simulator";

const EMPTY_IDENTITY = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "*"\n    }\n  ]\n}';
const EMPTY_RESOURCE =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::example-bucket/*"\n    }\n  ]\n}';

type Errors = Record<string, string[]>;
/** Field errors by their first path segment ("actions.2" -> "actions"). */
function errorsByField(result: ActionResult<unknown> | null): Errors {
  if (!result || result.ok || !result.fieldErrors) return {};
  const out: Errors = {};
  for (const [k, v] of Object.entries(result.fieldErrors)) (out[k.split(".")[0]!] ??= []).push(...v);
  return out;
}

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="text-xs text-red-700 dark:text-red-400">
      {[...new Set(errors)].join(" ")}
    </p>
  ) : null;
}

/** Debounced suggestions from a server action, for a <datalist>. */
function useSuggestions(query: string, fetcher: (q: string) => Promise<string[]>, minLength = 1) {
  const [items, setItems] = useState<string[]>([]);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    if (query.trim().length < minLength) return;
    const t = setTimeout(async () => {
      const found = await fetcher(query).catch(() => []);
      if (mine === seq.current) setItems(found);
    }, 250);
    return () => clearTimeout(t);
  }, [query, fetcher, minLength]);
  return items;
}

async function principalSuggestions(q: string): Promise<string[]> {
  if (q.startsWith("arn:")) return [];
  const [users, groups, roles] = await Promise.all([searchUsersAction({ q }), searchGroupsAction({ q }), searchRolesAction({ q })]);
  return [
    ...(users.ok ? users.data.Users.map((u) => u.Arn) : []),
    ...(groups.ok ? groups.data.Groups.map((g) => g.Arn) : []),
    ...(roles.ok ? roles.data.Roles.map((r) => r.Arn) : []),
  ];
}

async function actionSuggestions(q: string): Promise<string[]> {
  const r = await suggestActionsAction({ q });
  return r.ok ? r.data : [];
}

function KeyValueRows({ legend, keyName, valueName, keyLabel, valueLabel, initial, hint }: {
  legend: string;
  keyName: string;
  valueName: string;
  keyLabel: string;
  valueLabel: string;
  initial: { key: string; value: string }[];
  hint: string;
}) {
  const [rows, setRows] = useState(() => initial.map((r, i) => ({ ...r, id: i })));
  const next = useRef(initial.length);
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="font-medium">{legend}</legend>
      <p className="text-xs text-neutral-500 dark:text-neutral-400">{hint}</p>
      {rows.map((r, i) => (
        <div key={r.id} className="flex items-end gap-2">
          <label className="flex flex-col text-xs">
            {keyLabel} {i + 1}
            <input name={keyName} defaultValue={r.key} className="rounded border border-neutral-300 px-2 py-1 text-sm dark:border-neutral-700 dark:bg-neutral-900" />
          </label>
          <label className="flex flex-col text-xs">
            {valueLabel} {i + 1}
            <input name={valueName} defaultValue={r.value} className="rounded border border-neutral-300 px-2 py-1 text-sm dark:border-neutral-700 dark:bg-neutral-900" />
          </label>
          <Button variant="secondary" onClick={() => setRows(rows.filter((x) => x.id !== r.id))} aria-label={`Remove ${keyLabel.toLowerCase()} ${i + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      <div>
        <Button variant="secondary" onClick={() => setRows([...rows, { key: "", value: "", id: next.current++ }])}>
          Add {keyLabel.toLowerCase()}
        </Button>
      </div>
    </fieldset>
  );
}

function ActionsPicker({ initial, errors }: { initial: string[]; errors?: string[] }) {
  const [actions, setActions] = useState(initial);
  const [draft, setDraft] = useState("");
  const suggestions = useSuggestions(draft, actionSuggestions);
  const id = useId();
  const add = () => {
    const parts = draft.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    if (parts.length) setActions([...new Set([...actions, ...parts])]);
    setDraft("");
  };
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="font-medium">Actions</legend>
      <div className="flex items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-action`} className="text-xs">
            Action to add
          </label>
          <input
            id={`${id}-action`}
            list={`${id}-actions`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
            placeholder="s3:GetObject"
            autoComplete="off"
            aria-describedby={`${id}-rule${errors?.length ? ` ${id}-error` : ""}`}
            className="w-80 rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900"
          />
          <datalist id={`${id}-actions`}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </div>
        <Button variant="secondary" onClick={add} disabled={!draft.trim()}>
          Add action
        </Button>
      </div>
      <p id={`${id}-rule`} className="text-xs text-neutral-500 dark:text-neutral-400">
        {ACTION_RULE} Suggestions come from AWS&apos;s catalogue of actions.
      </p>
      <ErrorText id={`${id}-error`} errors={errors} />
      <ul aria-label="Actions to simulate" className="flex flex-wrap gap-1">
        {actions.map((a) => (
          <li key={a} className="flex items-center gap-1 rounded border border-neutral-300 px-2 py-0.5 font-mono text-xs dark:border-neutral-700">
            {a}
            <input type="hidden" name="actions" value={a} />
            <button type="button" onClick={() => setActions(actions.filter((x) => x !== a))} aria-label={`Remove ${a}`} className="text-neutral-500 hover:text-red-700">
              ×
            </button>
          </li>
        ))}
        {actions.length === 0 && <li className="text-xs text-neutral-500">No actions yet.</li>}
      </ul>
    </fieldset>
  );
}

function Results({ result }: { result: SimulationResult }) {
  const { principal, results, policies, notes } = result;
  return (
    <section aria-labelledby="results-title" className="mt-6 flex flex-col gap-3">
      <h2 id="results-title" className="text-lg font-semibold">
        Results
      </h2>
      <p className="text-neutral-600 dark:text-neutral-300">
        {principal.kind === "custom" ? "Pasted policies, asked as " : `${principal.kind === "root" ? "The root user" : `The ${principal.kind} ${principal.name}`}, asked as `}
        <span className="break-all font-mono text-xs">{principal.requestArn}</span>
      </p>
      {notes.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-neutral-600 dark:text-neutral-300">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <table className="w-full border-collapse text-left">
        <caption className="sr-only">Simulation results</caption>
        <thead>
          <tr className="border-b border-neutral-200 dark:border-neutral-800">
            <th scope="col" className="px-2 py-1.5">Action</th>
            <th scope="col" className="px-2 py-1.5">Resource</th>
            <th scope="col" className="px-2 py-1.5">Decision</th>
            <th scope="col" className="px-2 py-1.5">Reason</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={`${r.action} ${r.resource}`} className="border-b border-neutral-100 dark:border-neutral-900">
              <td className="px-2 py-1.5 font-mono text-xs">{r.action}</td>
              <td className="break-all px-2 py-1.5 font-mono text-xs">{r.resource}</td>
              <td className="px-2 py-1.5">
                <DecisionBadge decision={r.decision} />
              </td>
              <td className="px-2 py-1.5 text-xs">{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-col gap-2">
        {results.map((r) => (
          <DecisionExplain key={`${r.action} ${r.resource}`} result={r} policies={policies} defaultOpen={results.length === 1} />
        ))}
      </div>
      <details className="text-xs">
        <summary className="cursor-pointer">Request context used</summary>
        <pre className="mt-1 overflow-x-auto rounded bg-neutral-50 p-2 font-mono dark:bg-neutral-900">{JSON.stringify(result.context, null, 2)}</pre>
      </details>
    </section>
  );
}

export function SimulatorForm({
  initialValues,
  initialResult,
  callerArn,
}: {
  initialValues: SimulationFormValues;
  initialResult: ActionResult<SimulationResult> | null;
  callerArn: string;
}) {
  const [result, setResult] = useState(initialResult);
  const [pending, startTransition] = useTransition();
  const [principal, setPrincipal] = useState(initialValues.principalArn);
  const principalOptions = useSuggestions(principal, principalSuggestions);
  const [identity, setIdentity] = useState(() => initialValues.identityPolicies.map((text, id) => ({ id, text })));
  const nextPolicy = useRef(initialValues.identityPolicies.length);
  const [boundary, setBoundary] = useState(initialValues.boundaryPolicy !== "");
  const [resourcePolicy, setResourcePolicy] = useState(initialValues.resourcePolicy !== "");
  const errors = errorsByField(result);
  const v = initialValues;

  return (
    <>
      <form
        aria-label="Simulation"
        className="flex max-w-5xl flex-col gap-5"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          startTransition(async () => setResult(await runSimulationAction(null, form)));
        }}
      >
        <section aria-labelledby="sim-principal" className="flex flex-col gap-2">
          <h2 id="sim-principal" className="font-semibold">
            1. Principal
          </h2>
          <div className="flex flex-col gap-1">
            <label htmlFor="principalArn" className="font-medium">
              Principal ARN
            </label>
            <div className="flex gap-2">
              <input
                id="principalArn"
                name="principalArn"
                list="principal-options"
                value={principal}
                onChange={(e) => setPrincipal(e.target.value)}
                placeholder="arn:aws:iam::111122223333:user/alice, or type a name to search"
                autoComplete="off"
                aria-describedby={`principal-rule${errors.principalArn ? " principal-error" : ""}`}
                className="w-full max-w-2xl rounded border border-neutral-300 px-2 py-1.5 font-mono text-sm dark:border-neutral-700 dark:bg-neutral-900"
              />
              <Button variant="secondary" onClick={() => setPrincipal(callerArn)}>
                Use my identity
              </Button>
            </div>
            <datalist id="principal-options">
              {principalOptions.map((o) => (
                <option key={o} value={o} />
              ))}
            </datalist>
            <p id="principal-rule" className="text-xs text-neutral-500 dark:text-neutral-400">
              {PRINCIPAL_RULE}
            </p>
            <ErrorText id="principal-error" errors={errors.principalArn} />
          </div>
        </section>

        <section aria-labelledby="sim-policies" className="flex flex-col gap-3">
          <h2 id="sim-policies" className="font-semibold">
            2. Policies to add (optional)
          </h2>
          <p className="text-xs text-neutral-500 dark:text-neutral-400">
            Pasted identity policies are added to the principal&apos;s own; a pasted boundary replaces its boundary; a pasted resource policy stands in for the
            resource&apos;s own.
          </p>
          {identity.map((p, i) => (
            <div key={p.id} className="flex flex-col gap-1">
              <PolicyEditor name="identityPolicies" label={`Identity policy ${i + 1}`} policyType="identity" inline defaultValue={p.text} height="220px" />
              <div>
                <Button variant="secondary" onClick={() => setIdentity(identity.filter((x) => x.id !== p.id))}>
                  Remove identity policy {i + 1}
                </Button>
              </div>
            </div>
          ))}
          <ErrorText id="identity-error" errors={errors.identityPolicies} />
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => setIdentity([...identity, { id: nextPolicy.current++, text: EMPTY_IDENTITY }])}>
              Add identity policy
            </Button>
            <Button variant="secondary" onClick={() => setBoundary(!boundary)} aria-expanded={boundary}>
              {boundary ? "Remove permissions boundary" : "Add permissions boundary"}
            </Button>
            <Button variant="secondary" onClick={() => setResourcePolicy(!resourcePolicy)} aria-expanded={resourcePolicy}>
              {resourcePolicy ? "Remove resource policy" : "Add resource policy"}
            </Button>
          </div>
          {boundary && <PolicyEditor name="boundaryPolicy" label="Permissions boundary" policyType="boundary" defaultValue={v.boundaryPolicy || EMPTY_IDENTITY} height="220px" />}
          {resourcePolicy && <PolicyEditor name="resourcePolicy" label="Resource policy" policyType="resource" defaultValue={v.resourcePolicy || EMPTY_RESOURCE} height="220px" />}
          <label className="flex items-center gap-2">
            <input type="checkbox" name="useResourcePolicy" value="true" defaultChecked={v.useResourcePolicy} />
            Include the resource&apos;s own policy (bucket policy, or a role&apos;s trust policy for sts:AssumeRole)
          </label>
        </section>

        <section aria-labelledby="sim-request" className="flex flex-col gap-3">
          <h2 id="sim-request" className="font-semibold">
            3. Actions and resources
          </h2>
          <ActionsPicker initial={v.actions} errors={errors.actions} />
          <div className="flex flex-col gap-1">
            <label htmlFor="resources" className="font-medium">
              Resources
            </label>
            <textarea
              id="resources"
              name="resources"
              rows={3}
              defaultValue={v.resources}
              aria-describedby={`resources-rule${errors.resources ? " resources-error" : ""}`}
              className="w-full max-w-2xl rounded border border-neutral-300 px-2 py-1.5 font-mono text-sm dark:border-neutral-700 dark:bg-neutral-900"
            />
            <p id="resources-rule" className="text-xs text-neutral-500 dark:text-neutral-400">
              {RESOURCE_RULE}
            </p>
            <ErrorText id="resources-error" errors={errors.resources} />
          </div>
        </section>

        <section aria-labelledby="sim-context" className="flex flex-col gap-3">
          <h2 id="sim-context" className="font-semibold">
            4. Request context
          </h2>
          <div className="grid gap-3 md:grid-cols-2">
            <div className="flex flex-col gap-1">
              <label htmlFor="mfaPresent" className="font-medium">
                MFA present (aws:MultiFactorAuthPresent)
              </label>
              <select
                id="mfaPresent"
                name="mfaPresent"
                defaultValue={v.mfaPresent}
                aria-describedby="mfa-rule"
                className="rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900"
              >
                <option value="">As the principal&apos;s session (yours when it is you)</option>
                <option value="true">true: signed in with MFA</option>
                <option value="false">false: no MFA</option>
              </select>
              <p id="mfa-rule" className="text-xs text-neutral-500 dark:text-neutral-400">
                Without MFA, aws:MultiFactorAuthAge is missing from the request.
              </p>
            </div>
            <Field label="MFA age in seconds (aws:MultiFactorAuthAge)" name="mfaAge" inputMode="numeric" defaultValue={v.mfaAge} rule="0 to 129,600; only with MFA present." errors={errors.mfaAge} />
            <Field label="Source IP (aws:SourceIp)" name="sourceIp" defaultValue={v.sourceIp} rule="IPv4 or IPv6; empty: your own address." errors={errors.sourceIp} />
            <Field label="Current time, UTC (aws:CurrentTime)" name="currentTime" type="datetime-local" defaultValue={v.currentTime} rule="Empty: now." errors={errors.currentTime} />
          </div>
          <KeyValueRows legend="Principal tags (aws:PrincipalTag/...)" keyName="principalTagKey" valueName="principalTagValue" keyLabel="Principal tag key" valueLabel="Principal tag value" initial={v.principalTags} hint="Added to (or replacing) the principal's real tags." />
          <KeyValueRows legend="Resource tags (aws:ResourceTag/...)" keyName="resourceTagKey" valueName="resourceTagValue" keyLabel="Resource tag key" valueLabel="Resource tag value" initial={v.resourceTags} hint="Tags of the resource, for conditions on aws:ResourceTag." />
          <KeyValueRows legend="Other context keys" keyName="contextKey" valueName="contextValue" keyLabel="Context key" valueLabel="Context value" initial={v.context} hint="Any key, e.g. s3:prefix or aws:RequestedRegion; separate several values with commas." />
        </section>

        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Running..." : "Run simulation"}
          </Button>
          {pending && (
            <span role="status" className="text-xs text-neutral-500">
              Asking the policy engine...
            </span>
          )}
        </div>
      </form>
      <div className="mt-4">
        <ResultBanner result={result} />
      </div>
      {result?.ok && <Results result={result.data} />}
    </>
  );
}
