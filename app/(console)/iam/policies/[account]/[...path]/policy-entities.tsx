"use client";
// Who a managed policy is attached to (users, groups, roles) and who uses it as
// a permissions boundary; attach it to another entity or detach it from here.
import Link from "next/link";
import { useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/panels";
import { attachPolicyToEntityAction, detachPolicyFromEntityAction, removePermissionsBoundaryAction } from "../../actions";
import { groupHref, roleHref, userHref } from "@/components/ui/format";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";

type Kind = "user" | "group" | "role";
const KIND_LABEL: Record<Kind, string> = { user: "User", group: "Group", role: "Role" };
const href = (kind: Kind, name: string) => (kind === "user" ? userHref(name) : kind === "group" ? groupHref(name) : roleHref(name));

export function PolicyEntities({
  policyArn,
  policyName,
  attached,
  boundaries,
}: {
  policyArn: string;
  policyName: string;
  attached: { kind: Kind; name: string }[];
  boundaries: { kind: "user" | "role"; name: string }[];
}) {
  const [done, setDone] = useState<string | null>(null);
  const run: FormAction = async (state, form) => {
    const op = form.get("op");
    const what = `${KIND_LABEL[form.get("kind") as Kind] ?? "Entity"} ${form.get("entityName") ?? form.get("userName") ?? form.get("roleName")}`;
    const r = await (op === "detach" ? detachPolicyFromEntityAction : op === "unbound" ? removePermissionsBoundaryAction : attachPolicyToEntityAction)(state, form);
    if (r.ok) setDone(op === "detach" ? `Detached ${policyName} from ${what}.` : op === "unbound" ? `Removed the permissions boundary of ${what}.` : `Attached ${policyName} to ${what}.`);
    return r;
  };
  const { result, pending, onSubmit, errorsFor } = useActionForm(run);
  return (
    <div className="flex flex-col gap-6">
      <ResultBanner result={result} success={done} />
      <section aria-labelledby="attached-title" className="flex flex-col gap-2">
        <h2 id="attached-title" className="text-lg font-semibold">
          Attached as a permissions policy ({attached.length})
        </h2>
        {attached.length === 0 ? (
          <EmptyState title="Not attached to any user, group or role" />
        ) : (
          <EntityTable
            caption="Entities with this policy attached"
            rows={attached}
            action={(e) => (
              <form onSubmit={onSubmit}>
                <input type="hidden" name="policyArn" value={policyArn} />
                <input type="hidden" name="kind" value={e.kind} />
                <input type="hidden" name="entityName" value={e.name} />
                <input type="hidden" name="op" value="detach" />
                <Button type="submit" variant="secondary" disabled={pending} aria-label={`Detach from ${e.name}`}>
                  Detach
                </Button>
              </form>
            )}
          />
        )}
        <form onSubmit={onSubmit} aria-label="Attach to an entity" className="flex flex-wrap items-end gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
          <input type="hidden" name="policyArn" value={policyArn} />
          <input type="hidden" name="op" value="attach" />
          <label className="flex flex-col gap-1">
            <span className="font-medium">Entity type</span>
            <select name="kind" defaultValue="user" className="rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900">
              <option value="user">User</option>
              <option value="group">Group</option>
              <option value="role">Role</option>
            </select>
          </label>
          <Field label="Entity name" name="entityName" rule="The user, group or role name in this account" required errors={errorsFor("userName", "groupName", "roleName")} />
          <Button type="submit" disabled={pending}>
            Attach
          </Button>
        </form>
      </section>
      <section aria-labelledby="boundary-title" className="flex flex-col gap-2">
        <h2 id="boundary-title" className="text-lg font-semibold">
          Used as a permissions boundary ({boundaries.length})
        </h2>
        {boundaries.length === 0 ? (
          <EmptyState title="No user or role uses this policy as its permissions boundary" />
        ) : (
          <EntityTable
            caption="Entities with this policy as their permissions boundary"
            rows={boundaries}
            action={(e) => (
              <form onSubmit={onSubmit}>
                <input type="hidden" name="kind" value={e.kind} />
                <input type="hidden" name={e.kind === "user" ? "userName" : "roleName"} value={e.name} />
                <input type="hidden" name="op" value="unbound" />
                <Button type="submit" variant="secondary" disabled={pending} aria-label={`Remove boundary from ${e.name}`}>
                  Remove boundary
                </Button>
              </form>
            )}
          />
        )}
      </section>
    </div>
  );
}

function EntityTable({ caption, rows, action }: { caption: string; rows: { kind: Kind; name: string }[]; action: (e: { kind: Kind; name: string }) => React.ReactNode }) {
  return (
    <table className="w-full max-w-2xl border-collapse text-left">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-neutral-200 dark:border-neutral-800">
          <th scope="col" className="px-2 py-1.5">Entity name</th>
          <th scope="col" className="px-2 py-1.5">Type</th>
          <th scope="col" className="px-2 py-1.5"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={`${e.kind}:${e.name}`} className="border-b border-neutral-100 dark:border-neutral-900">
            <td className="px-2 py-1.5">
              <Link href={href(e.kind, e.name)} className="text-accent hover:underline">
                {e.name}
              </Link>
            </td>
            <td className="px-2 py-1.5">{KIND_LABEL[e.kind]}</td>
            <td className="px-2 py-1.5 text-right">{action(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
