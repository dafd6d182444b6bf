// Encoded authorization messages: EC2's denial (UnauthorizedOperation) carries
// one, and sts:DecodeAuthorizationMessage opens it (AWS SDK v3, against the
// API handler and this file's own database) for a caller of the same account
// allowed to, with AWS's JSON members; others get AWS's refusals.
import { CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { DecodeAuthorizationMessageCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EC2 } from "@/lib/iam/catalogue";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { asUser, DEV, PROD, testRequest } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
const sts = (c: Creds) => sdkClients(api).sts(c);

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  const iam = sdkClients(api).iam(admin);
  await iam.send(new CreateUserCommand({ UserName: "launcher" }));
  await iam.send(new CreateUserCommand({ UserName: "decoder" }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: "decoder",
      PolicyName: "decode",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:DecodeAuthorizationMessage", Resource: "*" }] }),
    }),
  );
});
afterAll(() => api.close());

async function deniedLaunch(): Promise<IamError> {
  const launcher = await asUser("launcher");
  const input = EC2.RunInstances.input.parse({ imageId: "ami-0c02fb55956c7d316", instanceType: "t3.micro", minCount: 1, maxCount: 1 });
  try {
    await runOperation({ ...EC2.RunInstances.operation(input, launcher), principal: launcher, request: testRequest() });
  } catch (err) {
    return err as IamError;
  }
  throw new Error("expected RunInstances to be denied");
}

describe("DecodeAuthorizationMessage", () => {
  it("decodes the message of an EC2 denial for a caller of the account allowed to", async () => {
    const err = await deniedLaunch();
    expect(err.code).toBe("UnauthorizedOperation");
    expect(err.status).toBe(403);
    expect(err.message).toMatch(
      new RegExp(`^You are not authorized to perform this operation\\. User: arn:aws:iam::${DEV}:user/launcher is not authorized to perform: ec2:RunInstances on resource: .+ Encoded authorization failure message: (\\S+)$`),
    );
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(err.message)![1]!;
    const decoder = await issueKey("decoder");
    const out = await sts(decoder).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
    const decoded = JSON.parse(out.DecodedMessage!);
    expect(decoded).toMatchObject({
      allowed: false,
      explicitDeny: false,
      matchedStatements: { items: [] },
      context: { principal: { arn: `arn:aws:iam::${DEV}:user/launcher`, name: "launcher" }, action: "ec2:RunInstances" },
    });
    expect(decoded.context.conditions.items).toEqual(expect.arrayContaining([{ key: "ec2:InstanceType", values: { items: [{ value: "t3.micro" }] } }]));
  });

  it("refuses callers without the permission, other accounts and altered messages, with AWS's codes", async () => {
    const encoded = /Encoded authorization failure message: (\S+)$/.exec((await deniedLaunch()).message)![1]!;
    const launcher = await issueKey("launcher");
    const denied = await sdkFailure(sts(launcher).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })));
    expect(denied).toMatchObject({ code: "AccessDenied", status: 403, message: expect.stringContaining("is not authorized to perform: sts:DecodeAuthorizationMessage") });
    const invalid = { code: "InvalidAuthorizationMessageException", status: 400 };
    const decoder = await issueKey("decoder");
    expect(await sdkFailure(sts(decoder).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: "garbage" })))).toMatchObject(invalid);
    const altered = encoded.slice(0, -6) + (encoded.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
    expect(await sdkFailure(sts(decoder).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: altered })))).toMatchObject(invalid);
    const prodRoot = await issueKey(undefined, PROD);
    expect(await sdkFailure(sts(prodRoot).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })))).toMatchObject(invalid);
  });
});
