"use client";
import { useState } from "react";
import { CopyButton } from "./copy-button";

/**
 * A secret shown once (access key secret, MFA seed): masked by default, with
 * show/copy buttons and a download, and a plain warning.
 */
export function SecretOnce({
  label,
  value,
  download,
  warning = "This is the only time you can see this secret. Copy or download it now and keep it safe; never share it or commit it to code.",
}: {
  label: string;
  value: string;
  download?: { filename: string; content: string; mime?: string };
  warning?: string;
}) {
  const [shown, setShown] = useState(false);
  const id = `secret-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="rounded border border-amber-400 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
      <p className="mb-2 text-amber-900 dark:text-amber-100">{warning}</p>
      <div className="flex flex-wrap items-center gap-2">
        <span id={id} className="font-medium">
          {label}
        </span>
        <code aria-labelledby={id} data-testid={id} className="break-all rounded bg-white px-2 py-0.5 font-mono dark:bg-neutral-900">
          {shown ? value : "•".repeat(Math.min(40, value.length))}
        </code>
        <button type="button" className="text-xs text-accent underline" onClick={() => setShown((s) => !s)}>
          {shown ? "Hide" : "Show"}
        </button>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
        {download && (
          <a
            className="text-xs text-accent underline"
            download={download.filename}
            href={`data:${download.mime ?? "text/csv"};charset=utf-8,${encodeURIComponent(download.content)}`}
          >
            Download {download.filename}
          </a>
        )}
      </div>
    </div>
  );
}
