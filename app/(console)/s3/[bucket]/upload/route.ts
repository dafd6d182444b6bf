// The console's upload door: one file per request, the raw bytes as the body,
// the key in ?key=. A route handler because server actions do not report upload
// progress; it runs the same PutObject operation (gate + audit) as every door.
import { NextResponse, type NextRequest } from "next/server";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { currentPrincipal } from "@/lib/auth/current";
import { NOT_SIGNED_IN, toFailure } from "@/lib/actions/define-action";
import { env } from "@/lib/env";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { putObject } from "@/lib/s3/objects";

/**
 * Reads at most `limit` bytes of the body: a larger upload is cut there, so
 * PutObject still sees "more than the limit" and refuses it with EntityTooLarge
 * (audited), without the server holding the whole file.
 */
async function readCapped(req: NextRequest, limit: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

export async function POST(req: NextRequest, { params }: { params: Promise<{ bucket: string }> }) {
  const { bucket } = await params;
  const principal = await currentPrincipal();
  if (!principal) return NextResponse.json(NOT_SIGNED_IN, { status: 401 });
  const key = req.nextUrl.searchParams.get("key") ?? "";
  const maxBytes = env().IAMLAB_MAX_CONSOLE_OBJECT_BYTES;
  try {
    const body = await readCapped(req, maxBytes + 1);
    const data = await runOperation({
      ...putObject(principal, { bucket, key, body, contentType: req.headers.get("content-type") ?? undefined, maxBytes }),
      principal,
      request: await consoleRequestInfo(),
    });
    return NextResponse.json({ ok: true, data });
  } catch (err) {
    return NextResponse.json(toFailure(err), { status: err instanceof IamError ? err.status : 500 });
  }
}
