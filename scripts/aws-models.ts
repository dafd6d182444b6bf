// Rewrites lib/aws/models/{iam,sts,s3}.json from the installed botocore's
// models (AWS's own API models, Apache-2.0). The server reads those copies;
// run this after upgrading botocore (models.test.ts says when):
//   npx tsx scripts/aws-models.ts
import fs from "node:fs";
import { botocoreDataDir, botocoreVersion, MODEL_SERVICES, modelFile, readBotocoreModel, serializeModel } from "../lib/aws/models/extract";

const dataDir = botocoreDataDir();
for (const service of MODEL_SERVICES) {
  const model = readBotocoreModel(dataDir, service) as { operations: Record<string, unknown> };
  fs.writeFileSync(modelFile(service), serializeModel(model));
  console.log(`${service}: ${Object.keys(model.operations).length} operations -> ${modelFile(service)}`);
}
console.log(`from botocore ${botocoreVersion()} (${dataDir})`);
