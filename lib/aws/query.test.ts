// The Query codec against AWS's models: parameters into input structures,
// results into AWS's XML (picked by the output shape, any case), and a fuzz run
// of the decoder.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { adaptToSchema } from "./adapt";
import { AwsApiError } from "./errors";
import { MODELS } from "./models";
import { decodeInput, encodeError, encodeResponse, parseForm } from "./query";

const iam = MODELS.iam;
const sts = MODELS.sts;

describe("decoding Query parameters by the model", () => {
  it("builds lists of structures, scalars and numbers", () => {
    const params = parseForm("Action=CreateUser&UserName=a+b%21&Tags.member.2.Key=k2&Tags.member.1.Key=k1&Tags.member.1.Value=v1&Path=%2Fx%2F");
    expect(decodeInput(iam, "CreateUserRequest", params)).toEqual({ UserName: "a b!", Path: "/x/", Tags: [{ Key: "k1", Value: "v1" }, { Key: "k2" }] });
    expect(decodeInput(iam, "ListUsersRequest", parseForm("MaxItems=5&Marker=abc"))).toEqual({ MaxItems: 5, Marker: "abc" });
    expect(decodeInput(sts, "AssumeRoleRequest", parseForm("RoleArn=r&RoleSessionName=s&DurationSeconds=900&TransitiveTagKeys.member.1=a&PolicyArns.member.1.arn=p"))).toEqual({
      RoleArn: "r",
      RoleSessionName: "s",
      DurationSeconds: 900,
      TransitiveTagKeys: ["a"],
      PolicyArns: [{ arn: "p" }],
    });
    expect(decodeInput(iam, "UpdateAccountPasswordPolicyRequest", parseForm("RequireSymbols=true&HardExpiry=false"))).toEqual({ RequireSymbols: true, HardExpiry: false });
  });

  it("refuses malformed percent-encoding and absurd list indexes", () => {
    expect(() => parseForm("UserName=%zz")).toThrow(AwsApiError);
    expect(() => decodeInput(iam, "CreateUserRequest", parseForm("UserName=a&Tags.member.99999.Key=k"))).toThrow(/out of range/);
  });

  it("renames AWS's members to the catalogue schema's, ignoring case", () => {
    const schema = z.object({ userName: z.string(), tags: z.array(z.object({ key: z.string(), value: z.string() })).optional(), cursor: z.string().optional() });
    expect(adaptToSchema({ UserName: "a", Tags: [{ Key: "k", Value: "v" }], Marker: "m" }, schema)).toEqual({ userName: "a", tags: [{ key: "k", value: "v" }], cursor: "m" });
    const sts = z.object({ tags: z.preprocess((x) => x, z.array(z.object({ Key: z.string(), Value: z.string() })).optional()) });
    expect(adaptToSchema({ Tags: [{ Key: "k", Value: "v" }] }, sts)).toEqual({ tags: [{ Key: "k", Value: "v" }] });
  });

  it("fuzz: any parameters decode or fail with an AWS error", () => {
    const ops = Object.values(iam.operations).filter((o) => o.input);
    fc.assert(
      fc.property(fc.nat({ max: ops.length - 1 }), fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9.]{0,40}$/), fc.string()), { maxLength: 30 }), (i, pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
        try {
          decodeInput(iam, ops[i]!.input!.shape, parseForm(query));
        } catch (err) {
          if (!(err instanceof AwsApiError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("encoding results by the output shape", () => {
  it("picks members in any case, drops extras, URL-encodes policy documents, formats dates", () => {
    const xml = encodeResponse(
      iam,
      "GetRole",
      {
        Role: {
          roleName: "r",
          RoleId: "AROAX",
          arn: "arn:aws:iam::111122223333:role/r",
          path: "/",
          createDate: new Date("2026-01-02T03:04:05.678Z"),
          assumeRolePolicyDocument: '{"Version":"2012-10-17"}',
          maxSessionDuration: 3600,
          consoleColor: "#fff",
          tags: [{ key: "a", value: "<b>" }],
        },
      },
      "req-1",
    );
    expect(xml).toBe(
      '<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROAX</RoleId>' +
        "<Arn>arn:aws:iam::111122223333:role/r</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument>" +
        "<MaxSessionDuration>3600</MaxSessionDuration><Tags><member><Key>a</Key><Value>&lt;b&gt;</Value></member></Tags></Role></GetRoleResult>" +
        "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetRoleResponse>",
    );
  });

  it("encodes maps, empty results and pages, leaving the console's extension out", () => {
    expect(encodeResponse(iam, "GetAccountSummary", { SummaryMap: { Users: 3 } }, "r")).toContain("<SummaryMap><entry><key>Users</key><value>3</value></entry></SummaryMap>");
    expect(encodeResponse(iam, "DeleteUser", undefined, "r")).toBe('<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>');
    const page = encodeResponse(iam, "ListUsers", { Users: [{ UserName: "a" }], IsTruncated: true, Marker: "c", console: { total: 7 } }, "r");
    expect(page).toContain("<Users><member><UserName>a</UserName></member></Users><IsTruncated>true</IsTruncated><Marker>c</Marker></ListUsersResult>");
  });

  it("answers only from AWS's member names: a console page's items, cursor or total are not encoded", () => {
    const page = encodeResponse(iam, "ListUsers", { items: [{ userName: "a" }], isTruncated: false, nextCursor: "c", total: 1 }, "r");
    expect(page).toContain("<ListUsersResult><IsTruncated>false</IsTruncated></ListUsersResult>");
  });

  it("writes AWS's error document", () => {
    expect(encodeError("ns", new AwsApiError("NoSuchEntity", "The user with name x cannot be found.", 404), "r")).toBe(
      '<ErrorResponse xmlns="ns"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>',
    );
  });
});
