import Link from "next/link";

/** Tabs as links (?tab=...), so every tab has a URL and works without JavaScript. */
export function Tabs({ tabs, current, base }: { tabs: { id: string; label: string }[]; current: string; base: string }) {
  return (
    <nav aria-label="Tabs" className="mb-4 border-b border-neutral-200 dark:border-neutral-800">
      <ul className="flex gap-4">
        {tabs.map((t) => (
          <li key={t.id}>
            <Link
              href={`${base}?tab=${t.id}`}
              aria-current={t.id === current ? "page" : undefined}
              className={`-mb-px inline-block border-b-2 px-1 py-2 ${t.id === current ? "border-accent font-semibold text-accent" : "border-transparent hover:border-neutral-300"}`}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
