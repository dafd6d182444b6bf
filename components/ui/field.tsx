import type { InputHTMLAttributes } from "react";

/** A labelled input with its rule under it and its errors tied by aria-describedby. */
export function Field({
  label,
  name,
  rule,
  errors,
  className = "",
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; rule?: string; errors?: string[] }) {
  const id = input.id ?? `field-${name}`;
  const ruleId = rule ? `${id}-rule` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={[ruleId, errorId].filter(Boolean).join(" ") || undefined}
        className="rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900 aria-invalid:border-red-600"
        {...input}
      />
      {rule && (
        <p id={ruleId} className="text-xs text-neutral-500 dark:text-neutral-400">
          {rule}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="text-xs text-red-700 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
