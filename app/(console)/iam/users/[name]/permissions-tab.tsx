import Link from "next/link";
import { ActionButton, ConfirmActionButton } from "@/components/ui/flash";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import type { Principal } from "@/lib/iam/principal";
import { getUserPolicy } from "@/lib/iam/services/attachments";
import type { UserDetail } from "@/lib/iam/services/users";
import { deleteBoundaryAction, deleteInlinePolicyAction, detachPolicyAction } from "./actions";
import { Section } from "./section";
import { AttachPolicies, BoundaryForm, InlinePolicyForm } from "./user-forms";

/** Permissions: policies attached directly, inherited from groups, inline, and the boundary. */
export async function PermissionsTab({ principal, d, editing, base }: { principal: Principal; d: UserDetail; editing?: string; base: string }) {
  const userName = d.user.userName;
  const { attached, fromGroups, inlinePolicyNames, boundary } = d.permissions;
  const edited = editing && inlinePolicyNames.includes(editing) ? await loadAs(principal, getUserPolicy(principal, { userName, policyName: editing })) : null;
  return (
    <>
      <Section id="attached-title" title={`Attached directly (${attached.length} of 10)`}>
        {attached.length === 0 ? (
          <EmptyState title="No policies attached directly." />
        ) : (
          <PolicyList
            items={attached}
            actions={(p) => (
              <ActionButton
                action={detachPolicyAction}
                values={{ userName, policyArn: p.policyArn }}
                label="Detach"
                ariaLabel={`Detach ${p.policyName}`}
                success={`Policy ${p.policyName} detached.`}
              />
            )}
          />
        )}
        <details className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
          <summary className="cursor-pointer font-medium">Attach policies</summary>
          <div className="mt-2">
            <AttachPolicies userName={userName} attached={attached.map((p) => p.policyArn)} />
          </div>
        </details>
      </Section>

      <Section id="groups-perm-title" title="Inherited from groups">
        {fromGroups.length === 0 ? (
          <EmptyState title="The user is in no group." />
        ) : (
          fromGroups.map((g) => (
            <div key={g.groupName} className="mb-2">
              <h3 className="font-medium">
                Group{" "}
                <Link href={`/iam/groups/${encodeURIComponent(g.groupName)}`} className="text-accent hover:underline">
                  {g.groupName}
                </Link>
              </h3>
              {g.attached.length === 0 && g.inlinePolicyNames.length === 0 ? (
                <p className="text-sm text-neutral-500">No policies.</p>
              ) : (
                <PolicyList items={[...g.attached, ...g.inlinePolicyNames.map((n) => ({ policyName: `${n} (inline)`, policyArn: `inline:${n}`, awsManaged: false }))]} />
              )}
            </div>
          ))
        )}
      </Section>

      <Section id="inline-title" title="Inline policies">
        {inlinePolicyNames.length === 0 ? (
          <p className="text-sm text-neutral-500">No inline policies.</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {inlinePolicyNames.map((n) => (
              <li key={n} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{n}</span>
                <Link href={`${base}?tab=permissions&inline=${encodeURIComponent(n)}`} className="text-sm text-accent underline">
                  Edit
                </Link>
                <ConfirmActionButton
                  action={deleteInlinePolicyAction}
                  values={{ userName, policyName: n }}
                  trigger={`Delete ${n}`}
                  title={`Delete inline policy ${n}?`}
                  confirmText={n}
                  success={`Inline policy ${n} deleted.`}
                >
                  <p>The permissions it grants to {userName} end immediately.</p>
                </ConfirmActionButton>
              </li>
            ))}
          </ul>
        )}
        {edited && !edited.ok && <ErrorPanel result={edited} />}
        {edited?.ok ? (
          <InlinePolicyForm key={editing} userName={userName} policyName={edited.data.policyName} document={prettyJson(edited.data.policyDocument)} />
        ) : (
          <details className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
            <summary className="cursor-pointer font-medium">Add inline policy</summary>
            <div className="mt-2">
              <InlinePolicyForm userName={userName} />
            </div>
          </details>
        )}
      </Section>

      <Section id="boundary-title" title="Permissions boundary">
        {boundary ? (
          <div className="flex flex-wrap items-center gap-2">
            <span>
              <span className="font-medium">{boundary.policyName}</span> <span className="font-mono text-xs">{boundary.policyArn}</span>
            </span>
            <ActionButton action={deleteBoundaryAction} values={{ userName }} label="Remove boundary" success="Permissions boundary removed." />
          </div>
        ) : (
          <>
            <p className="text-sm text-neutral-500">No boundary: the user&apos;s policies alone decide.</p>
            <BoundaryForm userName={userName} />
          </>
        )}
      </Section>
    </>
  );
}

function PolicyList({ items, actions }: { items: { policyName: string; policyArn: string; awsManaged: boolean }[]; actions?: (p: { policyName: string; policyArn: string }) => React.ReactNode }) {
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead>
        <tr className="border-b border-neutral-200 dark:border-neutral-800">
          <th scope="col" className="px-2 py-1.5">Policy name</th>
          <th scope="col" className="px-2 py-1.5">Type</th>
          {actions && <th scope="col" className="px-2 py-1.5">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.policyArn} className="border-b border-neutral-100 dark:border-neutral-900">
            <td className="px-2 py-1.5" title={p.policyArn}>
              {p.policyName}
            </td>
            <td className="px-2 py-1.5">{p.awsManaged ? "AWS managed" : "Customer managed"}</td>
            {actions && <td className="px-2 py-1.5">{actions(p)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
