// The live policy stream's Server-Sent Events (lib/audit/live-stream.ts):
// opened through the pipeline (cloudtrail:LookupEvents, gated and audited),
// then new events of the caller's account as they are recorded, by any server.
import type { NextRequest } from "next/server";
import { downloadCaller, downloadFailure } from "@/lib/actions/download";
import { LiveFeed, liveEventStream, liveFilterOf, openLiveStream } from "@/lib/audit/live-stream";
import { signedInIdentity } from "@/lib/auth/current";
import { isLiveSession } from "@/lib/auth/console-sessions";
import { db, type Tx } from "@/lib/db/client";
import { assertAuthorized } from "@/lib/iam/authorize";
import { runOperation } from "@/lib/iam/operation";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  try {
    const [{ principal, request }, identity] = await Promise.all([downloadCaller(), signedInIdentity()]);
    const filter = liveFilterOf(req.nextUrl.searchParams);
    await runOperation({ ...openLiveStream(principal, filter), principal, request });
    const tx = () => db() as unknown as Tx;
    // A reconnect resumes after the last event the browser got.
    const lastId = req.headers.get("last-event-id")?.slice(0, 64);
    const last = lastId ? await db().auditEvent.findFirst({ where: { id: lastId, recipientAccountId: principal.accountId }, select: { id: true, eventTime: true } }) : null;
    const feed = new LiveFeed(principal.accountId, filter, last?.eventTime ?? new Date(), last ? [last.id] : []);
    const stillAllowed = async () => {
      if (identity && !(await isLiveSession(identity))) return false;
      if (principal.type === "AssumedRole" && principal.expiresAt <= new Date()) return false;
      return assertAuthorized(tx(), { principal, request, action: "cloudtrail:LookupEvents", resource: { arn: "*" } }).then(
        () => true,
        () => false,
      );
    };
    return new Response(liveEventStream({ feed, tx, stillAllowed }), {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        // no-transform: never compressed, so each event leaves at once.
        "Cache-Control": "private, no-cache, no-store, no-transform",
        "X-Accel-Buffering": "no",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (err) {
    return downloadFailure(err);
  }
}
