import Link from "next/link";
import { AccessAdvisorTab, ADVISOR_TAB, advisorDays } from "@/components/iam/access-advisor";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { PolicySummaryView } from "@/components/iam/policy-summary";
import { TagsEditor } from "@/components/iam/tags-editor";
import { VersionDiff } from "./version-diff";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { Tabs } from "@/components/ui/tabs";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import type { Principal } from "@/lib/iam/principal";
import { summarizePolicy } from "@/lib/iam/policy";
import { getPolicy, getPolicyVersion, listEntitiesForPolicy, listPolicyVersions, VERSIONS_PER_POLICY, type PolicyDetail, type PolicyVersionView } from "@/lib/iam/services/policies";
import { tagPolicyAction, untagPolicyAction } from "../../actions";
import { formatDate, plural, policyArnFromRoute, policyHref } from "@/components/ui/format";
import { EditPolicyForm } from "./edit-policy-form";
import { PolicyActions } from "./policy-actions";
import { PolicyEntities } from "./policy-entities";
import { VersionsTable } from "./versions-table";

type SearchParams = Record<string, string | string[] | undefined>;

const TABS = [
  { id: "permissions", label: "Permissions" },
  { id: "versions", label: "Policy versions" },
  { id: "diff", label: "Compare versions" },
  { id: "entities", label: "Entities attached" },
  { id: "tags", label: "Tags" },
  ADVISOR_TAB,
];

const VERSION_ID = /^v[1-9][0-9]{0,5}$/;
const one = (sp: SearchParams, key: string) => (typeof sp[key] === "string" ? (sp[key] as string) : undefined);

function flashMessage(sp: SearchParams, name: string): string | undefined {
  const v = one(sp, "v");
  switch (one(sp, "flash")) {
    case "created":
      return `Policy ${name} created.`;
    case "version":
      return v && VERSION_ID.test(v) ? `Version ${v} of ${name} created.` : undefined;
    default:
      return undefined;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  return { title: `Policy ${decodeURIComponent(path[path.length - 1] ?? "")}` };
}

export default async function PolicyPage({ params, searchParams }: { params: Promise<{ account: string; path: string[] }>; searchParams: Promise<SearchParams> }) {
  const { principal } = await requireConsole();
  const { account, path } = await params;
  const sp = await searchParams;
  const arn = policyArnFromRoute(account, path);
  const name = decodeURIComponent(path[path.length - 1] ?? "");
  const crumbs = [{ label: "IAM", href: "/iam" }, { label: "Policies", href: "/iam/policies" }, { label: name }];
  const loaded = await loadAs(principal, getPolicy(principal, { policyArn: arn }));
  if (!loaded.ok)
    return (
      <>
        <PageHeader crumbs={crumbs} title={name} />
        <ErrorPanel result={loaded} />
      </>
    );
  const policy = loaded.data;
  const own = !policy.awsManaged;
  const requested = one(sp, "tab") ?? "permissions";
  const tab = requested === "edit" && own ? "edit" : TABS.some((t) => t.id === requested) ? requested : "permissions";
  const flash = flashMessage(sp, policy.policyName);
  const base = policyHref(policy.arn);

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={policy.policyName}
        actions={own ? <PolicyActions policyArn={policy.arn} policyName={policy.policyName} editHref={`${base}?tab=edit`} /> : undefined}
      >
        {flash && <Banner kind="success">{flash}</Banner>}
      </PageHeader>
      <SummaryPanel
        arn={policy.arn}
        items={[
          { label: "Type", value: own ? "Customer managed" : "AWS managed" },
          { label: "Created", value: formatDate(policy.createDate) },
          { label: "Edited", value: formatDate(policy.updateDate) },
          { label: "Default version", value: <span className="font-mono">{policy.defaultVersionId}</span> },
          { label: "Attached to", value: `${plural(policy.attachmentCount, "entity", "entities")}${policy.permissionsBoundaryUsageCount ? `; boundary of ${policy.permissionsBoundaryUsageCount}` : ""}` },
          { label: "Description", value: policy.description || <span className="text-neutral-500">None</span> },
        ]}
      />
      <Tabs tabs={TABS} current={tab} base={base} />
      {tab === "permissions" && <PermissionsTab document={policy.document} versionId={policy.defaultVersionId} />}
      {tab === "versions" && <VersionsTab principal={principal} policy={policy} base={base} shown={one(sp, "version")} />}
      {tab === "diff" && <DiffTab principal={principal} policy={policy} base={base} left={one(sp, "left")} right={one(sp, "right")} />}
      {tab === "entities" && <EntitiesTab principal={principal} policy={policy} />}
      {tab === ADVISOR_TAB.id && <AccessAdvisorTab principal={principal} entity={{ kind: "policy", arn: policy.arn }} days={advisorDays(sp.days)} base={base} />}
      {tab === "tags" && (
        <TagsEditor holderField="policyArn" holderValue={policy.arn} tags={policy.tags} tagAction={tagPolicyAction} untagAction={untagPolicyAction} readOnly={!own} />
      )}
      {tab === "edit" && <EditTab principal={principal} policy={policy} base={base} />}
    </>
  );
}

async function DocumentWithSummary({ document, label }: { document: string; label: string }) {
  const summary = await summarizePolicy(document);
  return (
    <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
      <PolicyEditor label={label} policyType="identity" defaultValue={document} readOnly height="auto" />
      <PolicySummaryView summary={summary} />
    </div>
  );
}

function PermissionsTab({ document, versionId }: { document: string; versionId: string }) {
  return <DocumentWithSummary document={document} label={`Policy document (default version ${versionId})`} />;
}

async function loadVersions(principal: Principal, policy: PolicyDetail) {
  return loadAs(principal, listPolicyVersions(principal, { policyArn: policy.arn }));
}

async function VersionsTab({ principal, policy, base, shown }: { principal: Principal; policy: PolicyDetail; base: string; shown?: string }) {
  const versions = await loadVersions(principal, policy);
  if (!versions.ok) return <ErrorPanel result={versions} />;
  const version = shown && VERSION_ID.test(shown) ? await loadAs(principal, getPolicyVersion(principal, { policyArn: policy.arn, versionId: shown })) : null;
  return (
    <div className="flex flex-col gap-4">
      <VersionsTable
        policyArn={policy.arn}
        base={base}
        editable={!policy.awsManaged}
        versions={versions.data.versions.map((v) => ({ versionId: v.versionId, isDefault: v.isDefaultVersion, created: formatDate(v.createDate) }))}
        limit={VERSIONS_PER_POLICY}
      />
      {version && !version.ok && <ErrorPanel result={version} />}
      {version?.ok && (
        <section aria-label={`Version ${version.data.versionId}`} className="flex flex-col gap-2">
          <h2 className="text-lg font-semibold">
            Version {version.data.versionId}
            {version.data.isDefaultVersion ? " (default)" : ""}
          </h2>
          <DocumentWithSummary document={version.data.document ?? ""} label={`Policy document, version ${version.data.versionId}`} />
        </section>
      )}
    </div>
  );
}

async function DiffTab({ principal, policy, base, left, right }: { principal: Principal; policy: PolicyDetail; base: string; left?: string; right?: string }) {
  const versions = await loadVersions(principal, policy);
  if (!versions.ok) return <ErrorPanel result={versions} />;
  const list: PolicyVersionView[] = versions.data.versions;
  if (list.length < 2) return <p className="text-neutral-600 dark:text-neutral-300">This policy has one version. Create another version to compare them.</p>;
  const ids = list.map((v) => v.versionId);
  const rightId = right && ids.includes(right) ? right : policy.defaultVersionId;
  const leftId = left && ids.includes(left) ? left : (ids.find((id) => id !== rightId) ?? ids[0]!);
  const [a, b] = await Promise.all(
    [leftId, rightId].map((versionId) => loadAs(principal, getPolicyVersion(principal, { policyArn: policy.arn, versionId }))),
  );
  const select = (name: string, label: string, value: string) => (
    <label className="flex items-center gap-2">
      {label}
      <select name={name} defaultValue={value} className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900">
        {list.map((v) => (
          <option key={v.versionId} value={v.versionId}>
            {v.versionId}
            {v.isDefaultVersion ? " (default)" : ""}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="flex flex-col gap-3">
      <form action={base} className="flex flex-wrap items-center gap-3" aria-label="Choose versions to compare">
        <input type="hidden" name="tab" value="diff" />
        {select("left", "Left version", leftId)}
        {select("right", "Right version", rightId)}
        <button type="submit" className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
          Compare
        </button>
      </form>
      {a && !a.ok && <ErrorPanel result={a} />}
      {b && !b.ok && <ErrorPanel result={b} />}
      {a?.ok && b?.ok && <VersionDiff leftLabel={`Version ${leftId}`} rightLabel={`Version ${rightId}`} left={a.data.document ?? ""} right={b.data.document ?? ""} />}
    </div>
  );
}

async function EntitiesTab({ principal, policy }: { principal: Principal; policy: PolicyDetail }) {
  const [attached, boundaries] = await Promise.all([
    loadAs(principal, listEntitiesForPolicy(principal, { policyArn: policy.arn, policyUsageFilter: "PermissionsPolicy" })),
    loadAs(principal, listEntitiesForPolicy(principal, { policyArn: policy.arn, policyUsageFilter: "PermissionsBoundary" })),
  ]);
  if (!attached.ok) return <ErrorPanel result={attached} />;
  if (!boundaries.ok) return <ErrorPanel result={boundaries} />;
  const entities = (e: typeof attached.data) => [
    ...e.policyUsers.map((u) => ({ kind: "user" as const, name: u.userName })),
    ...e.policyGroups.map((g) => ({ kind: "group" as const, name: g.groupName })),
    ...e.policyRoles.map((r) => ({ kind: "role" as const, name: r.roleName })),
  ];
  return (
    <PolicyEntities
      policyArn={policy.arn}
      policyName={policy.policyName}
      attached={entities(attached.data)}
      boundaries={entities(boundaries.data).flatMap((e) => (e.kind === "group" ? [] : [{ kind: e.kind, name: e.name }]))}
    />
  );
}

async function EditTab({ principal, policy, base }: { principal: Principal; policy: PolicyDetail; base: string }) {
  const versions = await loadVersions(principal, policy);
  if (!versions.ok) return <ErrorPanel result={versions} />;
  const oldestNonDefault = [...versions.data.versions].reverse().find((v) => !v.isDefaultVersion)?.versionId;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-neutral-600 dark:text-neutral-300">
        Saving creates a new version of {policy.policyName} ({versions.data.versions.length} of {VERSIONS_PER_POLICY} versions exist). See{" "}
        <Link href={`${base}?tab=versions`} className="text-accent underline">
          Policy versions
        </Link>
        .
      </p>
      <EditPolicyForm policyArn={policy.arn} base={base} document={policy.document} oldestNonDefault={oldestNonDefault} />
    </div>
  );
}
