"use client";
// The role page's interactive parts: delete, edit, trust policy, revoke
// sessions, permissions boundary and instance profiles. Each calls its server
// action (app/(console)/iam/roles/actions.ts) through the IAM pages' one form hook.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActionForm } from "@/components/ui/use-action-form";
import {
  createInstanceProfileForRoleAction,
  deleteRoleAction,
  deleteRoleBoundaryAction,
  putRoleBoundaryAction,
  removeRoleFromInstanceProfileAction,
  revokeSessionsAction,
  updateRoleAction,
  updateTrustPolicyAction,
} from "../actions";
import { PolicyPicker } from "@/components/iam/policy-picker";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/action-result";
import { MAX_SESSION_HOURS } from "../create-role-input";

/** "Delete": the console's compound delete (detach, delete inline, leave instance profiles, DeleteRole). */
export function DeleteRole({ roleName, attached, inline, profiles }: { roleName: string; attached: number; inline: number; profiles: number }) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <div className="flex flex-col items-end gap-2">
      <ConfirmDialog
        trigger="Delete"
        title={`Delete ${roleName}?`}
        confirmText={roleName}
        pending={pending}
        onConfirm={async () => {
          setPending(true);
          const r = await deleteRoleAction({ roleName });
          setPending(false);
          setResult(r);
          if (r.ok) router.push(`/iam/roles?deleted=${encodeURIComponent(roleName)}`);
        }}
      >
        <p>
          The role <strong>{roleName}</strong> will be deleted, and with it: {attached} attached managed {attached === 1 ? "policy" : "policies"} detached, {inline} inline{" "}
          {inline === 1 ? "policy" : "policies"} deleted, removed from {profiles} instance {profiles === 1 ? "profile" : "profiles"}. Sessions of the role stop working.
          This cannot be undone.
        </p>
      </ConfirmDialog>
      <ResultBanner result={result && !result.ok ? result : null} />
    </div>
  );
}

export function EditRole({ roleName, description, maxSessionDuration }: { roleName: string; description: string; maxSessionDuration: number }) {
  const { result, pending, onSubmit, errorsFor } = useActionForm(updateRoleAction);
  return (
    <details className="mb-4">
      <summary className="cursor-pointer text-accent">Edit description and maximum session duration</summary>
      <form onSubmit={onSubmit} noValidate className="mt-2 flex max-w-lg flex-col gap-3">
        <ResultBanner result={result} success="Role updated." />
        <input type="hidden" name="roleName" value={roleName} />
        <Field label="Description" name="description" defaultValue={description} maxLength={1000} rule="Up to 1,000 characters" errors={errorsFor("description")} />
        <div className="flex flex-col gap-1">
          <label htmlFor="edit-max-session" className="font-medium">
            Maximum session duration
          </label>
          <select id="edit-max-session" name="maxSessionHours" defaultValue={String(Math.round(maxSessionDuration / 3600))} className="w-40 rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900">
            {MAX_SESSION_HOURS.map((h) => (
              <option key={h} value={h}>
                {h} hour{h === 1 ? "" : "s"}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
    </details>
  );
}

export function TrustPolicyForm({ roleName, document }: { roleName: string; document: string }) {
  const { result, pending, onSubmit } = useActionForm(updateTrustPolicyAction);
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <ResultBanner result={result} success="Trust policy updated." />
      <input type="hidden" name="roleName" value={roleName} />
      <PolicyEditor name="policyDocument" label="Trust policy" policyType="trust" defaultValue={document} />
      <p className="text-xs text-neutral-500">Up to 2,048 characters without whitespace. A trust policy names a Principal and has no Resource.</p>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Updating…" : "Update policy"}
        </Button>
      </div>
    </form>
  );
}

export function RevokeSessions({ roleName }: { roleName: string }) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<{ revokedBefore: Date }> | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <div className="flex flex-col gap-2">
      {result?.ok ? (
        <Banner kind="success">
          Revoked the sessions of {roleName} issued before {new Date(result.data.revokedBefore).toISOString()}: the inline policy AWSRevokeOlderSessions now denies them.
        </Banner>
      ) : (
        <ResultBanner result={result} />
      )}
      <div>
        <ConfirmDialog
          trigger="Revoke active sessions"
          title={`Revoke active sessions of ${roleName}?`}
          confirmText="revoke"
          confirmLabel="Revoke active sessions"
          pending={pending}
          onConfirm={async () => {
            setPending(true);
            const r = await revokeSessionsAction({ roleName });
            setPending(false);
            setResult(r);
            if (r.ok) router.refresh();
          }}
        >
          <p>
            This adds the inline policy <code className="font-mono">AWSRevokeOlderSessions</code> to the role. It denies every action to any session of the role whose
            credentials were issued before now (<code className="font-mono">aws:TokenIssueTime</code>), including console sessions switched into it. Sessions
            started afterwards work as before. Remove the policy later from the Permissions tab once the old sessions have expired.
          </p>
        </ConfirmDialog>
      </div>
    </div>
  );
}

export function BoundaryPanel({ roleName, boundaryArn }: { roleName: string; boundaryArn?: string }) {
  const set = useActionForm(putRoleBoundaryAction);
  const remove = useActionForm(deleteRoleBoundaryAction);
  const [changing, setChanging] = useState(false);
  return (
    <section aria-labelledby="boundary-title" className="flex flex-col gap-3">
      <h2 id="boundary-title" className="text-lg font-semibold">
        Permissions boundary
      </h2>
      <ResultBanner result={set.result} success="Permissions boundary set." />
      <ResultBanner result={remove.result} success="Permissions boundary removed." />
      {boundaryArn ? (
        <div className="flex flex-wrap items-center gap-3">
          <p>
            <span className="font-mono" data-testid="boundary-arn">
              {boundaryArn}
            </span>{" "}
            limits the most this role&apos;s policies can allow.
          </p>
          <form onSubmit={remove.onSubmit}>
            <input type="hidden" name="roleName" value={roleName} />
            <Button type="submit" variant="secondary" disabled={remove.pending}>
              Remove boundary
            </Button>
          </form>
        </div>
      ) : (
        <p className="text-neutral-600 dark:text-neutral-300">No permissions boundary: the role&apos;s policies alone decide what it may do.</p>
      )}
      {changing ? (
        <PolicyPicker
          label="Search policies to use as the boundary"
          chosenLabel="Current boundary"
          isChosen={(arn) => arn === boundaryArn}
          renderAction={(p) => (
            <form onSubmit={set.onSubmit}>
              <input type="hidden" name="roleName" value={roleName} />
              <input type="hidden" name="permissionsBoundary" value={p.arn} />
              <Button type="submit" variant="secondary" disabled={set.pending} aria-label={`Set ${p.policyName} as boundary`}>
                Set as boundary
              </Button>
            </form>
          )}
        />
      ) : (
        <div>
          <Button variant="secondary" onClick={() => setChanging(true)}>
            {boundaryArn ? "Change boundary" : "Set permissions boundary"}
          </Button>
        </div>
      )}
    </section>
  );
}

export function InstanceProfiles({ roleName, profiles }: { roleName: string; profiles: { name: string; arn: string }[] }) {
  const create = useActionForm(async () => createInstanceProfileForRoleAction({ roleName }));
  const remove = useActionForm(removeRoleFromInstanceProfileAction);
  return (
    <section aria-labelledby="profiles-title" className="flex flex-col gap-3">
      <h2 id="profiles-title" className="text-lg font-semibold">
        Instance profiles ({profiles.length})
      </h2>
      <p className="text-neutral-600 dark:text-neutral-300">An EC2 instance receives a role through an instance profile, which holds exactly one role.</p>
      <ResultBanner result={create.result} success={`Instance profile ${roleName} created with this role.`} />
      <ResultBanner result={remove.result} success="Role removed from the instance profile." />
      {profiles.length === 0 ? (
        <form onSubmit={create.onSubmit}>
          <Button type="submit" disabled={create.pending}>
            Create instance profile {roleName}
          </Button>
        </form>
      ) : (
        <ul className="flex flex-col gap-1">
          {profiles.map((p) => (
            <li key={p.arn} className="flex flex-wrap items-center gap-3">
              <span className="font-mono">{p.arn}</span>
              <form onSubmit={remove.onSubmit}>
                <input type="hidden" name="roleName" value={roleName} />
                <input type="hidden" name="instanceProfileName" value={p.name} />
                <Button type="submit" variant="secondary" disabled={remove.pending} aria-label={`Remove role from ${p.name}`}>
                  Remove role from profile
                </Button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
