"use client";
// A form bound to a server action, for server-rendered pages: it keeps what was
// typed when the server refuses, shows the result banner at its top, puts field
// errors under their field (FormField) and refreshes the page's data on success.
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormAction, type FormAction } from "./use-form-action";

const FormState = createContext<{ errors: (name: string) => string[] | undefined; pending: boolean }>({ errors: () => undefined, pending: false });

export function ActionForm<T>({
  action,
  success,
  children,
  className = "flex flex-col gap-3",
  label,
}: {
  action: FormAction<T>;
  /** The green banner's text after success. */
  success: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  /** Accessible name of the form. */
  label?: string;
}) {
  const router = useRouter();
  const { state, pending, onSubmit, errors } = useFormAction(action);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form onSubmit={onSubmit} noValidate className={className} aria-label={label}>
      <ResultBanner result={state} success={success} />
      <FormState.Provider value={{ errors, pending }}>{children}</FormState.Provider>
    </form>
  );
}

/** A Field whose errors come from the surrounding ActionForm's last result. */
export function FormField(props: Omit<React.ComponentProps<typeof Field>, "errors">) {
  const { errors } = useContext(FormState);
  return <Field {...props} errors={errors(props.name)} />;
}

export function FieldErrors({ name }: { name: string }) {
  const { errors } = useContext(FormState);
  const list = errors(name);
  return list?.length ? (
    <p id={`field-${name}-error`} className="text-xs text-red-700 dark:text-red-400">
      {list.join(" ")}
    </p>
  ) : null;
}

export function SubmitButton({ children, variant, pendingText = "Working…" }: { children: React.ReactNode; variant?: "primary" | "secondary" | "danger"; pendingText?: string }) {
  const { pending } = useContext(FormState);
  return (
    <Button type="submit" variant={variant} disabled={pending}>
      {pending ? pendingText : children}
    </Button>
  );
}
