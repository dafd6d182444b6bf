import { PageHeader } from "@/components/ui/page-header";
import { loadAs, validationFailure } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import type { ActionResult } from "@/lib/actions/action-result";
import { SimulationInput, type SimulationFormValues } from "./input";
import { simulatePolicy, type SimulationResult } from "@/lib/iam/services/simulator";
import { SimulatorForm } from "./simulator-form";

export const metadata = { title: "Policy simulator" };

type SearchParams = Record<string, string | string[] | undefined>;
const all = (sp: SearchParams, k: string): string[] => {
  const v = sp[k];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean).slice(0, 20);
};

/** The form as a "Why?" link fills it: the principal, action and resource that were denied. */
function valuesFrom(sp: SearchParams): SimulationFormValues {
  return {
    principalArn: all(sp, "principal")[0] ?? "",
    identityPolicies: [],
    boundaryPolicy: "",
    resourcePolicy: "",
    useResourcePolicy: true,
    actions: [...new Set(all(sp, "action"))],
    resources: all(sp, "resource").join("\n") || "*",
    mfaPresent: "",
    mfaAge: "",
    sourceIp: "",
    currentTime: "",
    principalTags: [],
    resourceTags: [],
    context: [],
  };
}

export default async function SimulatorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { principal } = await requireConsole();
  const values = valuesFrom(await searchParams);
  // A link with a request in it (AccessDenied's "Why?") runs it straight away.
  let initial: ActionResult<SimulationResult> | null = null;
  if (values.actions.length && values.principalArn) {
    const input = SimulationInput.safeParse({ principalArn: values.principalArn, actions: values.actions, resources: values.resources, useResourcePolicy: true });
    initial = input.success ? await loadAs(principal, simulatePolicy(principal, input.data)) : validationFailure(input.error);
  }
  return (
    <>
      <PageHeader crumbs={[{ label: "Tools" }, { label: "Policy simulator" }]} title="Policy simulator">
        <p className="max-w-3xl text-neutral-600 dark:text-neutral-300">
          Ask the same policy engine the console&apos;s gate uses whether a principal may perform actions on resources, with the policies it really has
          (identity, groups, permissions boundary, organization SCPs, the resource&apos;s own policy) or policies you paste, and see which statements decide.
        </p>
      </PageHeader>
      {/* A new link (e.g. another "Why?") starts a new form with its own request. */}
      <SimulatorForm key={JSON.stringify(values)} initialValues={values} initialResult={initial} callerArn={principal.arn} />
    </>
  );
}
