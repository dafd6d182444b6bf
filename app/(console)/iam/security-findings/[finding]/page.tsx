import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { FINDINGS, getFindingEntities, type FindingId } from "@/lib/iam/services/security-posture";

export const metadata = { title: "Security finding" };

const LIMIT = 200;

export default async function FindingPage({ params }: { params: Promise<{ finding: string }> }) {
  const { finding } = await params;
  if (!Object.hasOwn(FINDINGS, finding)) notFound();
  const id = finding as FindingId;
  const { principal } = await requireConsole();
  const entities = await loadAs(principal, getFindingEntities(principal, id));
  const { title, fix } = FINDINGS[id];
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Security recommendations", href: "/iam" }, { label: title }]} title={title} />
      <p className="mb-4 max-w-3xl text-sm text-neutral-700 dark:text-neutral-300">{fix}</p>
      {!entities.ok ? (
        <ErrorPanel result={entities} />
      ) : entities.data.length === 0 ? (
        <EmptyState title="Nothing to fix here.">This finding no longer applies to the account.</EmptyState>
      ) : (
        <>
          <table className="w-full max-w-4xl text-sm">
            <thead>
              <tr className="border-b border-neutral-200 text-left text-xs text-neutral-500 dark:border-neutral-800">
                <th className="py-1 pr-4 font-medium">Entity</th>
                <th className="py-1 font-medium">Why</th>
              </tr>
            </thead>
            <tbody>
              {entities.data.map((e, i) => (
                <tr key={`${e.label}-${i}`} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="py-1 pr-4 font-mono">
                    {e.href ? (
                      <Link href={e.href} className="text-accent hover:underline">
                        {e.label}
                      </Link>
                    ) : (
                      e.label
                    )}
                  </td>
                  <td className="py-1 text-neutral-600 dark:text-neutral-400">{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {entities.data.length >= LIMIT && <p className="mt-2 text-sm text-neutral-600">The first {LIMIT} are shown; fix these and reload for more.</p>}
        </>
      )}
    </>
  );
}
