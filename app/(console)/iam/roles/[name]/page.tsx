import { attachRolePolicyAction, deleteRolePolicyAction, detachRolePolicyAction, putRolePolicyAction, tagRoleAction, untagRoleAction } from "@/app/(console)/iam/roles/actions";
import { AccessAdvisorTab, ADVISOR_TAB, advisorDays } from "@/components/iam/access-advisor";
import { GENERATE_POLICY_TAB, generationJob, PolicyGenerationTab } from "@/components/iam/policy-generation";
import { AttachedPolicies } from "@/components/iam/attached-policies";
import { InlinePolicies } from "@/components/iam/inline-policies";
import { TagsEditor } from "@/components/iam/tags-editor";
import { formatDate, formatHours, lastActivity } from "@/components/ui/format";
import { BoundaryPanel, DeleteRole, EditRole, InstanceProfiles, RevokeSessions, TrustPolicyForm } from "./role-forms";
import { trustedEntities, trustsEc2 } from "@/lib/iam/roles/trusted-entities";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { Tabs } from "@/components/ui/tabs";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleOrigin } from "@/lib/auth/request-info";
import { listInstanceProfilesForRole } from "@/lib/iam/roles/instance-profiles";
import { getRole } from "@/lib/iam/roles/roles";
import { REVOKE_SESSIONS_POLICY_NAME } from "@/lib/iam/roles/validation";
import { getRolePolicy, listAttachedRolePolicies, listRolePolicies } from "@/lib/iam/services/attachments";

export const metadata = { title: "Role" };

/** AWS's aggregate limit for a role's inline policies (characters without whitespace). */
const ROLE_INLINE_LIMIT = 10_240;

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { principal } = await requireConsole();
  const roleName = decodeURIComponent((await params).name);
  const sp = await searchParams;
  const crumbs = [{ label: "IAM", href: "/iam" }, { label: "Roles", href: "/iam/roles" }, { label: roleName }];

  const role = await loadAs(principal, getRole(principal, { roleName }));
  if (!role.ok)
    return (
      <>
        <PageHeader crumbs={crumbs} title={roleName} />
        <ErrorPanel result={role} />
      </>
    );
  const r = role.data;
  const [attached, inlineNames, profiles] = await Promise.all([
    loadAs(principal, listAttachedRolePolicies(principal, { roleName })),
    loadAs(principal, listRolePolicies(principal, { roleName })),
    loadAs(principal, listInstanceProfilesForRole(principal, { roleName })),
  ]);
  const inline = inlineNames.ok ? await Promise.all(inlineNames.data.policyNames.map((policyName) => loadAs(principal, getRolePolicy(principal, { roleName, policyName })))) : [];
  const inlinePolicies = inline.flatMap((p) => (p.ok ? [{ policyName: p.data.policyName, policyDocument: p.data.policyDocument }] : []));
  const profileList = profiles.ok ? profiles.data.InstanceProfiles.map((p) => ({ name: p.InstanceProfileName, arn: p.Arn })) : [];
  const showProfiles = trustsEc2(r.AssumeRolePolicyDocument) || profileList.length > 0;

  const tabs = [
    { id: "permissions", label: "Permissions" },
    { id: "trust", label: "Trust relationships" },
    { id: "tags", label: "Tags" },
    { id: "sessions", label: "Sessions" },
    ...(showProfiles ? [{ id: "instance-profiles", label: "Instance profiles" }] : []),
    ADVISOR_TAB,
    GENERATE_POLICY_TAB,
  ];
  const tab = tabs.some((t) => t.id === sp.tab) ? (sp.tab as string) : "permissions";
  const base = `/iam/roles/${encodeURIComponent(r.RoleName)}`;
  // The full address, as AWS gives it: the link is for pasting into a message or a bookmark.
  const switchLink = `${await consoleOrigin()}/switchrole?${new URLSearchParams({ account: principal.accountId, roleName: r.Path === "/" ? r.RoleName : `${r.Path.slice(1)}${r.RoleName}`, displayName: r.RoleName })}`;

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={r.RoleName}
        actions={<DeleteRole roleName={r.RoleName} attached={attached.ok ? attached.data.attachedPolicies.length : 0} inline={inlinePolicies.length} profiles={profileList.length} />}
      >
        {r.Description && <p className="text-neutral-600 dark:text-neutral-300">{r.Description}</p>}
      </PageHeader>
      {sp.created && <Banner kind="success">Role {r.RoleName} created.</Banner>}
      <SummaryPanel
        arn={r.Arn}
        items={[
          { label: "Created", value: formatDate(r.CreateDate) },
          { label: "Last activity", value: lastActivity(r.RoleLastUsed?.LastUsedDate) + (r.RoleLastUsed?.Region ? ` (${r.RoleLastUsed.Region})` : "") },
          { label: "Maximum session duration", value: formatHours(r.MaxSessionDuration) },
          { label: "Role ID", value: <span className="font-mono">{r.RoleId}</span> },
          { label: "Path", value: <span className="font-mono">{r.Path}</span> },
          { label: "Trusted entities", value: trustedEntities(r.AssumeRolePolicyDocument, principal.accountId).join(", ") || "-" },
          {
            label: "Link to switch roles in console",
            value: (
              <a href={switchLink} className="break-all text-accent hover:underline" data-testid="switch-role-link">
                {switchLink}
              </a>
            ),
          },
        ]}
      />
      <EditRole roleName={r.RoleName} description={r.Description ?? ""} maxSessionDuration={r.MaxSessionDuration} />
      <Tabs tabs={tabs} current={tab} base={base} />

      {tab === "permissions" && (
        <div className="flex flex-col gap-8">
          {attached.ok ? (
            <AttachedPolicies holderField="roleName" holderName={r.RoleName} attached={attached.data.attachedPolicies} attach={attachRolePolicyAction} detach={detachRolePolicyAction} />
          ) : (
            <ErrorPanel result={attached} />
          )}
          {inlineNames.ok ? (
            <InlinePolicies holderField="roleName" holderName={r.RoleName} policies={inlinePolicies} put={putRolePolicyAction} remove={deleteRolePolicyAction} aggregateLimit={ROLE_INLINE_LIMIT} />
          ) : (
            <ErrorPanel result={inlineNames} />
          )}
          <BoundaryPanel roleName={r.RoleName} boundaryArn={r.PermissionsBoundary?.PermissionsBoundaryArn} />
        </div>
      )}
      {tab === "trust" && (
        <section aria-labelledby="trust-title" className="flex flex-col gap-3">
          <h2 id="trust-title" className="text-lg font-semibold">
            Trust policy
          </h2>
          <p className="text-neutral-600 dark:text-neutral-300">Who may assume this role. Their own policies must also allow sts:AssumeRole on it (for principals in other accounts).</p>
          <TrustPolicyForm roleName={r.RoleName} document={r.AssumeRolePolicyDocument} />
        </section>
      )}
      {tab === "tags" && <TagsEditor holderField="roleName" holderValue={r.RoleName} tags={r.Tags ?? []} tagAction={tagRoleAction} untagAction={untagRoleAction} />}
      {tab === "sessions" && (
        <section aria-labelledby="sessions-title" className="flex flex-col gap-3">
          <h2 id="sessions-title" className="text-lg font-semibold">
            Revoke active sessions
          </h2>
          <p className="max-w-2xl text-neutral-600 dark:text-neutral-300">
            Temporary credentials of a role cannot be recalled one by one. To cut off everyone using this role now, deny all sessions issued before this moment; new
            sessions are not affected.
          </p>
          {inlinePolicies.some((p) => p.policyName === REVOKE_SESSIONS_POLICY_NAME) && (
            <Banner kind="info">Sessions were revoked before: {REVOKE_SESSIONS_POLICY_NAME} is attached. Revoking again moves its cut-off to now.</Banner>
          )}
          <RevokeSessions roleName={r.RoleName} />
        </section>
      )}
      {tab === "instance-profiles" && <InstanceProfiles roleName={r.RoleName} profiles={profileList} />}
      {tab === ADVISOR_TAB.id && <AccessAdvisorTab principal={principal} entity={{ kind: "role", name: r.RoleName }} days={advisorDays(sp.days)} base={base} />}
      {tab === GENERATE_POLICY_TAB.id && <PolicyGenerationTab principal={principal} entity={{ kind: "role", arn: r.Arn }} jobId={generationJob(sp.job)} base={base} />}
    </>
  );
}
