import { CopyButton } from "./copy-button";

/** The summary panel of a detail page: ARN with a copy button, then label/value pairs. */
export function SummaryPanel({ arn, items }: { arn: string; items: { label: string; value: React.ReactNode }[] }) {
  return (
    <section aria-label="Summary" className="mb-4 grid gap-3 rounded border border-neutral-200 p-4 md:grid-cols-3 dark:border-neutral-800">
      <div className="md:col-span-3">
        <p className="text-xs text-neutral-500">ARN</p>
        <p className="flex items-center gap-2 break-all font-mono">
          <span data-testid="arn">{arn}</span> <CopyButton value={arn} label="Copy ARN" />
        </p>
      </div>
      {items.map((i) => (
        <div key={i.label}>
          <p className="text-xs text-neutral-500">{i.label}</p>
          <p>{i.value}</p>
        </div>
      ))}
    </section>
  );
}
