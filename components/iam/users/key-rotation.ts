// The guided access key rotation's step, derived from the keys' own states (never
// from state kept in the browser), so a reload or another tab resumes it.
//
//   one active key                -> nothing in progress (Rotate starts at step 1)
//   two active keys               -> step 2: move programs to the newer key, deactivate the older
//   one inactive, one active key  -> step 3: check nothing uses the inactive key, delete it
//   two inactive keys             -> nothing to guide

export interface RotationKey {
  accessKeyId: string;
  status: string;
  createDate: Date | string;
}

export type RotationStep =
  /** Create the new key (the rotated key is the only one). */
  | { step: 1; oldKeyId: string }
  /** Both slots are taken by the other, inactive key: it must go first. */
  | { step: "blocked"; oldKeyId: string; otherKeyId: string }
  /** The new key exists and both are active: deactivate the old one. */
  | { step: 2; oldKeyId: string; newKeyId: string }
  /** The old key is inactive: delete it once nothing uses it. */
  | { step: 3; oldKeyId: string; newKeyId: string };

const time = (d: Date | string) => new Date(d).getTime();

/** The rotation the keys show to be under way, or null: what the page opens on. */
export function rotationInProgress(keys: RotationKey[]): RotationStep | null {
  if (keys.length !== 2) return null;
  const inactive = keys.filter((k) => k.status !== "Active");
  if (inactive.length === 2) return null;
  if (inactive.length === 1) return rotationOf(keys, inactive[0].accessKeyId);
  const [older] = [...keys].sort((a, b) => time(a.createDate) - time(b.createDate));
  return rotationOf(keys, older.accessKeyId);
}

/** The step of rotating away from `oldKeyId` (the key a Rotate button named), or null when it is gone. */
export function rotationOf(keys: RotationKey[], oldKeyId: string): RotationStep | null {
  const old = keys.find((k) => k.accessKeyId === oldKeyId);
  if (!old) return null;
  const other = keys.find((k) => k.accessKeyId !== oldKeyId);
  if (!other) return { step: 1, oldKeyId };
  if (old.status !== "Active") return { step: 3, oldKeyId, newKeyId: other.accessKeyId };
  if (other.status !== "Active") return { step: "blocked", oldKeyId, otherKeyId: other.accessKeyId };
  return { step: 2, oldKeyId, newKeyId: other.accessKeyId };
}
