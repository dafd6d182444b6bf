"use client";
// Virtual MFA devices of a user (or of the caller, root included): assign with a
// QR code and the secret shown once, activate with two consecutive codes,
// resync, remove (deactivate, then delete the device). Up to 8 per identity.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { SecretOnce } from "@/components/ui/secret-once";
import type { ActionResult } from "@/lib/actions/action-result";
import {
  createMfaDeviceAction,
  deleteVirtualMfaDeviceAction,
  enableMfaDeviceAction,
  removeMfaDeviceAction,
  resyncMfaDeviceAction,
} from "@/lib/actions/credentials";
import { formatDate } from "@/components/ui/format";
import { fieldErrors, useActionForm } from "@/components/ui/use-action-form";

export const MFA_DEVICES_MAX = 8;
const NAME_RULE = "1-226 characters: letters, digits and +=,.@_-";
const CODE_RULE = "6 digits from your authenticator app";

const deviceName = (serial: string) => serial.slice(serial.lastIndexOf("/") + 1);

export function MfaPanel({
  userName,
  devices,
  defaultDeviceName,
  startAssigning = false,
  returnTo,
  unassigned = [],
}: {
  userName?: string;
  devices: { serialNumber: string; enableDate: Date | null }[];
  defaultDeviceName: string;
  /** Open the assign form at once (a link asked for it). */
  startAssigning?: boolean;
  /** Where the person came from: offered once the device is assigned. */
  returnTo?: string;
  /** Serial numbers of unassigned virtual MFA devices (abandoned setups), which can be deleted here. */
  unassigned?: string[];
}) {
  const [assigning, setAssigning] = useState(startAssigning && devices.length < MFA_DEVICES_MAX);
  const [resyncing, setResyncing] = useState<string | null>(null);
  const [removed, setRemoved] = useState<ActionResult<unknown> | null>(null);
  const [removing, startRemove] = useTransition();
  const router = useRouter();
  const full = devices.length >= MFA_DEVICES_MAX;
  const [deleted, setDeleted] = useState<ActionResult<unknown> | null>(null);
  const deleteUnassigned = (serialNumber: string) =>
    startRemove(async () => {
      setDeleted(await deleteVirtualMfaDeviceAction({ serialNumber }));
      router.refresh();
    });

  const remove = (serialNumber: string) =>
    startRemove(async () => {
      const form = new FormData();
      form.set("serialNumber", serialNumber);
      if (userName) form.set("userName", userName);
      setRemoved(await removeMfaDeviceAction(null, form));
      router.refresh();
    });

  return (
    <section aria-labelledby="mfa-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="mfa-title" className="text-lg font-semibold">
          Multi-factor authentication (MFA) <span className="text-sm font-normal text-neutral-500">({devices.length} of {MFA_DEVICES_MAX})</span>
        </h2>
        {!assigning && (
          <Button onClick={() => setAssigning(true)} disabled={full}>
            Assign MFA device
          </Button>
        )}
      </div>
      <ResultBanner result={removed} success="MFA device removed." />
      <ResultBanner result={deleted} success="Unassigned MFA device deleted." />
      {assigning && <AssignMfa userName={userName} defaultDeviceName={defaultDeviceName} returnTo={returnTo} onDone={() => setAssigning(false)} />}
      {devices.length === 0 ? (
        <p className="rounded border border-dashed border-neutral-300 p-4 text-center dark:border-neutral-700">
          No MFA device. Assign one so that a stolen password alone cannot sign in.
        </p>
      ) : (
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">MFA devices</caption>
          <thead>
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="px-2 py-1.5">Identifier</th>
              <th scope="col" className="px-2 py-1.5">Type</th>
              <th scope="col" className="px-2 py-1.5">Assigned</th>
              <th scope="col" className="px-2 py-1.5">Actions</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.serialNumber} className="border-b border-neutral-100 dark:border-neutral-900">
                <td className="break-all px-2 py-1.5 font-mono">{d.serialNumber}</td>
                <td className="px-2 py-1.5">Virtual</td>
                <td className="px-2 py-1.5">{formatDate(d.enableDate, "Never")}</td>
                <td className="px-2 py-1.5">
                  <div className="flex flex-wrap gap-2">
                    <Button variant="secondary" onClick={() => setResyncing(d.serialNumber)} aria-label={`Resync ${deviceName(d.serialNumber)}`}>
                      Resync
                    </Button>
                    <ConfirmDialog
                      trigger={`Remove ${deviceName(d.serialNumber)}`}
                      title="Remove MFA device?"
                      confirmText={deviceName(d.serialNumber)}
                      confirmLabel="Remove"
                      pending={removing}
                      onConfirm={() => remove(d.serialNumber)}
                    >
                      <p>
                        <span className="font-mono">{d.serialNumber}</span> will be deactivated and deleted. Sign-in will then need only the password.
                      </p>
                    </ConfirmDialog>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unassigned.length > 0 && (
        <section aria-labelledby="unassigned-mfa-title" className="flex flex-col gap-2">
          <h3 id="unassigned-mfa-title" className="font-semibold">
            Unassigned virtual MFA devices
          </h3>
          <p className="text-sm">Created but never activated (an abandoned setup). Delete one to reuse its name, or assign a device of that name to replace it.</p>
          <ul className="flex flex-col gap-1">
            {unassigned.map((serial) => (
              <li key={serial} className="flex flex-wrap items-center gap-2">
                <span className="break-all font-mono text-sm">{serial}</span>
                <ConfirmDialog
                  trigger={`Delete unassigned ${deviceName(serial)}`}
                  title="Delete unassigned MFA device?"
                  confirmText={deviceName(serial)}
                  confirmLabel="Delete"
                  pending={removing}
                  onConfirm={() => deleteUnassigned(serial)}
                >
                  <p>
                    <span className="font-mono">{serial}</span> was never activated; it will be deleted.
                  </p>
                </ConfirmDialog>
              </li>
            ))}
          </ul>
        </section>
      )}
      {resyncing && <ResyncMfa userName={userName} serialNumber={resyncing} onDone={() => setResyncing(null)} />}
    </section>
  );
}

function CodeFields({ result }: { result: ActionResult<unknown> | null }) {
  return (
    <div className="flex flex-wrap gap-3">
      <Field label="MFA code 1" name="authenticationCode1" inputMode="numeric" autoComplete="one-time-code" maxLength={6} rule={CODE_RULE} required errors={fieldErrors(result, "authenticationCode1")} />
      <Field label="MFA code 2" name="authenticationCode2" inputMode="numeric" autoComplete="one-time-code" maxLength={6} rule="the next code, after it changes" required errors={fieldErrors(result, "authenticationCode2")} />
    </div>
  );
}

function AssignMfa({ userName, defaultDeviceName, returnTo, onDone }: { userName?: string; defaultDeviceName: string; returnTo?: string; onDone: () => void }) {
  const create = useActionForm(createMfaDeviceAction, { refresh: false });
  const enable = useActionForm(enableMfaDeviceAction);
  const device = create.result?.ok ? create.result.data : null;
  if (enable.result?.ok) {
    return (
      <div className="flex flex-col gap-2">
        <Banner kind="success">MFA device assigned. It is required at the next sign-in.</Banner>
        <div className="flex items-center gap-3">
          {returnTo && (
            <Link href={returnTo} className="font-medium underline">
              Back to {returnTo}
            </Link>
          )}
          <Button variant="secondary" onClick={onDone}>
            Close
          </Button>
        </div>
      </div>
    );
  }
  return (
    <section aria-label="Assign MFA device" className="flex flex-col gap-3 rounded border border-neutral-200 p-3 dark:border-neutral-800">
      {!device ? (
        <form onSubmit={create.onSubmit} className="flex flex-col gap-3" noValidate>
          <ResultBanner result={create.result} />
          <Field label="Device name" name="virtualMFADeviceName" defaultValue={defaultDeviceName} rule={NAME_RULE} required errors={create.errorsFor("virtualMFADeviceName")} />
          <div className="flex gap-2">
            <Button type="submit" disabled={create.pending}>
              {create.pending ? "Creating…" : "Continue"}
            </Button>
            <Button variant="secondary" onClick={onDone}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <form onSubmit={enable.onSubmit} className="flex flex-col gap-3" noValidate>
          <p>
            1. Open an authenticator app and scan this QR code, or type the secret key below.
          </p>
          {/* A data: URL from the service; next/image adds nothing for it. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={device.qrCodePng} alt="QR code for the virtual MFA device" width={200} height={200} className="rounded border border-neutral-200 bg-white" />
          <SecretOnce
            label="Secret key"
            value={device.base32StringSeed}
            warning="Anyone with this secret can produce your MFA codes. Add it to your authenticator now; it is not shown again."
          />
          <p>2. Enter two consecutive codes from the app: wait for the code to change before typing the second one.</p>
          <ResultBanner result={enable.result} />
          <input type="hidden" name="serialNumber" value={device.serialNumber} />
          {userName && <input type="hidden" name="userName" value={userName} />}
          <CodeFields result={enable.result} />
          <div>
            <Button type="submit" disabled={enable.pending}>
              {enable.pending ? "Checking…" : "Add MFA"}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function ResyncMfa({ userName, serialNumber, onDone }: { userName?: string; serialNumber: string; onDone: () => void }) {
  const resync = useActionForm(resyncMfaDeviceAction, { resetOnSuccess: true });
  return (
    <form onSubmit={resync.onSubmit} aria-label="Resync MFA device" className="flex flex-col gap-3 rounded border border-neutral-200 p-3 dark:border-neutral-800" noValidate>
      <h3 className="font-semibold">
        Resync <span className="font-mono">{serialNumber}</span>
      </h3>
      <p className="text-sm">When the device&apos;s clock has drifted: enter two consecutive codes it shows now.</p>
      <ResultBanner result={resync.result} success="MFA device resynchronized." />
      <input type="hidden" name="serialNumber" value={serialNumber} />
      {userName && <input type="hidden" name="userName" value={userName} />}
      <CodeFields result={resync.result} />
      <div className="flex gap-2">
        <Button type="submit" disabled={resync.pending}>
          {resync.pending ? "Checking…" : "Resync"}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Close
        </Button>
      </div>
    </form>
  );
}
