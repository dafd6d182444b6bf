// The operation catalogue: every AWS operation IAM Lab serves, declared once,
// and the console's composites of them. Both doors bind from here
// (docs/architecture.md).
import type { Service } from "@/lib/iam/operation";
import { ACCESS_ANALYZER } from "./access-analyzer";
import { CLOUDTRAIL } from "./cloudtrail";
import { EC2 } from "./ec2";
import { IAM } from "./iam";
import type { CatalogueOperation } from "./operation";
import { S3 } from "./s3";
import { STS } from "./sts";

export { ACCESS_ANALYZER, CLOUDTRAIL, EC2, IAM, S3, STS };
export type { CatalogueComposite, CatalogueOperation } from "./operation";

const BY_SERVICE: Partial<Record<Service, Record<string, CatalogueOperation>>> = {
  iam: IAM as Record<string, CatalogueOperation>,
  sts: STS as Record<string, CatalogueOperation>,
  s3: S3 as Record<string, CatalogueOperation>,
  ec2: EC2 as Record<string, CatalogueOperation>,
  cloudtrail: CLOUDTRAIL as Record<string, CatalogueOperation>,
  "access-analyzer": ACCESS_ANALYZER as Record<string, CatalogueOperation>,
};

/** The operation `name` of `service`, as the API door looks it up (undefined: not served). */
export function findOperation(service: Service, name: string): CatalogueOperation | undefined {
  const ops = BY_SERVICE[service];
  return ops && Object.hasOwn(ops, name) ? ops[name] : undefined;
}

/** Every declared operation, for tests and coverage reports. */
export function allOperations(): CatalogueOperation[] {
  return Object.values(BY_SERVICE).flatMap((ops) => Object.values(ops ?? {}));
}
