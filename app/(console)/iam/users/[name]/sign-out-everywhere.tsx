"use client";
import { ConfirmActionButton } from "@/components/ui/flash";
import { signOutEverywhereAction } from "./actions";

export function SignOutEverywhereButton({ userName }: { userName: string }) {
  return (
    <ConfirmActionButton
      action={signOutEverywhereAction}
      values={{ userName }}
      trigger="Sign out everywhere"
      title="Sign out everywhere?"
      confirmText={userName}
      confirmLabel="Sign out"
      success="Every console session of the user has ended."
    >
      <p>Every console session of {userName} ends at once, on every browser. The password and access keys do not change.</p>
    </ConfirmActionButton>
  );
}
