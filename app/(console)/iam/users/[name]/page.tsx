import Link from "next/link";
import { AccessKeysPanel } from "@/components/iam/users/access-keys-panel";
import { ActionButton, ConfirmActionButton, FlashProvider } from "@/components/ui/flash";
import { formatDate } from "@/components/ui/format";
import { MfaPanel } from "@/components/iam/users/mfa-panel";
import { passwordRules } from "@/components/iam/users/password-policy-rules";
import { TAG_RULES } from "@/components/iam/form-input";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { Tabs } from "@/components/ui/tabs";
import { loadAs, validationFailure } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import type { Principal } from "@/lib/iam/principal";
import { getUserPolicy } from "@/lib/iam/services/attachments";
import { listGroups } from "@/lib/iam/services/groups";
import { DEFAULT_PASSWORD_POLICY, getEffectivePasswordPolicy } from "@/lib/iam/services/passwords";
import { getUser, type UserDetail } from "@/lib/iam/services/users";
import { UserNameInput } from "@/lib/iam/validation";
import {
  addToGroupAction,
  deleteBoundaryAction,
  deleteInlinePolicyAction,
  detachPolicyAction,
  removeFromGroupAction,
  untagUserAction,
} from "./actions";
import {
  AddTagsForm,
  AttachPolicies,
  BoundaryForm,
  DeleteUserButton,
  DisableConsoleAccessButton,
  InlinePolicyForm,
  PasswordForm,
  RequireResetButton,
} from "./user-forms";
import { SignOutEverywhereButton } from "./sign-out-everywhere";

export const metadata = { title: "User" };

const TABS = [
  { id: "permissions", label: "Permissions" },
  { id: "groups", label: "Groups" },
  { id: "tags", label: "Tags" },
  { id: "credentials", label: "Security credentials" },
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
          { label: "MFA", value: d.credentials.mfaDevices.length ? `${d.credentials.mfaDevices.length} device(s)` : "Not enabled" },
        ]}
      />
      <Tabs tabs={TABS} current={tab} base={base} />
      {tab === "permissions" && <PermissionsTab principal={principal} d={d} editing={typeof sp.inline === "string" ? sp.inline : undefined} base={base} />}
      {tab === "groups" && <GroupsTab principal={principal} d={d} />}
      {tab === "tags" && <TagsTab d={d} />}
      {tab === "credentials" && <CredentialsTab principal={principal} d={d} />}
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

function Section({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="mb-6 flex flex-col gap-2">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
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

async function PermissionsTab({ principal, d, editing, base }: { principal: Principal; d: UserDetail; editing?: string; base: string }) {
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

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

async function GroupsTab({ principal, d }: { principal: Principal; d: UserDetail }) {
  const userName = d.user.userName;
  const all = await loadAs(principal, listGroups(principal, { pageSize: 100 }));
  const member = new Set(d.groups.map((g) => g.groupName));
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
        ) : all.data.items.filter((g) => !member.has(g.groupName)).length === 0 ? (
          <p className="text-sm text-neutral-500">No other group to join.</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {all.data.items
              .filter((g) => !member.has(g.groupName))
              .map((g) => (
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

function TagsTab({ d }: { d: UserDetail }) {
  const userName = d.user.userName;
  return (
    <>
      <Section id="tags-title" title={`Tags (${d.tags.length} of ${TAG_RULES.count})`}>
        {d.tags.length === 0 ? (
          <EmptyState title="No tags." />
        ) : (
          <table className="w-full border-collapse text-left text-sm">
            <thead>
              <tr className="border-b border-neutral-200 dark:border-neutral-800">
                <th scope="col" className="px-2 py-1.5">Key</th>
                <th scope="col" className="px-2 py-1.5">Value</th>
                <th scope="col" className="px-2 py-1.5">Actions</th>
              </tr>
            </thead>
            <tbody>
              {d.tags.map((t) => (
                <tr key={t.key} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="px-2 py-1.5">{t.key}</td>
                  <td className="px-2 py-1.5">{t.value}</td>
                  <td className="px-2 py-1.5">
                    <ActionButton action={untagUserAction} values={{ userName, tagKeys: t.key }} label="Remove" ariaLabel={`Remove tag ${t.key}`} success={`Tag ${t.key} removed.`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section id="add-tags-title" title="Add or change tags">
        <p className="text-sm text-neutral-500">A key that already exists (ignoring case) gets the new value.</p>
        <AddTagsForm userName={userName} room={TAG_RULES.count - d.tags.length} />
      </Section>
    </>
  );
}

async function CredentialsTab({ principal, d }: { principal: Principal; d: UserDetail }) {
  const userName = d.user.userName;
  const profile = d.credentials.loginProfile;
  const policy = await loadAs(principal, getEffectivePasswordPolicy(principal));
  const rules = passwordRules(policy.ok ? policy.data : DEFAULT_PASSWORD_POLICY);
  return (
    <div className="flex flex-col gap-8">
      <Section id="console-title" title="Console sign-in">
        {profile ? (
          <>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-neutral-500">Console password</dt>
              <dd>Enabled{profile.passwordResetRequired ? " (a new password is required at next sign-in)" : ""}</dd>
              <dt className="text-neutral-500">Last changed</dt>
              <dd>{formatDate(profile.passwordLastChanged, "Never")}</dd>
              <dt className="text-neutral-500">Last used</dt>
              <dd>{formatDate(profile.passwordLastUsed, "Never")}</dd>
            </dl>
            <div className="flex flex-wrap gap-2">
              <RequireResetButton userName={userName} required={profile.passwordResetRequired} />
              <DisableConsoleAccessButton userName={userName} />
              <SignOutEverywhereButton userName={userName} />
            </div>
            <details className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
              <summary className="cursor-pointer font-medium">Reset password</summary>
              <div className="mt-2">
                <PasswordForm userName={userName} mode="reset" rules={rules} />
              </div>
            </details>
          </>
        ) : (
          <>
            <p className="text-sm">Console access is disabled: the user has no console password.</p>
            <PasswordForm userName={userName} mode="enable" rules={rules} />
          </>
        )}
      </Section>
      <AccessKeysPanel userName={userName} keys={d.credentials.accessKeys} owner={userName} />
      <MfaPanel userName={userName} devices={d.credentials.mfaDevices} defaultDeviceName={userName} />
    </div>
  );
}
