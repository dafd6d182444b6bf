import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { FlashProvider } from "@/components/ui/flash";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { failure } from "@/lib/actions/action-result";
import { IamError } from "@/lib/iam/errors";
import { refreshProgress } from "@/lib/labs/remembered-progress";
import { labOrThrow, sandboxFor } from "@/lib/labs/manage";
import { isImported, sandboxPassword } from "@/lib/labs/sandboxes";
import { SandboxActions } from "../lab-buttons";
import { ProgressPanel } from "../progress-panel";
import { SignInDetails } from "../sign-in-details";

export const metadata = { title: "Lab sandbox" };

export default async function SandboxPage({ params }: { params: Promise<{ sandboxId: string }> }) {
  const { sandboxId } = await params;
  const { principal } = await requireConsole();
  const caller = { principal, request: await consoleRequestInfo() };
  const crumbs = [{ label: "Training labs", href: "/labs" }, { label: sandboxId }];
  let sandbox;
  try {
    sandbox = await sandboxFor(caller, sandboxId, "manage");
  } catch (err) {
    if (!(err instanceof IamError)) throw err;
    return (
      <>
        <PageHeader crumbs={crumbs} title="Lab sandbox" />
        <ErrorPanel result={failure(err) as Extract<ReturnType<typeof failure>, { ok: false }>} />
      </>
    );
  }
  if (isImported(sandbox)) {
    // An import (/labs/import): no lab, no tasks; its sign-in details and the download.
    return (
      <FlashProvider>
        <PageHeader crumbs={crumbs} title={`Imported account: ${sandbox.learner}`} />
        <p className="mb-4 max-w-3xl text-sm">
          A copy of an account&apos;s IAM made from get-account-authorization-details output.{" "}
          <a className="text-accent underline" href={`/labs/import/export?sandbox=${sandbox.id}`} download>
            Download it as JSON
          </a>
          .
        </p>
        <section aria-labelledby="signin-title" className="mb-4 rounded border border-neutral-200 p-3 dark:border-neutral-800">
          <h2 id="signin-title" className="mb-2 font-semibold">
            Sign in to the sandbox
          </h2>
          <SignInDetails accountId={sandbox.signInAccountId} userName={sandbox.signInUserName} password={sandboxPassword(sandbox)} />
        </section>
      </FlashProvider>
    );
  }
  const lab = labOrThrow(sandbox.labId);
  const progress = await refreshProgress(sandbox, lab);
  return (
    <FlashProvider>
      <PageHeader crumbs={crumbs} title={lab.title} actions={<SandboxActions sandboxId={sandbox.id} label={sandbox.id} afterDelete="/labs" />} />
      <p className="mb-4 max-w-3xl">{lab.story}</p>
      <section aria-labelledby="signin-title" className="mb-4 rounded border border-neutral-200 p-3 dark:border-neutral-800">
        <h2 id="signin-title" className="mb-2 font-semibold">
          Sign in to the sandbox
        </h2>
        <p className="mb-2 text-sm text-neutral-600 dark:text-neutral-300">
          Sign out, then sign in as an IAM user with these details (in another browser profile to keep this page open). The progress below updates as you work.
        </p>
        <SignInDetails accountId={sandbox.signInAccountId} userName={sandbox.signInUserName} password={sandboxPassword(sandbox)} />
      </section>
      <ProgressPanel progress={progress} />
    </FlashProvider>
  );
}
