// Prints a fresh access key of a demo identity as shell lines, for the AWS CLI
// and SDKs against IAM Lab's API endpoint:
//   eval "$(npm run -s aws:credentials -- alice)"          # alice in dev
//   eval "$(npm run -s aws:credentials -- admin prod)"     # account by name, alias or ID
//   eval "$(npm run -s aws:credentials -- root staging)"   # the account's root user
// The key is created through the catalogue's CreateAccessKey (gated and
// audited, performed by the account's root user), so AWS's rules hold: a user
// with two keys already is refused (LimitExceeded). Honours IAMLAB_DATA_DIR /
// DATABASE_URL like the server, and IAMLAB_API_PORT for the endpoint printed.
import { bootstrap } from "../lib/db/bootstrap";
import { db } from "../lib/db/client";
import { DEMO_ACCOUNTS } from "../lib/db/seed/demo-identities";
import { env } from "../lib/env";
import { newRequestId } from "../lib/crypto/ids";
import { rootArn } from "../lib/iam/arn";
import { IAM } from "../lib/iam/catalogue";
import { IamError } from "../lib/iam/errors";
import { runOperation } from "../lib/iam/operation";
import type { RootPrincipal } from "../lib/iam/principal";

const [userArg, accountArg = "dev"] = process.argv.slice(2).filter((a) => a !== "--");
if (!userArg || userArg === "-h" || userArg === "--help") {
  console.error("usage: npm run -s aws:credentials -- USER|root [ACCOUNT]   (ACCOUNT: name, alias or 12-digit ID; default dev)");
  console.error(`demo accounts: ${Object.values(DEMO_ACCOUNTS).map((a) => `${a.name} (${a.id})`).join(", ")}`);
  process.exit(2);
}

async function main() {
  const settings = env();
  await bootstrap();
  const wanted = accountArg.toLowerCase();
  const accounts = await db().account.findMany({ select: { id: true, name: true, alias: true, organizationId: true } });
  const account = accounts.find((a) => a.id === wanted || a.name.toLowerCase() === wanted || a.alias?.toLowerCase() === wanted);
  if (!account) throw new Error(`no account "${accountArg}" (known: ${accounts.map((a) => `${a.name} ${a.id}`).join(", ")})`);
  const root: RootPrincipal = { type: "Root", organizationId: account.organizationId, accountId: account.id, arn: rootArn(account.id), principalId: account.id, mfaAuthenticated: false };
  const input = IAM.CreateAccessKey.input.parse({ userName: userArg === "root" ? undefined : userArg });
  const request = { via: "api" as const, userAgent: "iamlab aws:credentials", secureTransport: true, region: settings.IAMLAB_REGION, requestId: newRequestId() };
  const key = (await runOperation({ ...IAM.CreateAccessKey.operation(input, root), principal: root, request })) as { accessKeyId: string; secretAccessKey: string };
  const port = settings.IAMLAB_API_PORT || 4566;
  const who = userArg === "root" ? `root user of ${account.name} (${account.id})` : `${userArg} in ${account.name} (${account.id})`;
  console.log(`# IAM Lab: a new access key of ${who}`);
  console.log(`export AWS_ACCESS_KEY_ID=${key.accessKeyId}`);
  console.log(`export AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}`);
  console.log("unset AWS_SESSION_TOKEN AWS_PROFILE");
  console.log(`export AWS_ENDPOINT_URL=http://127.0.0.1:${port}`);
  console.log(`export AWS_REGION=${settings.IAMLAB_REGION} AWS_DEFAULT_REGION=${settings.IAMLAB_REGION}`);
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(`aws:credentials: ${err instanceof IamError ? `${err.code}: ${err.message}` : (err as Error).message}`);
    process.exit(1);
  });
