// The instance metadata listeners' entry for IAM Lab's Node server (lib/server/serve.ts).
import { allowServerOnlyImports } from "../server/server-only-hook";

export async function startInstanceMetadata() {
  allowServerOnlyImports();
  const { startImdsService } = await import("./imds-server");
  return startImdsService();
}
