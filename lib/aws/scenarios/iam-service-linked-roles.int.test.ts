// Service-linked roles with the AWS SDK for JavaScript v3 against the API
// handler on a loopback port and this file's own database: AWS's name and
// path, the trust in the service, custom suffixes only where allowed, deletion
// with a task ID whose status is read back, and the refusals.
import {
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
const iam = () => sdkClients(api).iam(admin);

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

describe("service-linked roles", () => {
  it("creates the service's role at AWS's path trusting the service; a second is refused; a suffix only where allowed", async () => {
    const role = (await iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "elasticbeanstalk.amazonaws.com", Description: "EB" }))).Role!;
    expect(role).toMatchObject({ RoleName: "AWSServiceRoleForElasticBeanstalk", Path: "/aws-service-role/elasticbeanstalk.amazonaws.com/", Description: "EB" });
    expect(role.Arn).toBe(`arn:aws:iam::${DEV}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`);
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: ["elasticbeanstalk.amazonaws.com"] });
    expect(await sdkFailure(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "elasticbeanstalk.amazonaws.com" })))).toMatchObject({ code: "InvalidInput", status: 400 });
    expect(await sdkFailure(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "elasticbeanstalk.amazonaws.com", CustomSuffix: "x" })))).toMatchObject({ code: "InvalidInput" });
    const suffixed = (await iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "autoscaling.amazonaws.com", CustomSuffix: "web" }))).Role!;
    expect(suffixed.RoleName).toBe("AWSServiceRoleForAutoScaling_web");
    expect(await sdkFailure(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "nothing.example.com" })))).toMatchObject({ code: "InvalidInput" });
  });

  it("deletes one with a task ID whose status is SUCCEEDED; an ordinary role and unknown tasks are refused", async () => {
    const task = (await iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: "AWSServiceRoleForAutoScaling_web" }))).DeletionTaskId!;
    expect(task).toMatch(/^task\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling_web\/[0-9a-f-]{36}$/);
    expect((await iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: task }))).Status).toBe("SUCCEEDED");
    expect(await sdkFailure(iam().send(new GetRoleCommand({ RoleName: "AWSServiceRoleForAutoScaling_web" })))).toMatchObject({ code: "NoSuchEntity" });
    const forged = task.replace(/[0-9a-f-]{36}$/, "00000000-0000-0000-0000-000000000000");
    expect(await sdkFailure(iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: forged })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    await iam().send(new CreateRoleCommand({ RoleName: "plain-role", AssumeRolePolicyDocument: trust }));
    expect(await sdkFailure(iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: "plain-role" })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect((await iam().send(new GetRoleCommand({ RoleName: "plain-role" }))).Role!.RoleName).toBe("plain-role");
  });
});
