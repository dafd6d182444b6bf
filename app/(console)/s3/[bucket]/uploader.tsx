"use client";
// Upload from the browser, one request per file with its own progress bar.
// XMLHttpRequest, because it reports upload progress (fetch and server actions
// do not); the route handler puts each file through the PutObject operation.
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Banner } from "@/components/ui/banner";
import { useLatestResult } from "@/components/ui/use-latest-result";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/action-result";
import type { PutObjectResult } from "@/lib/s3/objects";
import { formatBytes } from "@/components/s3/format";

interface FileState {
  name: string;
  total: number;
  loaded: number;
  result?: ActionResult<PutObjectResult>;
}

function uploadOne(url: string, file: File, onProgress: (loaded: number) => void): Promise<ActionResult<PutObjectResult>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    if (file.type) xhr.setRequestHeader("Content-Type", file.type);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText) as ActionResult<PutObjectResult>);
      } catch {
        resolve({ ok: false, error: { code: "InternalFailure", message: `The upload failed (HTTP ${xhr.status}).` } });
      }
    };
    xhr.onerror = () => resolve({ ok: false, error: { code: "InternalFailure", message: "The upload could not reach the server." } });
    xhr.send(file);
  });
}

export function Uploader({ bucket, prefix, maxBytes }: { bucket: string; prefix: string; maxBytes: number }) {
  const router = useRouter();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<FileState[]>([]);
  const [busy, setBusy] = useState(false);

  async function upload() {
    const chosen = Array.from(input.current?.files ?? []);
    if (chosen.length === 0) return;
    setBusy(true);
    setFiles(chosen.map((f) => ({ name: f.name, total: f.size, loaded: 0 })));
    const update = (i: number, change: Partial<FileState>) => setFiles((all) => all.map((f, j) => (j === i ? { ...f, ...change } : f)));
    for (const [i, file] of chosen.entries()) {
      const url = `/s3/${encodeURIComponent(bucket)}/upload?${new URLSearchParams({ key: prefix + file.name })}`;
      const result = await uploadOne(url, file, (loaded) => update(i, { loaded }));
      update(i, { result, loaded: result.ok ? file.size : 0 });
    }
    setBusy(false);
    if (input.current) input.current.value = "";
    router.refresh();
  }

  const done = files.filter((f) => f.result?.ok).length;
  const failed = files.filter((f) => f.result && !f.result.ok);
  const finished = files.length > 0 && files.every((f) => f.result);
  // The upload's results stay until another action on the page reports a newer one.
  const latest = useLatestResult(finished ? files : null);
  return (
    <section aria-labelledby={`${inputId}-title`} className="flex flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
      <h2 id={`${inputId}-title`} className="font-semibold">
        Upload
      </h2>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={inputId} className="font-medium">
          Files to upload
        </label>
        <input ref={input} id={inputId} type="file" multiple aria-describedby={`${inputId}-rule`} className="text-sm" />
        <Button onClick={upload} disabled={busy}>
          {busy ? "Uploading…" : "Upload"}
        </Button>
      </div>
      <p id={`${inputId}-rule`} className="text-xs text-neutral-500 dark:text-neutral-400">
        Up to {formatBytes(maxBytes)} per file from the console. Files go to {prefix ? <code>{prefix}</code> : "the top of the bucket"}; a file with the same name replaces the object.
      </p>
      {latest && finished && done > 0 && <Banner kind="success">Uploaded {done} of {files.length} file{files.length === 1 ? "" : "s"}.</Banner>}
      {latest &&
        failed.map((f) =>
        f.result && !f.result.ok ? (
          <Banner key={f.name} kind="error" code={f.result.error.code} denied={f.result.error.denied}>
            {f.name}: {f.result.error.message}
          </Banner>
        ) : null,
      )}
      {files.length > 0 && (
        <ul className="flex max-h-48 flex-col gap-1 overflow-auto text-sm">
          {files.map((f) => (
            <li key={f.name} className="flex items-center gap-2">
              <progress aria-label={`Upload progress for ${f.name}`} max={Math.max(f.total, 1)} value={f.result?.ok ? Math.max(f.total, 1) : f.loaded} className="w-40" />
              <span className="font-mono">{f.name}</span>
              <span className="text-neutral-500">{f.result ? (f.result.ok ? "Done" : "Failed") : formatBytes(f.loaded)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
