// Runs a query per slice of a long ID list and concatenates the rows: SQLite
// through Prisma refuses more than 999 bound parameters in one statement.
export const IN_LIST_LIMIT = 500;

export async function inChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length <= IN_LIST_LIMIT) return query(ids);
  const parts: T[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIST_LIMIT) parts.push(await query(ids.slice(i, i + IN_LIST_LIMIT)));
  return parts.flat();
}
