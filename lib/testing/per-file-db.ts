// Vitest setupFile: gives the test file its own copy of the seeded template
// database, before any module opens a connection.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { TEST_AUTH_SECRET, TEST_MASTER_KEY } from "./constants";

const template = inject("dbTemplate");
const name = `t_${crypto.randomBytes(6).toString("hex")}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-file-"));
process.env.IAMLAB_DATA_DIR = dataDir;
// The seeded objects' bodies, which the template's rows refer to.
const templateBlobs = path.join(inject("dbTemplateDataDir"), "blobs");
if (fs.existsSync(templateBlobs)) fs.cpSync(templateBlobs, path.join(dataDir, "blobs"), { recursive: true });
process.env.IAMLAB_MASTER_KEY = TEST_MASTER_KEY;
process.env.AUTH_SECRET = TEST_AUTH_SECRET;

if (template.startsWith("postgres")) {
  const admin = new pg.Client({ connectionString: template.replace(/\/iamlab_template/, "/iamlab") });
  await admin.connect();
  // Concurrent copies of one template can collide: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE iamlab_template`);
      break;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 250));
    }
  }
  await admin.end();
  process.env.DATABASE_URL = template.replace(/\/iamlab_template/, `/${name}`);
} else {
  const file = path.join(dataDir, `${name}.db`);
  fs.copyFileSync(template.slice(5), file);
  process.env.DATABASE_URL = `file:${file}`;
}
