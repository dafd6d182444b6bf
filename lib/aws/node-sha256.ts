// For tests and benches that sign requests with @smithy/signature-v4: the hash
// and HMAC it asks for (its `sha256` option), from node:crypto.
import crypto from "node:crypto";

export class NodeSha256 {
  private readonly h: crypto.Hash | crypto.Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined ? undefined : typeof secret === "string" ? secret : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    this.h = key ? crypto.createHmac("sha256", key) : crypto.createHash("sha256");
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {}
}
