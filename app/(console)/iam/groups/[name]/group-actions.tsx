"use client";
// The group's header actions: rename (UpdateGroup) and delete. The console's
// delete removes the members and the policies first, as AWS's console does.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { groupHref, plural } from "@/components/ui/format";
import { useActionForm } from "@/components/ui/use-action-form";
import { deleteGroupAction, updateGroupAction } from "../actions";

export function GroupActions({ groupName, memberCount, policyCount }: { groupName: string; memberCount: number; policyCount: number }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const rename = useActionForm(updateGroupAction, {
    refresh: false,
    onSuccess: (group) => router.push(`${groupHref(group.groupName)}?flash=renamed`),
  });
  const remove = useActionForm(deleteGroupAction, {
    refresh: false,
    onSuccess: () => router.push(`/iam/groups?deleted=${encodeURIComponent(groupName)}`),
  });
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => setRenaming(!renaming)} aria-expanded={renaming}>
          Rename
        </Button>
        <ConfirmDialog
          trigger="Delete group"
          title={`Delete user group ${groupName}?`}
          confirmText={groupName}
          pending={remove.pending}
          onConfirm={async () => {
            const form = new FormData();
            form.set("groupName", groupName);
            await remove.submit(form);
          }}
        >
          <p>
            The console first removes {plural(memberCount, "user")} from the group and detaches or deletes {plural(policyCount, "policy", "policies")}; those users lose the
            permissions the group gave them. Then the group is deleted. This cannot be undone.
          </p>
        </ConfirmDialog>
      </div>
      <ResultBanner result={remove.result && !remove.result.ok ? remove.result : null} />
      {renaming && (
        <form onSubmit={rename.onSubmit} aria-label="Rename group" className="flex flex-col gap-2 rounded border border-neutral-300 p-3 dark:border-neutral-700">
          <ResultBanner result={rename.result && !rename.result.ok ? rename.result : null} />
          <input type="hidden" name="groupName" value={groupName} />
          <Field label="New group name" name="newGroupName" defaultValue={groupName} rule="Up to 128 characters: letters, digits and +=,.@_-" maxLength={128} required errors={rename.errorsFor("newGroupName")} />
          <div className="flex gap-2">
            <Button type="submit" disabled={rename.pending}>
              {rename.pending ? "Saving…" : "Save name"}
            </Button>
            <Button variant="secondary" onClick={() => setRenaming(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
