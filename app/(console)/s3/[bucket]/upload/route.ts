// The console's upload door: one file per request, the raw bytes as the body,
// the key in ?key=. A route handler because server actions do not report upload
// progress; it runs the same PutObject operation (gate + audit) as every door.
import { NextResponse, type NextRequest } from "next/server";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { currentPrincipal } from "@/lib/auth/current";
import { FOREIGN_ORIGIN_MESSAGE, isForeignOrigin } from "@/lib/auth/origin";
import { failure } from "@/lib/actions/action-result";
import { NOT_SIGNED_IN, toFailure } from "@/lib/actions/define-action";
import { env } from "@/lib/env";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { putObject } from "@/lib/s3/objects";
import { readUploadBody } from "@/lib/s3/read-body";

export async function POST(req: NextRequest, { params }: { params: Promise<{ bucket: string }> }) {
  // Another site's page must not upload with the signed-in person's cookie: refused as server actions are.
  if (isForeignOrigin(req.headers)) return NextResponse.json(failure(new IamError("AccessDenied", FOREIGN_ORIGIN_MESSAGE)), { status: 403 });
  const { bucket } = await params;
  const principal = await currentPrincipal();
  if (!principal) return NextResponse.json(NOT_SIGNED_IN, { status: 401 });
  const key = req.nextUrl.searchParams.get("key") ?? "";
  const maxBytes = env().IAMLAB_MAX_CONSOLE_OBJECT_BYTES;
  try {
    const body = await readUploadBody(req, maxBytes);
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
