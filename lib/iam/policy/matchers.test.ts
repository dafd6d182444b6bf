/**
 * The regex-free matchers (glob tokens, ARN segments, templated values, CIDR words) against
 * straightforward reference implementations (regexes and BigInt arithmetic), on random input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCondition, evaluateCondition } from "./conditions";
import { cidrContains, parseCidr, parseIp } from "./ip";
import { templateTokens } from "./variables";
import { compileGlob, globTokens, globToRegexSource, matchTokens, type ContextLookup } from "./wildcard";

const alphabet = fc.constantFrom("a", "b", "c", ":", "/", "ab");
const text = fc.array(alphabet, { maxLength: 12 }).map((xs) => xs.join(""));
const pattern = fc.array(fc.constantFrom("a", "b", ":", "/", "*", "?", "ab", "**"), { maxLength: 10 }).map((xs) => xs.join(""));

const reference = (p: string, v: string) => new RegExp("^" + globToRegexSource(p) + "$").test(v);

describe("glob tokens", () => {
  it("match exactly what the glob regex matches", () => {
    fc.assert(
      fc.property(pattern, text, (p, v) => {
        expect(matchTokens(globTokens(p), v)).toBe(reference(p, v));
        expect(compileGlob(p)(v)).toBe(reference(p, v));
      }),
      { numRuns: 4000 },
    );
  });

  it("match a range of a string like the same slice", () => {
    fc.assert(
      fc.property(pattern, text, fc.nat(12), fc.nat(12), (p, v, a, b) => {
        const from = Math.min(a, b, v.length);
        const to = Math.min(Math.max(a, b), v.length);
        expect(matchTokens(globTokens(p), v, undefined, from, to)).toBe(reference(p, v.slice(from, to)));
      }),
      { numRuns: 2000 },
    );
  });

  it("substitute variables as literal text (their * and ? are not wildcards)", () => {
    const lookup: ContextLookup = (k) => (k === "aws:username" ? ["a*?"] : k === "aws:principaltag/team" ? ["b:"] : undefined);
    const t = templateTokens("x/${aws:username}/*/${aws:PrincipalTag/team}?")!;
    expect(matchTokens(t, "x/a*?/anything/b:z", lookup)).toBe(true);
    expect(matchTokens(t, "x/abc/anything/b:z", lookup)).toBe(false);
    expect(matchTokens(t, "x/a*?/anything/b:", lookup)).toBe(false);
    // Escapes are literal; a missing variable matches nothing; a default is literal too.
    expect(matchTokens(templateTokens("a${*}b")!, "a*b", lookup)).toBe(true);
    expect(matchTokens(templateTokens("a${*}b")!, "axb", lookup)).toBe(false);
    expect(matchTokens(templateTokens("home/${aws:userid}/*")!, "home//x", lookup)).toBe(false);
    expect(matchTokens(templateTokens("home/${aws:userid, '*'}/x")!, "home/*/x", lookup)).toBe(true);
    expect(matchTokens(templateTokens("home/${aws:userid, '*'}/x")!, "home/q/x", lookup)).toBe(false);
  });
});

/** The former ARN matcher: wildcards do not cross the first five colons of the (resolved) value. */
function arnReference(segments: { text: string; glob: boolean }[], c: string): boolean {
  const text = segments.map((s) => s.text).join("");
  if (!text.startsWith("arn:")) return new RegExp("^" + segments.map((s) => (s.glob ? globToRegexSource(s.text) : escape(s.text))).join("") + "$").test(c);
  let out = "^";
  let colons = 0;
  for (const seg of segments)
    for (const ch of seg.text) {
      if (seg.glob && (ch === "*" || ch === "?")) {
        const any = colons < 5 ? "[^:]" : "[\\s\\S]";
        out += ch === "*" ? any + "*" : any;
      } else {
        if (ch === ":") colons++;
        out += escape(ch);
      }
    }
  const colonCount = (c.match(/:/g) ?? []).length;
  return colonCount >= 5 && new RegExp(out + "$").test(c);
}
const escape = (s: string) => s.replace(/[.+^${}()|[\]\\*?]/g, "\\$&");

describe("ArnLike", () => {
  const arnText = fc.array(fc.constantFrom("a", ":", "/", "b"), { maxLength: 10 }).map((xs) => "arn:" + xs.join(""));
  const arnPatternText = fc.array(fc.constantFrom("a", ":", "/", "*", "?", "b"), { maxLength: 10 }).map((xs) => "arn:" + xs.join(""));
  const lookup: ContextLookup = (k) => (k === "aws:principaltag/v" ? ["a:*"] : undefined);

  it("matches like the regex with colon-bounded wildcards, static and templated", () => {
    fc.assert(
      fc.property(arnPatternText, fc.boolean(), arnText, (p, withVar, c) => {
        const value = withVar ? p + "${aws:PrincipalTag/v}" : p;
        const cc = compileCondition("ArnLike", "aws:SourceArn", [value], true);
        const segs = withVar ? [{ text: p, glob: true }, { text: "a:*", glob: false }] : [{ text: p, glob: true }];
        const ctx: ContextLookup = (k) => (k === "aws:sourcearn" ? [c] : lookup(k));
        expect(evaluateCondition(cc, ctx)).toBe(arnReference(segs, c));
      }),
      { numRuns: 3000 },
    );
  });

  it("treats a value not written as an ARN as a plain glob", () => {
    const cc = compileCondition("ArnLike", "aws:SourceArn", ["*"], true);
    expect(evaluateCondition(cc, () => ["not-an-arn"])).toBe(true);
    const cc2 = compileCondition("ArnEquals", "aws:SourceArn", ["arn:aws:s3:::*"], true);
    expect(evaluateCondition(cc2, () => ["arn:aws:s3:::b/k:x"])).toBe(true);
    expect(evaluateCondition(cc2, () => ["arn:aws:s3::b"])).toBe(false);
  });
});

/** BigInt reference for CIDR containment. */
function bigIp(s: string): { v6: boolean; value: bigint } | undefined {
  const ip = parseIp(s);
  if (!ip) return undefined;
  return { v6: ip.v6, value: (BigInt(ip.w0) << 96n) | (BigInt(ip.w1) << 64n) | (BigInt(ip.w2) << 32n) | BigInt(ip.w3) };
}
function bigContains(cidr: string, ip: string): boolean {
  const [addr, bits] = cidr.split("/");
  const a = bigIp(addr)!;
  const b = bigIp(ip)!;
  const width = a.v6 ? 128 : 32;
  const prefix = bits === undefined ? width : Number(bits);
  const all = (1n << BigInt(width)) - 1n;
  const mask = prefix === 0 ? 0n : (all >> BigInt(width - prefix)) << BigInt(width - prefix);
  return a.v6 === b.v6 && (a.value & mask) === (b.value & mask);
}

describe("CIDR containment in 32-bit words", () => {
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((xs) => xs.join("."));
  const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((xs) => xs.map((x) => x.toString(16)).join(":"));
  it("agrees with BigInt arithmetic for IPv4 and IPv6", () => {
    fc.assert(
      fc.property(fc.boolean(), v4, v4, v6, v6, fc.nat(32), fc.nat(128), (six, a4, b4, a6, b6, p4, p6) => {
        const cidr = six ? `${a6}/${p6}` : `${a4}/${p4}`;
        // Half the time, an address close to the block's.
        const ip = six ? b6 : b4;
        const c = parseCidr(cidr)!;
        expect(cidrContains(c, parseIp(ip)!)).toBe(bigContains(cidr, ip));
        expect(cidrContains(c, parseIp(six ? a6 : a4)!)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads embedded IPv4, :: and the edges", () => {
    expect(cidrContains(parseCidr("::ffff:10.0.0.0/104")!, parseIp("::ffff:10.1.2.3")!)).toBe(true);
    expect(cidrContains(parseCidr("::ffff:10.0.0.0/104")!, parseIp("::ffff:11.1.2.3")!)).toBe(false);
    expect(cidrContains(parseCidr("0.0.0.0/0")!, parseIp("255.255.255.255")!)).toBe(true);
    expect(cidrContains(parseCidr("255.255.255.255/32")!, parseIp("255.255.255.255")!)).toBe(true);
    expect(cidrContains(parseCidr("10.0.0.0/8")!, parseIp("::a00:1")!)).toBe(false);
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("2001:db8::/129")).toBeUndefined();
  });
});

describe("explanations after the fast reader", () => {
  it("point each statement at its text (spans read on demand)", async () => {
    const { evaluate } = await import("./evaluate");
    const text = JSON.stringify(
      { Version: "2012-10-17", Statement: [{ Sid: "One", Effect: "Allow", Action: "s3:*", Resource: "*" }, { Sid: "Two", Effect: "Deny", Action: "ec2:*", Resource: "*" }] },
      null,
      2,
    );
    const r = evaluate({ request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: { resource: "arn:aws:s3:::b/k" } }, identityPolicies: [{ name: "p", policy: text }] }, { explain: true });
    const [one, two] = r.explain![0].statements;
    expect(JSON.parse(text.slice(one.span.start, one.span.end)).Sid).toBe("One");
    expect(JSON.parse(text.slice(two.span.start, two.span.end)).Sid).toBe("Two");
  });
});
