import "server-only";
// The "Access Advisor" tab of the user, group, role and policy pages: the
// services the entity's policies allow, when each was last accessed (and by
// whom), on a time axis, and the ones unused for N days to consider removing.
import { ServerChart } from "@/components/charts/server-chart";
import { formatDate } from "@/components/ui/format";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import type { Principal } from "@/lib/iam/principal";
import { getAccessAdvice, unusedServices, type AdvisedEntity } from "@/lib/iam/services/access-advisor";

export const ADVISOR_TAB = { id: "access-advisor", label: "Access Advisor" };
const DAY_CHOICES = [30, 90, 180, 365];

/** The unused-for window from ?days= (one of DAY_CHOICES; 90 by default). */
export function advisorDays(raw: string | string[] | undefined): number {
  const n = Number(typeof raw === "string" ? raw : undefined);
  return DAY_CHOICES.includes(n) ? n : 90;
}

export async function AccessAdvisorTab({ principal, entity, days, base }: { principal: Principal; entity: AdvisedEntity; days: number; base: string }) {
  const advice = await loadAs(principal, getAccessAdvice(principal, entity));
  if (!advice.ok) return <ErrorPanel result={advice} />;
  const now = new Date();
  const { services } = advice.data;
  const unused = new Set(unusedServices(services, days, now).map((s) => s.namespace));
  const used = services.filter((s) => s.lastAccessed);
  return (
    <section aria-label="Access Advisor" className="flex max-w-5xl flex-col gap-3">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Services this {entity.kind}&apos;s policies allow and when each was last accessed, from the event history (console and API).{" "}
        {entity.kind === "policy" || entity.kind === "group" ? "The last accessing identity is named for each service." : ""}
      </p>
      <form method="get" action={base} className="flex items-center gap-2 text-sm">
        <input type="hidden" name="tab" value={ADVISOR_TAB.id} />
        <label htmlFor="advisor-days">Suggest removing services not accessed in</label>
        <select id="advisor-days" name="days" defaultValue={String(days)} className="rounded border border-neutral-300 bg-transparent px-2 py-1 dark:border-neutral-700">
          {DAY_CHOICES.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
        <button type="submit" className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
          Apply
        </button>
      </form>
      {unused.size > 0 ? (
        <p role="status" data-testid="advisor-suggestion" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          {unused.size} of {services.length} allowed services not accessed in {days} days: consider removing{" "}
          {[...unused].map((n, i) => (
            <span key={n}>
              {i > 0 && ", "}
              <span className="font-mono">{n}</span>
            </span>
          ))}{" "}
          from this {entity.kind}&apos;s permissions.
        </p>
      ) : (
        services.length > 0 && <p className="text-sm text-green-700 dark:text-green-400">Every allowed service was accessed in the last {days} days.</p>
      )}
      {used.length > 0 && (
        <ServerChart
          testId="advisor-chart"
          height={Math.max(120, 40 + used.length * 28)}
          summary={`Last access per service: ${used.map((s) => `${s.namespace} ${formatDate(s.lastAccessed)}`).join(", ")}.`}
          option={{
            grid: { left: 120, right: 24, top: 16, bottom: 32 },
            xAxis: { type: "time" },
            yAxis: { type: "category", data: used.map((s) => s.namespace) },
            series: [{ type: "scatter", symbolSize: 12, data: used.map((s) => [s.lastAccessed!.getTime(), s.namespace]), itemStyle: { color: "#2563eb" } }],
          }}
        />
      )}
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-neutral-200 text-left text-xs text-neutral-500 dark:border-neutral-800">
            <th className="py-1 pr-4 font-medium">Service</th>
            <th className="py-1 pr-4 font-medium">Namespace</th>
            <th className="py-1 pr-4 font-medium">Last accessed</th>
            <th className="py-1 font-medium">By</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.namespace} data-testid={`advisor-${s.namespace}`} className="border-b border-neutral-100 dark:border-neutral-900">
              <td className="py-1 pr-4">{s.serviceName}</td>
              <td className="py-1 pr-4 font-mono">{s.namespace}</td>
              <td className={`py-1 pr-4 ${unused.has(s.namespace) ? "text-amber-700 dark:text-amber-400" : ""}`}>{formatDate(s.lastAccessed, "Not accessed in the tracking period")}</td>
              <td className="py-1 break-all font-mono text-xs">{s.lastAuthenticatedEntity ?? "—"}</td>
            </tr>
          ))}
          {services.length === 0 && (
            <tr>
              <td colSpan={4} className="py-2 text-neutral-600">
                No policy of this {entity.kind} allows any service.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
