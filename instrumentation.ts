// Next.js calls register() once when a server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("@/lib/db/bootstrap");
  try {
    await bootstrap();
    // The labs are files: a malformed one stops the start with its path and the rule that failed.
    const { labs } = await import("@/lib/labs/catalogue");
    labs();
    // Object bodies a crashed write left behind are removed in the background (lib/s3/blob-sweep.ts).
    (await import("@/lib/s3/blob-sweep")).startBlobSweeper();
  } catch (err) {
    // Next only logs a failing register() and goes on listening, answering every
    // request with a 500: a server that cannot run on this database (keys that are
    // not the installation's, a failed migration) must not start at all.
    console.error((err as Error)?.message ?? err);
    process.exit(1);
  }
}
