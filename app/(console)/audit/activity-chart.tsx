import { ServerChart } from "@/components/charts/server-chart";
import type { Activity } from "@/lib/audit/activity";

const HOUR = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** Events per hour (or day), allowed vs denied vs failed, under the history's active filter. */
export function ActivityChart({ activity }: { activity: Activity }) {
  const label = (d: Date) => (activity.unit === "hour" ? HOUR.format(d) : DAY.format(d));
  const sum = (k: "allowed" | "denied" | "failed") => activity.buckets.reduce((n, b) => n + b[k], 0);
  const [allowed, denied, failed] = [sum("allowed"), sum("denied"), sum("failed")];
  const summary = `Activity per ${activity.unit} from ${activity.from.toISOString().slice(0, 16)} to ${activity.to.toISOString().slice(0, 16)} UTC under this filter: ${allowed} allowed, ${denied} denied, ${failed} failed.`;
  return (
    <section aria-labelledby="activity-title" className="mb-4">
      <h2 id="activity-title" className="mb-1 text-sm font-semibold">
        Activity per {activity.unit} (UTC)
      </h2>
      <p data-testid="activity-totals" className="mb-1 text-xs text-neutral-600 dark:text-neutral-300">
        {allowed} allowed · {denied} denied · {failed} failed
      </p>
      <ServerChart
        testId="activity-chart"
        summary={summary}
        height={200}
        option={{
          grid: { left: 48, right: 16, top: 32, bottom: 28 },
          legend: { top: 0, right: 0 },
          xAxis: { type: "category", data: activity.buckets.map((b) => label(b.start)) },
          yAxis: { type: "value", minInterval: 1 },
          series: [
            { name: "Allowed", type: "bar", stack: "events", color: "#16a34a", data: activity.buckets.map((b) => b.allowed) },
            { name: "Denied", type: "bar", stack: "events", color: "#dc2626", data: activity.buckets.map((b) => b.denied) },
            { name: "Failed", type: "bar", stack: "events", color: "#d97706", data: activity.buckets.map((b) => b.failed) },
          ],
        }}
      />
    </section>
  );
}
