import { AccessAdvisorTab, ADVISOR_TAB, advisorDays } from "@/components/iam/access-advisor";
import { AttachedPolicies } from "@/components/iam/attached-policies";
import { InlinePolicies } from "@/components/iam/inline-policies";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { Tabs } from "@/components/ui/tabs";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { INLINE_AGGREGATE_LIMITS } from "@/lib/iam/policy/validate";
import { getGroupPolicy, MANAGED_POLICIES_PER_ENTITY } from "@/lib/iam/services/attachments";
import { getGroup } from "@/lib/iam/services/groups";
import { formatDate, groupHref, plural } from "@/components/ui/format";
import { attachGroupPolicyAction, deleteGroupPolicyAction, detachGroupPolicyAction, putGroupPolicyAction } from "../actions";
import { GroupActions } from "./group-actions";
import { GroupMembers } from "./group-members";

const TABS = [
  { id: "users", label: "Users" },
  { id: "permissions", label: "Permissions" },
  ADVISOR_TAB,
];

const FLASH: Record<string, (name: string) => string> = {
  created: (name) => `User group ${name} created.`,
  renamed: (name) => `User group renamed to ${name}.`,
};

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `User group ${decodeURIComponent((await params).name)}` };
}

export default async function GroupPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { principal } = await requireConsole();
  const name = decodeURIComponent((await params).name);
  const sp = await searchParams;
  const tab = sp.tab === "permissions" || sp.tab === ADVISOR_TAB.id ? sp.tab : "users";
  const crumbs = [{ label: "IAM", href: "/iam" }, { label: "User groups", href: "/iam/groups" }, { label: name }];
  const loaded = await loadAs(principal, getGroup(principal, { groupName: name }));
  if (!loaded.ok)
    return (
      <>
        <PageHeader crumbs={crumbs} title={name} />
        <ErrorPanel result={loaded} />
      </>
    );
  const { group, users, attachedPolicies, inlinePolicyNames } = loaded.data;
  const flash = typeof sp.flash === "string" ? FLASH[sp.flash] : undefined;

  return (
    <>
      <PageHeader crumbs={crumbs} title={group.groupName} actions={<GroupActions groupName={group.groupName} memberCount={users.length} policyCount={attachedPolicies.length + inlinePolicyNames.length} />}>
        {flash && <Banner kind="success">{flash(group.groupName)}</Banner>}
      </PageHeader>
      <SummaryPanel
        arn={group.arn}
        items={[
          { label: "User group name", value: group.groupName },
          { label: "Path", value: <span className="font-mono">{group.path}</span> },
          { label: "Created", value: formatDate(group.createDate) },
          { label: "Group ID", value: <span className="font-mono">{group.groupId}</span> },
          { label: "Users", value: plural(users.length, "user") },
          { label: "Permissions", value: `${plural(attachedPolicies.length, "managed policy", "managed policies")}, ${inlinePolicyNames.length} inline` },
        ]}
      />
      <Tabs tabs={TABS.map((t) => ({ ...t, label: t.id === "users" ? `Users (${users.length})` : t.label }))} current={tab} base={groupHref(group.groupName)} />
      {tab === ADVISOR_TAB.id ? (
        <AccessAdvisorTab principal={principal} entity={{ kind: "group", name: group.groupName }} days={advisorDays(sp.days)} base={groupHref(group.groupName)} />
      ) : tab === "users" ? (
        <GroupMembers groupName={group.groupName} members={users.map((u) => ({ userName: u.userName, createDate: formatDate(u.createDate) }))} />
      ) : (
        <div className="flex flex-col gap-8">
          <AttachedPolicies
            holderField="groupName"
            holderName={group.groupName}
            attached={attachedPolicies}
            attach={attachGroupPolicyAction}
            detach={detachGroupPolicyAction}
            limit={MANAGED_POLICIES_PER_ENTITY}
          />
          <InlineTab principal={principal} groupName={group.groupName} names={inlinePolicyNames} />
        </div>
      )}
    </>
  );
}

async function InlineTab({ principal, groupName, names }: { principal: Awaited<ReturnType<typeof requireConsole>>["principal"]; groupName: string; names: string[] }) {
  const loaded = await Promise.all(names.map((policyName) => loadAs(principal, getGroupPolicy(principal, { groupName, policyName }))));
  const refused = loaded.find((r) => !r.ok);
  if (refused && !refused.ok) return <ErrorPanel result={refused} />;
  const policies = loaded.flatMap((r) => (r.ok ? [{ policyName: r.data.policyName, policyDocument: r.data.policyDocument }] : []));
  return (
    <InlinePolicies
      holderField="groupName"
      holderName={groupName}
      policies={policies}
      put={putGroupPolicyAction}
      remove={deleteGroupPolicyAction}
      aggregateLimit={INLINE_AGGREGATE_LIMITS.group}
    />
  );
}
