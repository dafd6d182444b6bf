// The switch-role colours: a small palette dark enough for white text (WCAG AA),
// plus the pastel values AWS's switch-role links carry, mapped onto it.

export const ROLE_COLORS = [
  { name: "Red", hex: "#dc2626" },
  { name: "Orange", hex: "#c2410c" },
  { name: "Yellow", hex: "#a16207" },
  { name: "Green", hex: "#15803d" },
  { name: "Blue", hex: "#2563eb" },
  { name: "Purple", hex: "#7c3aed" },
] as const;

export const ROLE_COLOR_HEXES = ROLE_COLORS.map((c) => c.hex) as string[];

/** AWS's switch-role link colours (the `color` parameter, hex without "#"). */
const AWS_LINK_COLORS: Record<string, string> = {
  F2B0A9: "#dc2626",
  FBBF93: "#c2410c",
  FAD791: "#a16207",
  B7CA9D: "#15803d",
  "99BCE3": "#2563eb",
};

/** A colour from a switch-role link (`color=FAD791`, `#a16207`, or a palette name); undefined when unknown. */
export function colorFromLink(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim().replace(/^#/, "");
  const byName = ROLE_COLORS.find((c) => c.name.toLowerCase() === v.toLowerCase());
  if (byName) return byName.hex;
  const ours = ROLE_COLORS.find((c) => c.hex.slice(1).toLowerCase() === v.toLowerCase());
  if (ours) return ours.hex;
  return AWS_LINK_COLORS[v.toUpperCase()];
}
