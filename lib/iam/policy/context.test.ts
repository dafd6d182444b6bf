/**
 * The request context lookup: key names are case-insensitive, values normalized to string arrays,
 * and contexts with the same key list share one index of their names (values are each request's own).
 */
import { describe, expect, it } from "vitest";
import { buildContextLookup } from "./context";
import { parsePrincipalArn } from "./principal";

const alice = parsePrincipalArn("arn:aws:iam::111122223333:user/alice");

describe("context lookup", () => {
  it("finds keys whatever their case and normalizes values to string arrays", () => {
    const lookup = buildContextLookup({ "aws:SourceIp": "10.0.0.1", "AWS:TagKeys": ["a", "b"], "aws:MultiFactorAuthAge": 30 as unknown as string }, alice, undefined);
    expect(lookup("aws:sourceip")).toEqual(["10.0.0.1"]);
    expect(lookup("aws:sourceip")).toBe(lookup("aws:sourceip"));
    expect(lookup("aws:tagkeys")).toEqual(["a", "b"]);
    expect(lookup("aws:multifactorauthage")).toEqual(["30"]);
    expect(lookup("aws:requestedregion")).toBeUndefined();
    // Keys the request does not give come from the principal.
    expect(lookup("aws:username")).toEqual(["alice"]);
  });

  it("reads each request's own values through a shared key list", () => {
    const a = buildContextLookup({ "aws:SourceIp": "10.0.0.1", "aws:username": "x" }, alice, undefined);
    const b = buildContextLookup({ "aws:SourceIp": "192.0.2.9", "aws:username": "y" }, alice, undefined);
    expect([a("aws:sourceip"), b("aws:sourceip"), a("aws:username"), b("aws:username")]).toEqual([["10.0.0.1"], ["192.0.2.9"], ["x"], ["y"]]);
  });

  it("takes the last of names equal but for case, skipping missing values", () => {
    expect(buildContextLookup({ "aws:SourceIp": "10.0.0.1", "aws:sourceip": "10.0.0.2" }, alice, undefined)("aws:sourceip")).toEqual(["10.0.0.2"]);
    const skip = buildContextLookup({ "aws:SourceIp": "10.0.0.1", "aws:sourceip": undefined as unknown as string }, alice, undefined);
    expect(skip("aws:sourceip")).toEqual(["10.0.0.1"]);
    expect(skip("aws:sourceip")).toEqual(["10.0.0.1"]);
    // A missing value under the only name: the key is missing (a derived key falls back to the principal).
    expect(buildContextLookup({ "aws:SourceIp": null as unknown as string }, alice, undefined)("aws:sourceip")).toBeUndefined();
    expect(buildContextLookup({ "aws:username": null as unknown as string }, alice, undefined)("aws:username")).toEqual(["alice"]);
  });
});
