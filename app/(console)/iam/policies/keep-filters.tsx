"use client";
// The table's name filter is a plain GET form that only carries q/sort/dir:
// this adds the page's other filters to it, so filtering by name keeps them.
import { useEffect, useRef } from "react";

export function KeepFilters({ values, children }: { values: Record<string, string | undefined>; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const form = ref.current?.querySelector<HTMLFormElement>("form[role=search]");
    if (!form) return;
    const added: HTMLInputElement[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (!value) continue;
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
      added.push(input);
    }
    return () => added.forEach((i) => i.remove());
  }, [values]);
  return <div ref={ref}>{children}</div>;
}
