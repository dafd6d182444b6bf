"use client";
/**
 * <ElevateAndRetry>: the console's answer to a destructive action the lab's SCP
 * refused. It offers "Assume elevated role" when the account has an elevation
 * role (S3ElevatedAccess) and the gate says the signed-in identity could assume
 * it with MFA (otherwise it says why not and who can), asks for an MFA code (or,
 * without a device, links straight to assigning one), assumes the role for 15 minutes (the top bar turns to the role's
 * colour with a countdown), then re-runs the action after the person types
 * `confirmText`.
 *
 * Props:
 * - denied: ActionResult<unknown> | null. The refused result of the action. Renders
 *   nothing unless it is a refusal with code "AccessDenied".
 * - confirmText: string. What the person must type before the retry (the bucket name).
 * - retry: () => Promise<ActionResult<unknown>>. A server action that re-runs the
 *   refused action; bind its input, e.g. `deleteObjectAction.bind(null, { bucket, key })`.
 *   It runs as the elevated session.
 * - actionLabel?: string. The retry button's label (default "Retry as elevated role").
 * - what?: React.ReactNode. Names what the retry changes, e.g. "the object tmp/notes.txt".
 * - account?: string. The 12-digit account to elevate in (default: the account the console acts in).
 * - onDone?: (result) => void. Called with the retry's successful result (client parents only).
 * - onElevated?: (elevated) => void. Called when the role is assumed (true) and dropped (false), so the
 *   parent can clear the refusal it shows: the new step's result replaces the old one.
 *
 * Server actions it uses: elevationOfferAction, elevateAction, dropElevationAction (lib/actions/elevation.ts).
 */
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useState, useTransition } from "react";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/action-result";
import { dropElevationAction, elevateAction, elevationOfferAction, type ElevationOffer } from "@/lib/actions/elevation";

export interface ElevateAndRetryProps {
  denied: ActionResult<unknown> | null | undefined;
  confirmText: string;
  retry: () => Promise<ActionResult<unknown>>;
  actionLabel?: string;
  what?: React.ReactNode;
  account?: string;
  onDone?: (result: ActionResult<unknown>) => void;
  onElevated?: (elevated: boolean) => void;
}

/** AWS's AssumeRole answer to a wrong or already used MFA code. */
const MFA_CODE_REFUSED = /MultiFactorAuthentication failed/;

type Step = "offer" | "code" | "confirm" | "done";

/** My security credentials with the "Assign MFA device" form already open, and a way back here. */
const assignMfaHref = (back: string) => `/iam/security-credentials?${new URLSearchParams({ assign: "mfa", back })}`;

export function ElevateAndRetry({ denied, confirmText, retry, actionLabel = "Retry as elevated role", what, account, onDone, onElevated }: ElevateAndRetryProps) {
  const router = useRouter();
  const titleId = useId();
  const refusedForAccess = Boolean(denied && !denied.ok && denied.error.code === "AccessDenied");
  const [offer, setOffer] = useState<ElevationOffer | null>(null);
  const [step, setStep] = useState<Step>("offer");
  const [code, setCode] = useState("");
  const [typed, setTyped] = useState("");
  const [elevation, setElevation] = useState<ActionResult<unknown> | null>(null);
  const [outcome, setOutcome] = useState<ActionResult<unknown> | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    if (!refusedForAccess) return;
    let live = true;
    elevationOfferAction({ account }).then((r) => live && r.ok && setOffer(r.data));
    return () => {
      live = false;
    };
  }, [refusedForAccess, account]);

  if (!refusedForAccess || !offer || (!offer.available && step === "offer")) return null;

  const assume = () =>
    startTransition(async () => {
      const r = await elevateAction({ account: offer.accountId, tokenCode: code });
      setElevation(r);
      if (r.ok) {
        setCode("");
        setStep("confirm");
        onElevated?.(true);
        router.refresh();
      }
    });

  const runRetry = () =>
    startTransition(async () => {
      const r = await retry();
      setOutcome(r);
      if (r.ok) {
        setStep("done");
        onDone?.(r);
        router.refresh();
      }
    });

  const drop = () =>
    startTransition(async () => {
      await dropElevationAction();
      setStep("offer");
      setElevation(null);
      setOutcome(null);
      setTyped("");
      onElevated?.(false);
      router.refresh();
    });

  return (
    <section aria-labelledby={titleId} className="mt-3 flex flex-col gap-3 rounded border border-violet-400 bg-violet-50 p-4 dark:border-violet-800 dark:bg-violet-950">
      <h2 id={titleId} className="font-semibold">
        Elevated access: {offer.roleName}
      </h2>
      {step === "offer" && !offer.canElevate && <CannotElevate offer={offer} />}
      {step === "offer" && offer.canElevate && offer.hasMfa === false && <NoMfaDevice roleName={offer.roleName} />}
      {step === "offer" && offer.canElevate && offer.hasMfa !== false && (
        <>
          <p>
            This action is reserved for the <strong>{offer.roleName}</strong> role. Assume it with a code from your MFA device for {offer.minutes} minutes, then
            retry.
          </p>
          <div>
            <Button onClick={() => setStep("code")}>Assume elevated role</Button>
          </div>
        </>
      )}
      {step === "code" &&
        (offer.hasMfa === false ? (
          <NoMfaDevice roleName={offer.roleName} />
        ) : (
          <form
            noValidate
            className="flex max-w-sm flex-col gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              assume();
            }}
          >
            <ResultBanner result={elevation} />
            {elevation && !elevation.ok && MFA_CODE_REFUSED.test(elevation.error.message) && (
              <p data-testid="mfa-code-hint" className="text-sm">
                Each code works once: if you have just used this one (to sign in, or a moment ago here), wait for your device to show the next
                code and enter that.
              </p>
            )}
            <Field
              label="MFA code"
              name="tokenCode"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              rule="The 6-digit code your MFA device shows now; each code works once"
              errors={elevation && !elevation.ok ? elevation.fieldErrors?.tokenCode : undefined}
              autoFocus
            />
            <div className="flex gap-2">
              <Button type="submit" disabled={pending}>
                {pending ? "Assuming…" : "Assume role"}
              </Button>
              <Button variant="secondary" onClick={() => setStep("offer")}>
                Cancel
              </Button>
            </div>
          </form>
        ))}
      {step === "confirm" && (
        <form
          noValidate
          className="flex max-w-md flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            runRetry();
          }}
        >
          <Banner kind="success">You are now acting as {offer.roleName}, for {offer.minutes} minutes at most.</Banner>
          <ResultBanner result={outcome} />
          {what && <p>This will change {what}.</p>}
          <Field label={`To confirm, type ${confirmText}`} name="confirm" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={pending || typed !== confirmText}>
              {pending ? "Working…" : actionLabel}
            </Button>
            <Button variant="secondary" onClick={drop} disabled={pending}>
              Drop elevation
            </Button>
          </div>
        </form>
      )}
      {step === "done" && (
        <div className="flex flex-col gap-2">
          <ResultBanner result={outcome} success={<>Done as {offer.roleName}.</>} />
          <div>
            <Button variant="secondary" onClick={drop} disabled={pending}>
              Drop elevation
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Elevation needs a code from the caller's own MFA device: without one, say so and go straight to assigning one. */
function NoMfaDevice({ roleName }: { roleName: string }) {
  const back = usePathname();
  return (
    <Banner kind="info">
      You have no MFA device, and {roleName} trusts only MFA-authenticated sessions.{" "}
      <Link href={assignMfaHref(back)} className="font-medium underline">
        Assign an MFA device
      </Link>{" "}
      (My security credentials), then come back and assume the role with a code from it.
    </Banner>
  );
}

/** The gate says the caller could not assume the role even with MFA: no offer, but why, and who can. */
function CannotElevate({ offer }: { offer: ElevationOffer }) {
  const names = offer.whoCan?.userNames ?? [];
  return (
    <Banner kind="info">
      <span data-testid="cannot-elevate">
        You cannot assume {offer.roleName}, even with MFA: sts:AssumeRole is denied {offer.whyNot ?? "to you"}.{" "}
        {offer.whoCan === null || offer.whoCan === undefined ? (
          <>Ask an administrator of account {offer.accountId} to do this, or to let you assume {offer.roleName}.</>
        ) : names.length === 0 ? (
          <>No user of this account may assume it: ask an administrator to do this.</>
        ) : (
          <>
            Who can, with MFA: {names.join(", ")}
            {offer.whoCan.more ? " and perhaps others" : ""}. Ask one of them to do this.
          </>
        )}
      </span>
    </Banner>
  );
}
