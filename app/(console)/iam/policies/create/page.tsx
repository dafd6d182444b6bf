import { ErrorPanel } from "@/components/ui/panels";
import { PageHeader } from "@/components/ui/page-header";
import { loadAs } from "@/lib/actions/define-action";
import { getGeneratedPolicy } from "@/lib/audit/policy-generation";
import { requireConsole } from "@/lib/auth/console-context";
import { CreatePolicyForm } from "./create-policy-form";

export const metadata = { title: "Create policy" };

export default async function CreatePolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireConsole();
  // ?generationJob=: start from a policy generated from activity (the user's or role's "Generate policy" tab).
  // ?generationPart=N: the Nth of a draft split into several policies (1 by default).
  const { generationJob: job, generationPart } = await searchParams;
  const generated = typeof job === "string" && job.length <= 4096 ? await loadAs(principal, getGeneratedPolicy(principal, { jobId: job })) : null;
  const part = typeof generationPart === "string" && /^\d{1,2}$/.test(generationPart) ? Math.max(Number(generationPart) - 1, 0) : 0;
  const document = generated?.ok ? generated.data.generatedPolicyResult.generatedPolicies[part]?.policy : undefined;
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Policies", href: "/iam/policies" }, { label: "Create policy" }]} title="Create policy" />
      {generated && !generated.ok && <ErrorPanel result={generated} />}
      <CreatePolicyForm initialDocument={document} />
    </>
  );
}
