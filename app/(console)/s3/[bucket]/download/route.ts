// Download: the object's bytes through the GetObject operation (gate + audit),
// streamed from the blob store, with its Content-Type, ETag and Last-Modified,
// as an attachment.
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { currentPrincipal } from "@/lib/auth/current";
import { toFailure } from "@/lib/actions/define-action";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { s3ErrorXml } from "@/lib/s3/error-xml";
import { getObject } from "@/lib/s3/objects";

/** RFC 6266: an ASCII fallback name plus the exact name in UTF-8. */
function contentDisposition(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1) || "download";
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function GET(req: NextRequest, { params }: { params: Promise<{ bucket: string }> }) {
  const { bucket } = await params;
  const request = await consoleRequestInfo();
  const principal = await currentPrincipal();
  const key = req.nextUrl.searchParams.get("key") ?? "";
  try {
    if (!principal) throw new IamError("AccessDenied", "You are not signed in. Sign in to continue.");
    const o = await runOperation({ ...getObject(principal, { bucket, key }), principal, request });
    // Streamed from the blob store: the object is never read whole into memory.
    return new Response(Readable.toWeb(o.Body.stream()) as ReadableStream<Uint8Array>, {
      headers: {
        "Content-Type": o.ContentType,
        "Content-Length": String(o.ContentLength),
        "Content-Disposition": contentDisposition(key),
        ETag: o.ETag,
        "Last-Modified": o.LastModified.toUTCString(),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (err) {
    // S3's error document, with the code and message the console shows elsewhere.
    const failure = toFailure(err);
    const { code, message } = failure.ok ? { code: "InternalFailure", message: "" } : failure.error;
    return new Response(s3ErrorXml({ code, message, requestId: request.requestId }), {
      status: err instanceof IamError ? err.status : 500,
      headers: { "Content-Type": "application/xml" },
    });
  }
}
