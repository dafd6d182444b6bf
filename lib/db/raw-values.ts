// Values of a raw query ($queryRaw), as either database hands them back:
// SQLite gives booleans as 0/1 (maybe a bigint), dates as text or epoch
// milliseconds, and integers as bigint; PostgreSQL gives booleans, Dates and
// numbers. Model queries convert these themselves; raw ones read them here.

/** A boolean column (or a 0/1 expression such as CASE ... THEN 1 ELSE 0). */
export const rawBoolean = (v: unknown): boolean => v === true || v === 1 || v === BigInt(1) || v === "1";

/** A date column. */
export const rawDate = (v: Date | string | number): Date => (v instanceof Date ? v : new Date(typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v));

/** An integer column. */
export const rawNumber = (v: number | bigint): number => Number(v);
