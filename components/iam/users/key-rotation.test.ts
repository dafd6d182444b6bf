import { describe, expect, it } from "vitest";
import { rotationInProgress, rotationOf, type RotationKey } from "./key-rotation";

const key = (accessKeyId: string, status: string, createDate: string): RotationKey => ({ accessKeyId, status, createDate: new Date(createDate) });
const OLD = key("AKIAOLD", "Active", "2026-01-01T00:00:00Z");
const NEW = key("AKIANEW", "Active", "2026-06-01T00:00:00Z");

describe("rotationInProgress: the step the keys show", () => {
  it("is nothing with no key or one key, active or not", () => {
    expect(rotationInProgress([])).toBeNull();
    expect(rotationInProgress([OLD])).toBeNull();
    expect(rotationInProgress([{ ...OLD, status: "Inactive" }])).toBeNull();
  });

  it("is step 2 with two active keys, rotating away from the older whatever the list order", () => {
    const expected = { step: 2, oldKeyId: "AKIAOLD", newKeyId: "AKIANEW" };
    expect(rotationInProgress([OLD, NEW])).toEqual(expected);
    expect(rotationInProgress([NEW, OLD])).toEqual(expected);
  });

  it("is step 3 when one of two keys is inactive: that one is the old key, even when it is the newer", () => {
    expect(rotationInProgress([{ ...OLD, status: "Inactive" }, NEW])).toEqual({ step: 3, oldKeyId: "AKIAOLD", newKeyId: "AKIANEW" });
    expect(rotationInProgress([OLD, { ...NEW, status: "Inactive" }])).toEqual({ step: 3, oldKeyId: "AKIANEW", newKeyId: "AKIAOLD" });
  });

  it("is nothing with two inactive keys", () => {
    expect(rotationInProgress([{ ...OLD, status: "Inactive" }, { ...NEW, status: "Inactive" }])).toBeNull();
  });
});

describe("rotationOf: the step of rotating the key a Rotate button names", () => {
  it("starts at step 1 when the key is the only one", () => {
    expect(rotationOf([OLD], "AKIAOLD")).toEqual({ step: 1, oldKeyId: "AKIAOLD" });
  });

  it("rotates either of two active keys to the other", () => {
    expect(rotationOf([OLD, NEW], "AKIANEW")).toEqual({ step: 2, oldKeyId: "AKIANEW", newKeyId: "AKIAOLD" });
  });

  it("is blocked while the other key is inactive: it must be deleted first", () => {
    expect(rotationOf([OLD, { ...NEW, status: "Inactive" }], "AKIAOLD")).toEqual({ step: "blocked", oldKeyId: "AKIAOLD", otherKeyId: "AKIANEW" });
  });

  it("is null once the key is gone (deleted here or in another tab)", () => {
    expect(rotationOf([NEW], "AKIAOLD")).toBeNull();
  });
});
