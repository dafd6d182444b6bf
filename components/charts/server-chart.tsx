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

/** Rendered charts by option, size and mode: the same picture is drawn once (ECharts took ~10 ms a chart, every page load). */
const rendered = new Map<string, string>();
const RENDERED_KEPT = 200;

/** The option as a key, or null when it holds a function (a formatter), which JSON would drop and so could not tell apart. */
function keyOf(option: ChartOption, size: { width: number; height: number }, mode: string): string | null {
  let plain = true;
  const json = JSON.stringify(option, (_k, v: unknown) => {
    if (typeof v === "function") plain = false;
    return v;
  });
  return plain ? `${mode} ${size.width}x${size.height} ${json}` : null;
}

/** The chart as an SVG string (for a page, or a report file). */
export function renderChartSvg(option: ChartOption, size: { width: number; height: number }, mode: "light" | "dark" = "light"): string {
  const key = keyOf(option, size, mode);
  const known = key === null ? undefined : rendered.get(key);
  if (known !== undefined) {
    // Most recently used last: the oldest goes first when the map is full.
    rendered.delete(key!);
    rendered.set(key!, known);
    return known;
  }
  const svg = drawChart(option, size, mode);
  if (key !== null) {
    rendered.set(key, svg);
    if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
  }
  return svg;
}

function drawChart(option: ChartOption, size: { width: number; height: number }, mode: "light" | "dark"): string {
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
