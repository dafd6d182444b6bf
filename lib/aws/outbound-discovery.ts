import "server-only";
// The OpenID Connect discovery endpoints of the accounts' outbound web identity
// federation issuers (https://<id>.tokens.sts.global.api.aws, see
// lib/iam/services/outbound-web-identity-federation.ts), served by the API
// endpoint for requests whose Host is an issuer's: /.well-known/openid-configuration
// and /.well-known/jwks.json, public and unsigned, as AWS serves them. Whoever
// receives a token from sts:GetWebIdentityToken verifies it with these keys
// (point the issuer's host name at the endpoint, or send its Host header).
import type http from "node:http";
import { db, type Tx } from "@/lib/db/client";
import { issuerConfiguration, issuerIdOfHost, issuerJwks } from "@/lib/iam/services/outbound-web-identity-federation";

const DOCUMENTS: Record<string, (tx: Tx, issuerId: string) => Promise<object | null>> = {
  "/.well-known/openid-configuration": issuerConfiguration,
  "/.well-known/jwks.json": issuerJwks,
};

function reply(res: http.ServerResponse, requestId: string, status: number, body: unknown, head: boolean, extra: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": status === 200 ? "public, max-age=300" : "no-store",
    "x-amzn-requestid": requestId,
    ...extra,
  });
  res.end(head ? undefined : text);
}

/** Answers the request when its Host is an issuer's (true), else leaves it to the services (false). */
export async function serveIssuerDiscovery(req: http.IncomingMessage, res: http.ServerResponse, path: string, requestId: string): Promise<boolean> {
  const issuerId = issuerIdOfHost(req.headers.host);
  if (!issuerId) return false;
  req.resume();
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) {
    reply(res, requestId, 405, { message: "Method Not Allowed" }, false, { allow: "GET, HEAD" });
    return true;
  }
  const load = DOCUMENTS[path];
  const document = load ? await load(db(), issuerId) : null;
  if (!document) reply(res, requestId, 404, { message: "Not Found" }, head);
  else reply(res, requestId, 200, document, head);
  return true;
}
