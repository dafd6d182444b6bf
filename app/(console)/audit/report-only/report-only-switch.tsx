"use client";
import { ActionButton, ConfirmActionButton } from "@/components/ui/flash";
import { setReportOnlyAction } from "./actions";

export function ReportOnlySwitch({ enabled, account }: { enabled: boolean; account: string }) {
  if (enabled)
    return <ActionButton action={setReportOnlyAction} values={{ enabled: "false" }} label="Turn off report-only" variant="primary" success="Report-only is off: policies are enforced again." />;
  return (
    <ConfirmActionButton
      action={setReportOnlyAction}
      values={{ enabled: "true" }}
      trigger="Turn on report-only"
      title={`Turn on report-only for ${account}?`}
      confirmText="report-only"
      confirmLabel="Turn on"
      success="Report-only is on: denials by this account's policies are recorded as would-be denials, not enforced."
    >
      <p>
        Every principal of this account will be able to do what its identity-based policies, this account&apos;s resource-based policies, permissions boundaries
        and session policies deny. Use it only in an account that holds nothing to protect, for as long as an application runs.
      </p>
    </ConfirmActionButton>
  );
}
