"use client";
// Access keys of a user (or of the caller): create (the secret shown once, with
// a CSV download), make inactive/active, delete (inactive keys only, as the
// console asks), last use, age, and a guided rotation.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SecretOnce } from "@/components/ui/secret-once";
import { createAccessKeyAction, deleteAccessKeyAction, updateAccessKeyAction } from "@/lib/actions/credentials";
import { daysAgo, formatDate, formatDays, KEY_ROTATION_DAYS } from "@/components/ui/format";
import { useActionForm } from "@/components/ui/use-action-form";
import { rotationInProgress, rotationOf, type RotationStep } from "./key-rotation";

export interface AccessKeyRow {
  accessKeyId: string;
  status: string;
  createDate: Date;
  lastUsedDate: Date | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}

const MAX_KEYS = 2;

export function AccessKeysPanel({ userName, keys, owner }: { userName?: string; keys: AccessKeyRow[]; owner: string }) {
  const create = useActionForm(createAccessKeyAction);
  const update = useActionForm(updateAccessKeyAction);
  const remove = useActionForm(deleteAccessKeyAction);
  // One banner at a time: the result of the last thing done here; starting anything clears it.
  const [last, setLast] = useState<"create" | "update" | "remove" | null>(null);
  // The rotation shown: the one the keys show to be under way, or the key a Rotate button named.
  const [chosen, setChosen] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState(false);
  const [completed, setCompleted] = useState<string | null>(null);
  const forms = { create, update, remove };
  const begin = (kind: "create" | "update" | "remove") => {
    for (const f of Object.values(forms)) f.clear();
    setLast(kind);
  };
  const who = userName ? { userName } : {};
  const createKey = () => {
    begin("create");
    void create.run(who);
  };
  const updateKey = (accessKeyId: string, status: "Active" | "Inactive") => {
    begin("update");
    void update.run({ ...who, accessKeyId, status });
  };
  const removeKey = async (accessKeyId: string, rotationNewKey?: string) => {
    begin("remove");
    const r = await remove.run({ ...who, accessKeyId });
    if (r.ok && rotationNewKey) setCompleted(rotationNewKey);
  };
  const startRotation = (accessKeyId: string) => {
    for (const f of Object.values(forms)) f.clear();
    setLast(null);
    setCompleted(null);
    setDismissed(false);
    setChosen(accessKeyId);
  };
  const created = last === "create" && create.result?.ok ? create.result.data : null;
  const rotation = dismissed ? null : chosen ? rotationOf(keys, chosen) : rotationInProgress(keys);

  return (
    <section aria-labelledby="access-keys-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="access-keys-title" className="text-lg font-semibold">
          Access keys <span className="text-sm font-normal text-neutral-500">({keys.length} of {MAX_KEYS})</span>
        </h2>
        <form
          onSubmit={(e) => {
            begin("create");
            create.onSubmit(e);
          }}
        >
          {userName && <input type="hidden" name="userName" value={userName} />}
          <Button type="submit" disabled={create.pending || keys.length >= MAX_KEYS}>
            {create.pending ? "Creating…" : "Create access key"}
          </Button>
        </form>
      </div>
      <p className="text-sm text-neutral-600 dark:text-neutral-300">
        Access keys sign programmatic requests (AWS CLI, SDKs). Never share a secret access key or put it in code; prefer
        temporary credentials (roles) where you can, and rotate long-term keys regularly. A user can have at most two.
      </p>
      {last === "create" && !created && <ResultBanner result={create.result} />}
      {last === "update" && <ResultBanner result={update.result} success="Access key status updated." />}
      {last === "remove" && !completed && <ResultBanner result={remove.result} success="Access key deleted." />}
      {created && (
        <div className="flex flex-col gap-2" data-testid="new-access-key">
          <Banner kind="success">
            Access key <span className="font-mono">{created.accessKeyId}</span> created.
          </Banner>
          <p>
            Access key ID: <code className="font-mono">{created.accessKeyId}</code>
          </p>
          <SecretOnce
            label="Secret access key"
            value={created.secretAccessKey}
            download={{
              filename: `${owner}_accessKeys.csv`,
              content: `Access key ID,Secret access key\n${created.accessKeyId},${created.secretAccessKey}\n`,
            }}
          />
        </div>
      )}
      {completed && !dismissed ? (
        <RotationComplete newKeyId={completed} onClose={() => setCompleted(null)} />
      ) : (
        rotation && (
          <RotationGuide
            rotation={rotation}
            keys={keys}
            creating={create.pending}
            onCreate={createKey}
            onDeactivate={() => updateKey(rotation.oldKeyId, "Inactive")}
            onDelete={() => rotation.step === 3 && removeKey(rotation.oldKeyId, rotation.newKeyId)}
            onClose={() => {
              setDismissed(true);
              setChosen(null);
            }}
          />
        )
      )}
      {keys.length === 0 ? (
        <p className="rounded border border-dashed border-neutral-300 p-4 text-center dark:border-neutral-700">
          No access keys. Create one only if a program needs long-term credentials.
        </p>
      ) : (
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Access keys</caption>
          <thead>
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="px-2 py-1.5">Access key ID</th>
              <th scope="col" className="px-2 py-1.5">Status</th>
              <th scope="col" className="px-2 py-1.5">Age</th>
              <th scope="col" className="px-2 py-1.5">Last used</th>
              <th scope="col" className="px-2 py-1.5">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const age = daysAgo(k.createDate);
              const old = k.status === "Active" && age !== null && age > KEY_ROTATION_DAYS;
              return (
                <tr key={k.accessKeyId} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="px-2 py-1.5 font-mono">{k.accessKeyId}</td>
                  <td className="px-2 py-1.5">{k.status}</td>
                  <td className={`px-2 py-1.5 ${old ? "font-semibold text-amber-700 dark:text-amber-400" : ""}`}>
                    {formatDays(age)}
                    {old && <span className="ml-1">(rotate: older than {KEY_ROTATION_DAYS} days)</span>}
                    <span className="block text-xs text-neutral-500">created {formatDate(k.createDate)}</span>
                  </td>
                  <td className="px-2 py-1.5">
                    <LastUsed k={k} />
                  </td>
                  <td className="px-2 py-1.5">
                    <div className="flex flex-wrap items-center gap-2">
                      <Button
                        variant="secondary"
                        disabled={update.pending}
                        onClick={() => updateKey(k.accessKeyId, k.status === "Active" ? "Inactive" : "Active")}
                        aria-label={`${k.status === "Active" ? "Make inactive" : "Make active"} ${k.accessKeyId}`}
                      >
                        {k.status === "Active" ? "Make inactive" : "Make active"}
                      </Button>
                      {k.status === "Active" && (
                        <Button variant="secondary" onClick={() => startRotation(k.accessKeyId)} aria-label={`Rotate ${k.accessKeyId}`}>
                          Rotate
                        </Button>
                      )}
                      {k.status === "Inactive" ? (
                        <ConfirmDialog
                          trigger={`Delete ${k.accessKeyId}`}
                          title="Delete access key?"
                          confirmText={k.accessKeyId}
                          onConfirm={() => void removeKey(k.accessKeyId)}
                        >
                          <p>
                            Access key <span className="font-mono">{k.accessKeyId}</span> will be deleted for good. Programs still using it will
                            fail to authenticate.
                          </p>
                        </ConfirmDialog>
                      ) : (
                        <span className="text-xs text-neutral-500">Make it inactive before deleting.</span>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LastUsed({ k }: { k: AccessKeyRow }) {
  if (!k.lastUsedDate) return <span>Never used</span>;
  return (
    <span>
      {formatDate(k.lastUsedDate, "Never")}
      <span className="block text-xs text-neutral-500">
        {k.lastUsedService ?? "N/A"} in {k.lastUsedRegion ?? "N/A"}
      </span>
    </span>
  );
}

/**
 * Rotating a key without an outage: create the second key, move programs to it
 * (the old key's last use tells where it was used), deactivate the old key,
 * confirm nothing used it since, then delete it. The step comes from the keys'
 * states (`key-rotation.ts`), so a reload or another tab resumes it.
 */
function RotationGuide({
  rotation,
  keys,
  creating,
  onCreate,
  onDeactivate,
  onDelete,
  onClose,
}: {
  rotation: RotationStep;
  keys: AccessKeyRow[];
  creating: boolean;
  onCreate: () => void;
  onDeactivate: () => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  const router = useRouter();
  // Only a hint within this page: whether the old key was used after this page deactivated it.
  const [deactivatedAt, setDeactivatedAt] = useState<number | null>(null);
  const oldKey = keys.find((k) => k.accessKeyId === rotation.oldKeyId);
  const current = rotation.step === "blocked" ? 1 : rotation.step;
  const usedSinceDeactivation = oldKey?.lastUsedDate && deactivatedAt !== null && new Date(oldKey.lastUsedDate).getTime() > deactivatedAt;
  return (
    <RotationFrame keyId={rotation.oldKeyId} current={current} onClose={onClose}>
      {rotation.step === 1 && (
        <Button onClick={onCreate} disabled={creating}>
          {creating ? "Creating…" : "Create the new access key"}
        </Button>
      )}
      {rotation.step === "blocked" && (
        <p>
          A user can have two access keys, and the inactive key <span className="font-mono">{rotation.otherKeyId}</span> takes the second
          place: delete it first (or make it active and rotate away from <span className="font-mono">{rotation.oldKeyId}</span> to it).
        </p>
      )}
      {rotation.step === 2 && oldKey && (
        <div className="flex flex-col gap-2">
          <p>
            The new key <span className="font-mono">{rotation.newKeyId}</span> is ready. Where the old key was last used:{" "}
            <strong data-testid="old-key-last-used">
              {oldKey.lastUsedDate ? `${formatDate(oldKey.lastUsedDate)}, ${oldKey.lastUsedService ?? "N/A"} in ${oldKey.lastUsedRegion ?? "N/A"}` : "never used"}
            </strong>
            . Update those programs to the new key first.
          </p>
          <div>
            <Button
              onClick={() => {
                setDeactivatedAt(Date.now());
                onDeactivate();
              }}
            >
              Deactivate the old key
            </Button>
          </div>
        </div>
      )}
      {rotation.step === 3 && oldKey && (
        <div className="flex flex-col gap-2">
          <p>
            The old key is inactive. Last used:{" "}
            <strong data-testid="old-key-last-used">{oldKey.lastUsedDate ? formatDate(oldKey.lastUsedDate) : "never"}</strong>.{" "}
            {usedSinceDeactivation
              ? "Something tried to use it after you deactivated it: make it active again and find that program before deleting."
              : deactivatedAt !== null
                ? "Nothing has used it since it was deactivated. Wait as long as your programs need to show up, check again, then delete it."
                : "If that is after you deactivated it, a program still uses it: make it active again and find that program. Otherwise wait as long as your programs need to show up, check again, then delete it."}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => router.refresh()}>
              Check again
            </Button>
            <ConfirmDialog trigger="Delete the old key" title="Delete the old access key?" confirmText={oldKey.accessKeyId} onConfirm={onDelete}>
              <p>
                Access key <span className="font-mono">{oldKey.accessKeyId}</span> will be deleted for good.
              </p>
            </ConfirmDialog>
          </div>
        </div>
      )}
    </RotationFrame>
  );
}

const STEPS = ["Create a new access key", "Move programs to the new key, then deactivate the old one", "Confirm nothing uses the old key, then delete it"];

function RotationFrame({ keyId, current, onClose, children }: { keyId?: string; current: number; onClose: () => void; children: React.ReactNode }) {
  return (
    <section aria-labelledby="rotation-title" data-testid="rotation-guide" className="rounded border border-accent p-3">
      <div className="mb-2 flex items-center justify-between">
        <h3 id="rotation-title" className="font-semibold">
          Rotate access key {keyId && <span className="font-mono">{keyId}</span>}
        </h3>
        <Button variant="link" onClick={onClose}>
          Close
        </Button>
      </div>
      <ol className="mb-3 flex flex-col gap-1 text-sm">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={current === i + 1 ? "step" : undefined} className={current === i + 1 ? "font-semibold" : current > i + 1 ? "text-neutral-500 line-through" : ""}>
            Step {i + 1}: {s}
          </li>
        ))}
      </ol>
      {children}
    </section>
  );
}

function RotationComplete({ newKeyId, onClose }: { newKeyId: string; onClose: () => void }) {
  return (
    <RotationFrame current={4} onClose={onClose}>
      <Banner kind="success">
        Rotation complete: the old key is deleted and <span className="font-mono">{newKeyId}</span> is the only one.
      </Banner>
    </RotationFrame>
  );
}
