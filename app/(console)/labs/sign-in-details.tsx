// The learner's sign-in details of a sandbox: account ID, user name, password.
import { CopyButton } from "@/components/ui/copy-button";

export function SignInDetails({ accountId, userName, password }: { accountId: string; userName: string; password: string }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Sign-in details">
      <dt className="text-neutral-500">Account ID</dt>
      <dd className="font-mono" data-testid="sandbox-account">
        {accountId}
      </dd>
      <dt className="text-neutral-500">IAM user name</dt>
      <dd className="font-mono" data-testid="sandbox-user">
        {userName}
      </dd>
      <dt className="text-neutral-500">Password</dt>
      <dd>
        <details>
          <summary className="cursor-pointer text-accent">Show password</summary>
          <span className="font-mono" data-testid="sandbox-password">
            {password}
          </span>{" "}
          <CopyButton value={password} label="Copy password" />
        </details>
      </dd>
    </dl>
  );
}
