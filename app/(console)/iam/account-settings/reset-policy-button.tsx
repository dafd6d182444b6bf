"use client";
import { ConfirmActionButton } from "@/components/ui/flash";
import { deletePasswordPolicyAction } from "./actions";

export function ResetPolicyButton() {
  return (
    <ConfirmActionButton
      action={deletePasswordPolicyAction}
      values={{}}
      trigger="Use the default policy"
      title="Delete the custom password policy?"
      confirmText="delete"
      success="The custom password policy is deleted; AWS's default applies."
    >
      <p>The account goes back to AWS&apos;s default: at least 8 characters and three of the four character classes.</p>
    </ConfirmActionButton>
  );
}
