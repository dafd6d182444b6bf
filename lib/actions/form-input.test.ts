import { describe, expect, it } from "vitest";
import { blank, checkbox, isChecked, tagsFromForm, withTagKeys } from "./form-input";

describe("form input", () => {
  it("blank: an empty or all-blank text field is not given; anything else passes untouched", () => {
    expect([blank(""), blank("   "), blank("a "), blank(0), blank(undefined)]).toEqual([undefined, undefined, "a ", 0, undefined]);
  });

  it("checkbox: ticked is 'on' (or its value 'true', or a boolean); absent or anything else is false", () => {
    expect([isChecked("on"), isChecked("true"), isChecked(true)]).toEqual([true, true, true]);
    expect([isChecked(undefined), isChecked("false"), isChecked(""), isChecked(false)]).toEqual([false, false, false, false]);
    expect(checkbox.parse(undefined)).toBe(false);
    expect(checkbox.parse("on")).toBe(true);
  });

  it("tags: repeated fields pair up, keys trimmed, blank rows dropped; one tag key to remove becomes a list", () => {
    expect(tagsFromForm({ tagKey: [" team ", "", ""], tagValue: ["a", "", "b"] })).toEqual([
      { key: "team", value: "a" },
      { key: "", value: "b" },
    ]);
    expect(withTagKeys({ userName: "bob", tagKeys: "team" })).toEqual({ userName: "bob", tagKeys: ["team"] });
  });
});
