// Rendered charts are kept by option, size and mode: the same picture is drawn
// once, and any difference in the data, size or mode draws anew.
import { describe, expect, it } from "vitest";
import { renderChartSvg, type ChartOption } from "./server-chart";

const bars = (data: number[]): ChartOption => ({
  xAxis: { type: "category", data: ["a", "b", "c"] },
  yAxis: { type: "value" },
  series: [{ name: "keys", type: "bar", data }],
});

describe("renderChartSvg", () => {
  it("gives the same picture for the same chart, and another for other data, size or mode", () => {
    const size = { width: 400, height: 200 };
    const first = renderChartSvg(bars([1, 2, 3]), size);
    expect(first).toMatch(/^<svg/);
    expect(renderChartSvg(bars([1, 2, 3]), size)).toBe(first);
    expect(renderChartSvg(bars([1, 2, 4]), size)).not.toBe(first);
    expect(renderChartSvg(bars([1, 2, 3]), { width: 500, height: 200 })).toContain('width="500"');
    expect(renderChartSvg(bars([1, 2, 3]), size, "dark")).not.toBe(first);
  });

  it("draws a chart with a formatter function every time (a function is not part of the key)", () => {
    const size = { width: 400, height: 200 };
    const labelled = (suffix: string): ChartOption => ({ ...bars([5, 6, 7]), yAxis: { type: "value", axisLabel: { formatter: (v: number) => `${v}${suffix}` } } });
    expect(renderChartSvg(labelled(" keys"), size)).toContain(" keys");
    expect(renderChartSvg(labelled(" users"), size)).toContain(" users");
  });
});
