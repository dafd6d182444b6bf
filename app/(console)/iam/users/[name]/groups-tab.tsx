import Link from "next/link";
import { ActionButton } from "@/components/ui/flash";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import type { Principal } from "@/lib/iam/principal";
import { listGroups } from "@/lib/iam/services/groups";
import { groupRows } from "../../groups/group-rows";
import type { UserDetail } from "@/lib/iam/services/users";
import { addToGroupAction, removeFromGroupAction } from "./actions";
import { Section } from "./section";

/** Groups: the user's groups (remove), and the account's other groups (add). */
export async function GroupsTab({ principal, d }: { principal: Principal; d: UserDetail }) {
  const userName = d.user.userName;
  const all = await loadAs(principal, listGroups(principal, { pageSize: 100 }));
  const member = new Set(d.groups.map((g) => g.groupName));
  const joinable = all.ok ? groupRows(all.data).filter((g) => !member.has(g.groupName)) : [];
  return (
    <>
      <Section id="member-title" title={`Groups (${d.groups.length} of 10)`}>
        {d.groups.length === 0 ? (
          <EmptyState title="The user is in no group.">Add it to a group to give it that group&apos;s permissions.</EmptyState>
        ) : (
          <ul className="flex flex-col gap-1">
            {d.groups.map((g) => (
              <li key={g.groupName} className="flex items-center gap-2">
                <Link href={`/iam/groups/${encodeURIComponent(g.groupName)}`} className="text-accent hover:underline">
                  {g.groupName}
                </Link>
                <ActionButton
                  action={removeFromGroupAction}
                  values={{ userName, groupName: g.groupName }}
                  label="Remove"
                  ariaLabel={`Remove from ${g.groupName}`}
                  success={`Removed from group ${g.groupName}.`}
                />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="add-group-title" title="Add to groups">
        {!all.ok ? (
          <ErrorPanel result={all} />
        ) : joinable.length === 0 ? (
          <p className="text-sm text-neutral-500">No other group to join.</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {joinable.map((g) => (
              <li key={g.groupName} className="flex items-center gap-2">
                <span>{g.groupName}</span>
                <span className="text-xs text-neutral-500">({g.attachedPolicyCount} attached)</span>
                <ActionButton
                  action={addToGroupAction}
                  values={{ userName, groupName: g.groupName }}
                  label="Add"
                  ariaLabel={`Add to ${g.groupName}`}
                  success={`Added to group ${g.groupName}.`}
                />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
