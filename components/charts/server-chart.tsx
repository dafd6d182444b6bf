import "server-only";
// One chart wrapper for the console: Apache ECharts rendered on the server to an
// SVG string (renderer "svg", ssr), so no chart JavaScript reaches the browser.
// It renders a light and a dark variant and lets the system setting pick one,
// as the console's own colours do. Give it an ECharts option and a summary that
// says in words what the picture shows (the image's accessible name).
import * as echarts from "echarts";

export type ChartOption = echarts.EChartsOption;

const PALETTE = {
  light: { text: "#404040", axis: "#a3a3a3", grid: "#e5e5e5" },
  dark: { text: "#d4d4d4", axis: "#737373", grid: "#262626" },
};

/** The option with the theme's text, axis and grid colours filled in where the caller left them out. */
function themed(option: ChartOption, mode: "light" | "dark"): ChartOption {
  const c = PALETTE[mode];
  const axis = (a: unknown) =>
    (Array.isArray(a) ? a : a ? [a] : []).map((x) => ({
      axisLine: { lineStyle: { color: c.axis } },
      axisLabel: { color: c.text },
      splitLine: { lineStyle: { color: c.grid } },
      ...(x as object),
    }));
  return {
    backgroundColor: "transparent",
    textStyle: { color: c.text, fontFamily: "ui-sans-serif, system-ui, sans-serif" },
    animation: false,
    ...option,
    legend: option.legend ? { textStyle: { color: c.text }, ...(option.legend as object) } : undefined,
    xAxis: axis(option.xAxis) as ChartOption["xAxis"],
    yAxis: axis(option.yAxis) as ChartOption["yAxis"],
  };
}

/** The chart as an SVG string (for a page, or a report file). */
export function renderChartSvg(option: ChartOption, size: { width: number; height: number }, mode: "light" | "dark" = "light"): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(themed(option, mode));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A server-rendered chart: `summary` is read out instead of the picture; `testId` marks it for tests. */
export function ServerChart({
  option,
  summary,
  width = 960,
  height = 220,
  testId,
}: {
  option: ChartOption;
  summary: string;
  width?: number;
  height?: number;
  testId?: string;
}) {
  const light = renderChartSvg(option, { width, height }, "light");
  const dark = renderChartSvg(option, { width, height }, "dark");
  return (
    <figure role="img" aria-label={summary} data-testid={testId} className="w-full overflow-x-auto">
      <div aria-hidden="true" className="dark:hidden [&>svg]:h-auto [&>svg]:max-w-full" dangerouslySetInnerHTML={{ __html: light }} />
      <div aria-hidden="true" className="hidden dark:block [&>svg]:h-auto [&>svg]:max-w-full" dangerouslySetInnerHTML={{ __html: dark }} />
    </figure>
  );
}
