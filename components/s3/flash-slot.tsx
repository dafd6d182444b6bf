"use client";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";

const SLOT_ID = "s3-flash";

/** Where the header's actions report their results: a full-width row under the page header. */
export function FlashSlot() {
  return <div id={SLOT_ID} className="mb-4 flex flex-col gap-2 empty:hidden" />;
}

/** Renders its children in the page's FlashSlot (in place when the page has none). */
export function InFlashSlot({ children }: { children: React.ReactNode }) {
  const [slot, setSlot] = useState<HTMLElement | null>(null);
  useEffect(() => setSlot(document.getElementById(SLOT_ID)), []);
  return slot ? createPortal(children, slot) : <>{children}</>;
}
