import { describe, expect, it } from "vitest";
import { summarizePolicy } from "@/lib/iam/policy/summary";
import { summaryLine } from "./aws-managed-summaries";

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("summaryLine: what an AWS-managed policy grants, in one line", () => {
  it("names everything for Action *", async () => {
    expect(summaryLine(await summarizePolicy(doc({ Effect: "Allow", Action: "*", Resource: "*" })))).toBe("Allows all services (Full access)");
  });

  it("names three services and counts the rest", async () => {
    const line = summaryLine(
      await summarizePolicy(doc({ Effect: "Allow", Action: ["s3:*", "iam:ListUsers", "iam:GetUser", "sqs:ListQueues", "sns:ListTopics", "ec2:DescribeInstances"], Resource: "*" })),
    );
    expect(line).toMatch(/^Allows /);
    expect(line).toContain("Amazon S3 (Full access)");
    expect(line).toContain(" and 2 more services");
    expect(line.match(/\((Full access|Limited: [^)]*)\)/g)).toHaveLength(3);
  });

  it("says what is denied after what is allowed, and one more service in the singular", async () => {
    const line = summaryLine(
      await summarizePolicy(
        doc(
          { Effect: "Allow", Action: ["s3:GetObject", "sqs:ListQueues", "sns:ListTopics", "ec2:DescribeInstances"], Resource: "*" },
          { Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" },
        ),
      ),
    );
    expect(line).toMatch(/^Allows .* and 1 more service; denies Amazon S3 \(Limited: Write\)$/);
  });

  it("says so when nothing is granted", async () => {
    expect(summaryLine(await summarizePolicy(doc()))).toBe("Grants no permissions");
  });
});
