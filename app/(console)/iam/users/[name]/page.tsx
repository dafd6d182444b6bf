import { AccessAdvisorTab, ADVISOR_TAB, advisorDays } from "@/components/iam/access-advisor";
import { GENERATE_POLICY_TAB, generationJob, PolicyGenerationTab } from "@/components/iam/policy-generation";
import { FlashProvider } from "@/components/ui/flash";
import { formatDate, plural } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { Tabs } from "@/components/ui/tabs";
import { loadAs, validationFailure } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { getUser, type UserDetail } from "@/lib/iam/services/users";
import { UserNameInput } from "@/lib/iam/validation";
import { CredentialsTab } from "./credentials-tab";
import { GroupsTab } from "./groups-tab";
import { PermissionsTab } from "./permissions-tab";
import { TagsTab } from "./tags-tab";
import { DeleteUserButton } from "./user-forms";

export const metadata = { title: "User" };

const TABS = [
  { id: "permissions", label: "Permissions" },
  { id: "groups", label: "Groups" },
  { id: "tags", label: "Tags" },
  { id: "credentials", label: "Security credentials" },
  ADVISOR_TAB,
  GENERATE_POLICY_TAB,
];

type SearchParams = Record<string, string | string[] | undefined>;

export default async function UserPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<SearchParams> }) {
  const { principal } = await requireConsole();
  const raw = (await params).name;
  const sp = await searchParams;
  const name = safeDecode(raw);
  const tab = TABS.some((t) => t.id === sp.tab) ? (sp.tab as string) : "permissions";
  const input = UserNameInput.safeParse({ userName: name });
  const detail = input.success ? await loadAs(principal, getUser(principal, input.data)) : validationFailure(input.error);
  const crumbs = [{ label: "IAM", href: "/iam" }, { label: "Users", href: "/iam/users" }, { label: name }];

  if (!detail.ok) {
    return (
      <>
        <PageHeader crumbs={crumbs} title={name} />
        <ErrorPanel result={detail} />
      </>
    );
  }
  const d = detail.data;
  const base = `/iam/users/${encodeURIComponent(d.user.userName)}`;
  return (
    <FlashProvider>
      <PageHeader crumbs={crumbs} title={d.user.userName} actions={<DeleteUserButton userName={d.user.userName} />} />
      <SummaryPanel
        arn={d.user.arn}
        items={[
          { label: "Created", value: formatDate(d.user.createDate) },
          { label: "Last activity", value: formatDate(lastActivity(d), "Never") },
          {
            label: "Console access",
            value: d.credentials.loginProfile ? (d.credentials.loginProfile.passwordResetRequired ? "Enabled (new password required)" : "Enabled") : "Disabled",
          },
          { label: "User ID", value: <span className="font-mono">{d.user.userId}</span> },
          { label: "Path", value: <span className="font-mono">{d.user.path}</span> },
          { label: "MFA", value: d.credentials.mfaDevices.length ? plural(d.credentials.mfaDevices.length, "device") : "Not enabled" },
        ]}
      />
      <Tabs tabs={TABS} current={tab} base={base} />
      {tab === "permissions" && <PermissionsTab principal={principal} d={d} editing={typeof sp.inline === "string" ? sp.inline : undefined} base={base} />}
      {tab === "groups" && <GroupsTab principal={principal} d={d} />}
      {tab === "tags" && <TagsTab d={d} />}
      {tab === "credentials" && <CredentialsTab principal={principal} d={d} />}
      {tab === ADVISOR_TAB.id && <AccessAdvisorTab principal={principal} entity={{ kind: "user", name: d.user.userName }} days={advisorDays(sp.days)} base={base} />}
      {tab === GENERATE_POLICY_TAB.id && <PolicyGenerationTab principal={principal} entity={{ kind: "user", arn: d.user.arn }} jobId={generationJob(sp.job)} base={base} />}
    </FlashProvider>
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The latest of console sign-in and access key use. */
function lastActivity(d: UserDetail): Date | null {
  const times = [d.user.passwordLastUsed, ...d.credentials.accessKeys.map((k) => k.lastUsedDate)].filter((t): t is Date => Boolean(t));
  return times.length ? new Date(Math.max(...times.map((t) => new Date(t).getTime()))) : null;
}
