// Next.js calls register() once when a server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("@/lib/db/bootstrap");
  await bootstrap();
}
