// The console's rows for a ListGroups answer: each group's AWS members with the
// list's console-only counts (members, attached and inline policies) beside them.
import type { GroupRow, ListGroupsResult } from "@/lib/iam/services/groups";

export function groupRows({ Groups, console }: ListGroupsResult): GroupRow[] {
  return Groups.map((g) => ({
    groupName: g.GroupName,
    groupId: g.GroupId,
    path: g.Path,
    arn: g.Arn,
    createDate: g.CreateDate,
    ...(console.counts[g.GroupId] ?? { memberCount: 0, attachedPolicyCount: 0, inlinePolicyCount: 0 }),
  }));
}
