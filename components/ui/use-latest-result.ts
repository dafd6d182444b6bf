"use client";
// One result on a page at a time: a form's banner stays only until another form
// on the page reports a newer result, so old refusals never pile up above new
// ones (three red boxes from three earlier attempts).
import { useEffect, useState } from "react";

const EVENT = "iamlab:latest-result";
let counter = 0;

/** True while `result` (a form's last result, or null) is the newest any form on the page has reported. */
export function useLatestResult(result: unknown): boolean {
  const [mine, setMine] = useState(0);
  const [latest, setLatest] = useState(0);
  useEffect(() => {
    const on = (e: Event) => setLatest((e as CustomEvent<number>).detail);
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, []);
  useEffect(() => {
    if (!result) return;
    const stamp = ++counter;
    setMine(stamp);
    window.dispatchEvent(new CustomEvent(EVENT, { detail: stamp }));
  }, [result]);
  return mine !== 0 && mine === latest;
}
