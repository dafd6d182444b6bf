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
 * The body, read whole when it is within the limit. A body declared (or found)
 * larger is not kept: PutObject gets a body of limit + 1 bytes so that it
 * refuses with EntityTooLarge after the gate, audited like any refusal.
 * A body shorter than its Content-Length (cut by a proxy's body limit) is
 * refused here rather than stored truncated.
 */
async function readBody(req: NextRequest, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  const tooLarge = () => new Uint8Array(maxBytes + 1);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Past the limit the bytes are only drained, so the browser still gets the answer.
    if (size <= maxBytes && !(declared > maxBytes)) chunks.push(value);
  }
  if (declared > maxBytes || size > maxBytes) return tooLarge();
  if (Number.isFinite(declared) && size !== declared) {
    console.error(`upload body arrived incomplete (${size} of ${declared} bytes): is the proxy's body size limit below IAMLAB_MAX_CONSOLE_OBJECT_BYTES?`);
    throw new IamError("InternalFailure", `The upload arrived incomplete (${size} of ${declared} bytes), so nothing was stored. Try again; if it persists, tell the administrator.`);
  }
  return Buffer.concat(chunks);
}

export async function POST(req: NextRequest, { params }: { params: Promise<{ bucket: string }> }) {
  const { bucket } = await params;
  const principal = await currentPrincipal();
  if (!principal) return NextResponse.json(NOT_SIGNED_IN, { status: 401 });
  const key = req.nextUrl.searchParams.get("key") ?? "";
  const maxBytes = env().IAMLAB_MAX_CONSOLE_OBJECT_BYTES;
  try {
    const body = await readBody(req, maxBytes);
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
