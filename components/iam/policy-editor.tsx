"use client";
// The JSON policy editor: CodeMirror 6 (bundled, no CDN), AWS's write-time error
// and the engine's findings underlined as you type, listed under the editor.
// The text is submitted with the surrounding form through a hidden input.
import { json } from "@codemirror/lang-json";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorView, Decoration, type DecorationSet } from "@codemirror/view";
import { darkEditorTheme, editorKeyboardAccess, usePrefersDark } from "@/components/ui/code-editor-theme";
import { StateField, StateEffect, type Extension } from "@codemirror/state";
import CodeMirror from "@uiw/react-codemirror";
import { useMemo, useRef, useState } from "react";
import { checkPolicyAction, type PolicyCheck } from "@/lib/actions/analyze-policy";

export type PolicyKind = "identity" | "resource" | "trust" | "boundary" | "session" | "scp";

const SEVERITY: Record<string, Diagnostic["severity"]> = { ERROR: "error", SECURITY_WARNING: "warning", WARNING: "warning", SUGGESTION: "info" };

const setHighlights = StateEffect.define<{ from: number; to: number }[]>();
const highlightMark = Decoration.mark({ class: "cm-decisive" });
const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setHighlights)) return Decoration.set(e.value.filter((r) => r.to > r.from).map((r) => highlightMark.range(r.from, r.to)), true);
    return deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The blank policy a new editor starts from: its empty Action and Resource are for filling in, not errors to report. */
const BLANK_POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "",\n      "Resource": ""\n    }\n  ]\n}';

export function PolicyEditor({
  name,
  label,
  defaultValue = BLANK_POLICY,
  policyType,
  inline,
  readOnly,
  highlight,
  height = "320px",
  onChange,
  onCheck,
}: {
  /** The form field the text is submitted as. */
  name?: string;
  label: string;
  defaultValue?: string;
  policyType: PolicyKind;
  inline?: boolean;
  readOnly?: boolean;
  /** Character ranges to highlight (decisive statements in the simulator). */
  highlight?: { from: number; to: number }[];
  height?: string;
  onChange?: (text: string) => void;
  /** Receives each check (e.g. to show a policy summary beside the editor). */
  onCheck?: (check: PolicyCheck) => void;
}) {
  const [text, setText] = useState(defaultValue);
  const [check, setCheck] = useState<PolicyCheck | null>(null);
  const dark = usePrefersDark();
  const seq = useRef(0);
  const id = `policy-editor-${name ?? label.replace(/\W+/g, "-").toLowerCase()}`;

  const extensions = useMemo<Extension[]>(() => {
    const lint = linter(
      async (view) => {
        if (readOnly) return [];
        const mine = ++seq.current;
        const doc = view.state.doc.toString();
        // Nothing typed yet into the blank policy: no MalformedPolicyDocument before the person has written anything.
        if (doc === BLANK_POLICY) {
          setCheck(null);
          return [];
        }
        const result = await checkPolicyAction({ text: doc, type: policyType, inline });
        if (mine !== seq.current || !result.ok) return [];
        setCheck(result.data);
        onCheck?.(result.data);
        const len = doc.length;
        const clamp = (n: number) => Math.max(0, Math.min(len, n));
        const diagnostics: Diagnostic[] = result.data.findings.map((f) => ({
          from: clamp(f.span.start),
          to: clamp(Math.max(f.span.end, f.span.start + 1)),
          severity: SEVERITY[f.type] ?? "info",
          message: `${f.type}: ${f.message}`,
        }));
        if (result.data.error && !result.data.findings.some((f) => f.type === "ERROR")) {
          const line = result.data.error.line ? view.state.doc.line(Math.min(result.data.error.line, view.state.doc.lines)) : view.state.doc.line(1);
          diagnostics.push({ from: line.from, to: line.to, severity: "error", message: `${result.data.error.code}: ${result.data.error.message}` });
        }
        return diagnostics;
      },
      { delay: 400 },
    );
    return [json(), lint, lintGutter(), highlightField, EditorView.lineWrapping, editorKeyboardAccess];
  }, [policyType, inline, readOnly, onCheck]);

  return (
    <div className="flex flex-col gap-1">
      <label id={`${id}-label`} htmlFor={id} className="font-medium">
        {label}
      </label>
      <div className="overflow-hidden rounded border border-neutral-300 dark:border-neutral-700 [&_.cm-decisive]:bg-yellow-200 dark:[&_.cm-decisive]:bg-yellow-800">
        <CodeMirror
          id={id}
          aria-labelledby={`${id}-label`}
          value={text}
          height={height}
          readOnly={readOnly}
          theme={dark ? darkEditorTheme : "light"}
          basicSetup={{ foldGutter: true, lineNumbers: true, highlightActiveLine: !readOnly }}
          extensions={extensions}
          onCreateEditor={(view) => {
            view.contentDOM.setAttribute("aria-labelledby", `${id}-label`);
            if (highlight?.length) view.dispatch({ effects: setHighlights.of(highlight) });
          }}
          onChange={(value) => {
            setText(value);
            onChange?.(value);
          }}
        />
      </div>
      {name && <input type="hidden" name={name} value={text} />}
      {!readOnly &&
        (text === BLANK_POLICY ? (
          <p data-testid="policy-findings" className="text-xs text-neutral-600 dark:text-neutral-300">
            Fill in the statement&apos;s Action and Resource: errors and findings appear here as you type.
          </p>
        ) : (
          <PolicyFindings check={check} />
        ))}
    </div>
  );
}

/** The findings list under the editor (also readable by screen readers). */
export function PolicyFindings({ check }: { check: PolicyCheck | null }) {
  if (!check) return null;
  const { error, findings } = check;
  if (!error && findings.length === 0)
    return (
      <p data-testid="policy-findings" className="text-xs text-green-700 dark:text-green-400" aria-live="polite">
        No errors or findings.
      </p>
    );
  return (
    <ul data-testid="policy-findings" aria-live="polite" className="flex flex-col gap-0.5 text-xs">
      {error && (
        <li className="text-red-700 dark:text-red-400">
          <span className="font-mono font-semibold">{error.code}</span> {error.message}
          {error.line ? ` (line ${error.line})` : ""}
        </li>
      )}
      {findings.map((f, i) => (
        <li key={i} className={f.type === "ERROR" ? "text-red-700 dark:text-red-400" : f.type === "SUGGESTION" ? "text-neutral-600 dark:text-neutral-300" : "text-amber-700 dark:text-amber-400"}>
          <span className="font-semibold">{f.type.replace("_", " ")}</span> (line {f.position.line}): {f.message}
        </li>
      ))}
    </ul>
  );
}
