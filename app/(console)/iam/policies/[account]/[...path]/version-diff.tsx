// Two policy versions side by side, changed lines highlighted: removed lines on
// the left (<del>), added lines on the right (<ins>), unchanged lines aligned.
// Documents that parse as JSON are formatted the same way first, so the diff
// shows what changed in meaning rather than in whitespace.
import { diffLines } from "diff";

interface Row {
  left?: { n: number; text: string; changed: boolean };
  right?: { n: number; text: string; changed: boolean };
}

function formatForDiff(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const splitLines = (value: string) => value.replace(/\n$/, "").split("\n");

/** Aligns a line diff into side-by-side rows: a removed block pairs up with the added block after it. */
export function sideBySide(before: string, after: string): Row[] {
  const rows: Row[] = [];
  let l = 0;
  let r = 0;
  const parts = diffLines(formatForDiff(before), formatForDiff(after));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part.added && !part.removed) {
      for (const text of splitLines(part.value)) rows.push({ left: { n: ++l, text, changed: false }, right: { n: ++r, text, changed: false } });
      continue;
    }
    const removed = part.removed ? splitLines(part.value) : [];
    const next = parts[i + 1];
    const added = part.added ? splitLines(part.value) : next?.added ? splitLines(next.value) : [];
    if (part.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({
        ...(k < removed.length ? { left: { n: ++l, text: removed[k]!, changed: true } } : {}),
        ...(k < added.length ? { right: { n: ++r, text: added[k]!, changed: true } } : {}),
      });
    }
  }
  return rows;
}

export function VersionDiff({ leftLabel, rightLabel, left, right }: { leftLabel: string; rightLabel: string; left: string; right: string }) {
  const rows = sideBySide(left, right);
  const changes = rows.filter((row) => row.left?.changed || row.right?.changed).length;
  return (
    <section aria-label={`Differences between ${leftLabel} and ${rightLabel}`} className="flex flex-col gap-2">
      <p data-testid="diff-count" className="text-sm text-neutral-600 dark:text-neutral-300">
        {changes === 0 ? "The two versions are identical." : `${changes} changed ${changes === 1 ? "line" : "lines"}.`}
      </p>
      <div className="overflow-x-auto rounded border border-neutral-200 dark:border-neutral-800">
        <table className="w-full border-collapse font-mono text-xs">
          <caption className="sr-only">
            {leftLabel} on the left, {rightLabel} on the right
          </caption>
          <thead>
            <tr className="border-b border-neutral-200 bg-neutral-50 font-sans dark:border-neutral-800 dark:bg-neutral-900">
              <th scope="col" colSpan={2} className="w-1/2 px-2 py-1 text-left">{leftLabel}</th>
              <th scope="col" colSpan={2} className="w-1/2 px-2 py-1 text-left">{rightLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                <Side cell={row.left} kind="removed" />
                <Side cell={row.right} kind="added" />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Side({ cell, kind }: { cell: Row["left"]; kind: "added" | "removed" }) {
  const bg = !cell?.changed ? "" : kind === "added" ? "bg-green-100 dark:bg-green-950" : "bg-red-100 dark:bg-red-950";
  return (
    <>
      <td className={`w-10 select-none px-2 text-right text-neutral-600 dark:text-neutral-400 ${bg}`}>{cell?.n ?? ""}</td>
      <td className={`whitespace-pre-wrap break-all px-2 ${bg}`} data-testid={cell?.changed ? `diff-${kind}` : undefined}>
        {!cell ? "" : !cell.changed ? cell.text : kind === "added" ? <ins className="no-underline">{cell.text}</ins> : <del className="no-underline">{cell.text}</del>}
      </td>
    </>
  );
}
