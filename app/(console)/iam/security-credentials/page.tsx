import { AccessKeysPanel } from "@/components/iam/users/access-keys-panel";
import { ChangePasswordForm } from "@/components/iam/users/change-password-form";
import { MfaPanel } from "@/components/iam/users/mfa-panel";
import { PasswordPolicyRules, passwordRules } from "@/components/iam/users/password-policy-rules";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { displayName } from "@/lib/iam/principal";
import { getAccessKeyLastUsed, listAccessKeys } from "@/lib/iam/services/access-keys";
import { listMfaDevices, listVirtualMfaDevices } from "@/lib/iam/services/mfa";
import { DEFAULT_PASSWORD_POLICY, getEffectivePasswordPolicy } from "@/lib/iam/services/passwords";

export const metadata = { title: "My security credentials" };

/**
 * The caller's own credentials, IAM user or root: every read and change goes
 * through the same services and the gate, without a user name (AWS's "self").
 */
export default async function MySecurityCredentialsPage({ searchParams }: { searchParams: Promise<{ assign?: string; back?: string }> }) {
  const { principal } = await requireConsole();
  const { assign, back } = await searchParams;
  // "Assign an MFA device" links here from elsewhere (elevation): open the form, and offer the way back (same-site paths only).
  const returnTo = back && /^\/(?![/\\])/.test(back) ? back : undefined;
  const crumbs = [{ label: "IAM", href: "/iam" }, { label: "My security credentials" }];
  if (principal.type === "AssumedRole") {
    return (
      <>
        <PageHeader crumbs={crumbs} title="My security credentials" />
        <Banner kind="info">
          You are acting as the role session {displayName(principal)}. A role session has only temporary credentials: switch back to your own
          identity to manage its password, access keys and MFA devices.
        </Banner>
      </>
    );
  }
  const owner = principal.type === "Root" ? "root" : principal.userName;
  const [policy, keys, mfa, unassigned] = await Promise.all([
    loadAs(principal, getEffectivePasswordPolicy(principal)),
    loadAs(principal, listAccessKeys(principal, {})),
    loadAs(principal, listMfaDevices(principal, {})),
    // Abandoned setups, as `aws iam list-virtual-mfa-devices --assignment-status Unassigned` shows them.
    loadAs(principal, listVirtualMfaDevices(principal, { assignmentStatus: "Unassigned" })),
  ]);
  // Last use of each key (at most two): the same read AWS's console makes per key.
  const lastUsed = keys.ok
    ? await Promise.all(keys.data.accessKeyMetadata.map((k) => loadAs(principal, getAccessKeyLastUsed(principal, { accessKeyId: k.accessKeyId }))))
    : [];
  const effective = policy.ok ? policy.data : DEFAULT_PASSWORD_POLICY;

  return (
    <>
      <PageHeader crumbs={crumbs} title="My security credentials" />
      <SummaryPanel
        arn={principal.arn}
        items={[
          { label: "Identity", value: principal.type === "Root" ? "Root user" : `IAM user ${owner}` },
          { label: "Account", value: <span className="font-mono">{principal.accountId}</span> },
          { label: "Signed in with MFA", value: principal.mfaAuthenticated ? "Yes" : "No" },
        ]}
      />
      <div className="flex flex-col gap-8">
        <section aria-labelledby="password-title" className="flex flex-col gap-3">
          <h2 id="password-title" className="text-lg font-semibold">
            Console password
          </h2>
          {policy.ok ? <PasswordPolicyRules policy={effective} /> : <ErrorPanel result={policy} />}
          <ChangePasswordForm rules={passwordRules(effective)} />
        </section>
        {keys.ok ? (
          <AccessKeysPanel
            owner={owner}
            keys={keys.data.accessKeyMetadata.map((k, i) => {
              const used = lastUsed[i]?.ok ? lastUsed[i].data.accessKeyLastUsed : null;
              return {
                accessKeyId: k.accessKeyId,
                status: k.status,
                createDate: k.createDate,
                lastUsedDate: used?.lastUsedDate ?? null,
                lastUsedService: used && used.serviceName !== "N/A" ? used.serviceName : null,
                lastUsedRegion: used && used.region !== "N/A" ? used.region : null,
              };
            })}
          />
        ) : (
          <section aria-label="Access keys">
            <h2 className="mb-2 text-lg font-semibold">Access keys</h2>
            <ErrorPanel result={keys} />
          </section>
        )}
        {mfa.ok ? (
          <MfaPanel
            devices={mfa.data.mfaDevices}
            defaultDeviceName={principal.type === "Root" ? "root-account-mfa-device" : owner}
            startAssigning={assign === "mfa"}
            unassigned={unassigned.ok ? unassigned.data.virtualMFADevices.map((d) => d.serialNumber) : []}
            returnTo={returnTo}
          />
        ) : (
          <section aria-label="MFA devices">
            <h2 className="mb-2 text-lg font-semibold">Multi-factor authentication (MFA)</h2>
            <ErrorPanel result={mfa} />
          </section>
        )}
      </div>
    </>
  );
}
