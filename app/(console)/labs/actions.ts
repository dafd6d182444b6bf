"use server";
// The labs' server actions: each resolves the signed-in principal, then the
// gated functions of lib/labs/manage.ts decide (iamlab:StartSandbox,
// iamlab:ManageClasses, or the sandbox's owner).
import { failure, type ActionResult } from "@/lib/actions/action-result";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { IamError } from "@/lib/iam/errors";
import { createClass, deleteClass, deleteSandboxAs, resetSandboxAs, startOwnSandbox, type Caller } from "@/lib/labs/manage";

async function caller(): Promise<Caller> {
  const { principal } = await requireConsole();
  return { principal, request: await consoleRequestInfo() };
}

async function result<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (err) {
    if (err instanceof IamError) return failure(err);
    console.error("labs action failed:", (err as Error)?.message);
    return { ok: false, error: { code: "InternalFailure", message: "The lab action failed unexpectedly. Try again; if it persists, check the server log." } };
  }
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function startLabAction(_: unknown, form: FormData): Promise<ActionResult<{ sandboxId: string }>> {
  return result(async () => {
    const started = await startOwnSandbox(await caller(), text(form, "labId"));
    return { sandboxId: started.sandbox.id };
  });
}

export async function resetSandboxAction(_: unknown, form: FormData): Promise<ActionResult<null>> {
  return result(async () => {
    await resetSandboxAs(await caller(), text(form, "sandboxId"));
    return null;
  });
}

export async function deleteSandboxAction(_: unknown, form: FormData): Promise<ActionResult<null>> {
  return result(async () => {
    await deleteSandboxAs(await caller(), text(form, "sandboxId"));
    return null;
  });
}

export async function createClassAction(_: unknown, form: FormData): Promise<ActionResult<{ classId: string; size: number }>> {
  return result(async () => {
    const size = Number(text(form, "size"));
    const labels = text(form, "learners")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const cls = await createClass(await caller(), { labId: text(form, "labId"), name: text(form, "name"), size: labels.length || size, labels });
    return { classId: cls.id, size: cls.sandboxes.length };
  });
}

export async function deleteClassAction(_: unknown, form: FormData): Promise<ActionResult<null>> {
  return result(async () => {
    await deleteClass(await caller(), text(form, "classId"));
    return null;
  });
}
