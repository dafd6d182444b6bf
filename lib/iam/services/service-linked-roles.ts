import "server-only";
// Service-linked roles: roles an AWS service owns, at AWS's path
// /aws-service-role/SERVICE/ with AWS's name for the service (a custom suffix
// only where the service allows several), trusting that service. Deletion
// removes the role with its policies at once and answers a deletion task ID;
// its status is read back from the audit record of that deletion, so a task
// ID that no deletion in this account answered is unknown.
import crypto from "node:crypto";
import { z } from "zod";
import { newUniqueId } from "@/lib/crypto/ids";
import { roleArn } from "@/lib/iam/arn";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { awsString, roleName, validationMessage } from "@/lib/iam/validation";
import { findRole, requireRole } from "./common";

/** The services IAM Lab knows, with the role name AWS gives each, and whether a custom suffix is allowed. */
const SERVICES: Record<string, { name: string; suffix: boolean }> = {
  "autoscaling.amazonaws.com": { name: "AWSServiceRoleForAutoScaling", suffix: true },
  "elasticbeanstalk.amazonaws.com": { name: "AWSServiceRoleForElasticBeanstalk", suffix: false },
  "ecs.amazonaws.com": { name: "AWSServiceRoleForECS", suffix: false },
  "elasticloadbalancing.amazonaws.com": { name: "AWSServiceRoleForElasticLoadBalancing", suffix: false },
  "rds.amazonaws.com": { name: "AWSServiceRoleForRDS", suffix: false },
  "organizations.amazonaws.com": { name: "AWSServiceRoleForOrganizations", suffix: false },
  "support.amazonaws.com": { name: "AWSServiceRoleForSupport", suffix: false },
  "trustedadvisor.amazonaws.com": { name: "AWSServiceRoleForTrustedAdvisor", suffix: false },
  "lambda.amazonaws.com": { name: "AWSServiceRoleForLambda", suffix: false },
  "cloudtrail.amazonaws.com": { name: "AWSServiceRoleForCloudTrail", suffix: false },
  "config.amazonaws.com": { name: "AWSServiceRoleForConfig", suffix: false },
  "sso.amazonaws.com": { name: "AWSServiceRoleForSSO", suffix: false },
};

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
export const CreateServiceLinkedRoleInput = z.object({
  aWSServiceName: awsString("aWSServiceName", { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" }),
  description: optional(awsString("description", { max: 1000, pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/ })),
  customSuffix: optional(awsString("customSuffix", { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" })),
});
export const DeleteServiceLinkedRoleInput = z.object({ roleName });
export const DeletionStatusInput = z.object({ deletionTaskId: awsString("deletionTaskId", { min: 1, max: 1000 }) });

const pathFor = (service: string) => `/aws-service-role/${service}/`;

function nameFor(service: string, suffix: string | undefined): string {
  const known = SERVICES[service];
  if (!known) throw new IamError("InvalidInput", `Service name ${service} does not have service-linked roles in IAM Lab (known: ${Object.keys(SERVICES).join(", ")}).`);
  if (suffix && !known.suffix) throw new IamError("InvalidInput", `Custom suffix is not allowed for ${service}`);
  return suffix ? `${known.name}_${suffix}` : known.name;
}

export function createServiceLinkedRole(principal: Principal, input: z.output<typeof CreateServiceLinkedRoleInput>): OperationSpec<{ role: Record<string, unknown> }> {
  const service = input.aWSServiceName;
  const name = SERVICES[service] ? (SERVICES[service]!.name + (input.customSuffix ? `_${input.customSuffix}` : "")) : service;
  const arn = roleArn(principal.accountId, pathFor(service), name);
  return {
    service: "iam",
    name: "CreateServiceLinkedRole",
    readOnly: false,
    resource: { arn },
    context: { "iam:AWSServiceName": service },
    parameters: input,
    async run({ tx }) {
      const roleNameValue = nameFor(service, input.customSuffix);
      if (await findRole(tx, principal.accountId, roleNameValue)) {
        throw new IamError("InvalidInput", `Service role name ${roleNameValue} has been taken in this account, please try a different suffix.`);
      }
      const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: [service] }, Action: ["sts:AssumeRole"] }] });
      const role = await tx.role.create({
        data: {
          id: newUniqueId("AROA"),
          accountId: principal.accountId,
          name: roleNameValue,
          nameLower: roleNameValue.toLowerCase(),
          path: pathFor(service),
          arn,
          description: input.description ?? "",
          trustPolicy: trust,
        },
      });
      return {
        role: {
          path: role.path,
          roleName: role.name,
          roleId: role.id,
          arn: role.arn,
          createDate: role.createdAt,
          assumeRolePolicyDocument: role.trustPolicy,
          ...(role.description ? { description: role.description } : {}),
          maxSessionDuration: role.maxSessionDuration,
        },
      };
    },
    response: (d) => ({ role: { roleName: d.role.roleName, arn: d.role.arn } }),
  };
}

export function deleteServiceLinkedRole(principal: Principal, input: z.output<typeof DeleteServiceLinkedRoleInput>): OperationSpec<{ deletionTaskId: string }> {
  return {
    service: "iam",
    name: "DeleteServiceLinkedRole",
    readOnly: false,
    resource: async (tx) => ({ arn: (await findRole(tx, principal.accountId, input.roleName))?.arn ?? roleArn(principal.accountId, "/", input.roleName) }),
    parameters: input,
    async run({ tx }) {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      const service = /^\/aws-service-role\/([^/]+)\/$/.exec(role.path)?.[1];
      // AWS's model declares NoSuchEntity here: there is no service-linked role of that name.
      if (!service) throw noSuchEntity(`The service-linked role ${role.name} cannot be found: ${role.name} is not a service-linked role (delete it with DeleteRole).`);
      await tx.role.delete({ where: { id: role.id } });
      await tx.tag.deleteMany({ where: { resourceArn: role.arn } });
      return { deletionTaskId: `task/aws-service-role/${service}/${role.name}/${crypto.randomUUID()}` };
    },
    response: (d) => d,
  };
}

export function getServiceLinkedRoleDeletionStatus(principal: Principal, input: z.output<typeof DeletionStatusInput>): OperationSpec<{ status: string }> {
  return {
    service: "iam",
    name: "GetServiceLinkedRoleDeletionStatus",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      if (!/^task\/aws-service-role\/[^/]+\/[\w+=,.@-]+\/[0-9a-f-]{36}$/.test(input.deletionTaskId)) {
        throw new IamError("ValidationError", validationMessage("deletionTaskId", input.deletionTaskId, "Member must be a deletion task ID returned by DeleteServiceLinkedRole"));
      }
      const done = await tx.auditEvent.findFirst({
        where: { recipientAccountId: principal.accountId, eventName: "DeleteServiceLinkedRole", responseElements: { contains: input.deletionTaskId } },
        select: { id: true },
      });
      if (!done) throw noSuchEntity(`Deletion task ${input.deletionTaskId} cannot be found.`);
      // Deletion happens in the request's transaction: a recorded task has succeeded.
      return { status: "SUCCEEDED" };
    },
  };
}
