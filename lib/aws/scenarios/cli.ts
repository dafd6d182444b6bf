// Runs the real AWS CLI (v1, the machine's) and boto3 against a test endpoint,
// isolated from the machine's own AWS configuration.
import { execFile } from "node:child_process";
import path from "node:path";

export type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type Env = Record<string, string | undefined>;

export function clientEnv(endpoint: string, creds: Creds): Env {
  const env: Env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_ENDPOINT_URL: endpoint,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_MAX_ATTEMPTS: "1",
    AWS_PAGER: "",
    PYTHONWARNINGS: "ignore",
  };
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
  return env;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], env: Env, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env: env as NodeJS.ProcessEnv, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `aws ARGS... --output json` with these credentials; JSON parsed when it succeeds. */
export async function aws(endpoint: string, creds: Creds, ...args: string[]): Promise<Run & { json?: any }> {
  const r = await run("aws", [...args, "--output", "json"], clientEnv(endpoint, creds));
  return { ...r, json: r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
}

export const scriptPath = (name: string) => path.join(import.meta.dirname, name);
