// For integration tests: the API handler on a random loopback port against the
// test file's own database, and fresh access keys issued through the catalogue.
import http from "node:http";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { AddressInfo } from "node:net";
import { IAM } from "@/lib/iam/catalogue";
import { runOperation } from "@/lib/iam/operation";
import { asRoot, DEV, testRequest } from "@/lib/testing/principals";
import { createApiHandler, type ApiHandlerOptions } from "./handler";

export interface TestApi {
  endpoint: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export async function startTestApi(options: ApiHandlerOptions = {}): Promise<TestApi> {
  const server = http.createServer(createApiHandler(options));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A new access key of `userName` (or the account's root user), created by the account's root. */
export async function issueKey(userName: string | undefined, accountId: string = DEV): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const root = asRoot(accountId);
  const input = IAM.CreateAccessKey.input.parse({ userName });
  const key = (await runOperation({ ...IAM.CreateAccessKey.operation(input, root), principal: root, request: testRequest() })) as { accessKeyId: string; secretAccessKey: string };
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

export type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** SDK v3 clients for the test API: one attempt, so a refusal is seen as it is. */
export const sdkClients = (api: TestApi) => ({
  iam: (credentials: Creds) => new IAMClient({ endpoint: api.endpoint, region: "us-east-1", credentials, maxAttempts: 1 }),
  sts: (credentials: Creds) => new STSClient({ endpoint: api.endpoint, region: "us-east-1", credentials, maxAttempts: 1 }),
});

/** The AWS error an SDK call failed with: code, HTTP status, message. */
export async function sdkFailure(p: Promise<unknown>): Promise<{ code: string; status?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    // The code on the wire (the SDK names modelled errors after their shape: InvalidAuthenticationCodeException).
    const e = err as { name: string; message: string; Code?: string; Error?: { Code?: string }; $metadata?: { httpStatusCode?: number } };
    return { code: e.Error?.Code ?? e.Code ?? e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error("expected the call to fail");
}
