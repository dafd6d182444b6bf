import { IamError } from "@/lib/iam/errors";

/**
 * The body, read whole when it is within the limit. A body declared (or found)
 * larger is not kept: PutObject gets a body of limit + 1 bytes so that it
 * refuses with EntityTooLarge after the gate, audited like any refusal.
 * A body shorter than its Content-Length (cut by a proxy's body limit) is
 * refused here rather than stored truncated.
 */
export async function readUploadBody(req: Request, maxBytes: number): Promise<Uint8Array> {
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
