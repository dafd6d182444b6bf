// A minimal HTTP client of the built console, for tests and benchmarks that run
// real servers without a browser: a cookie jar, and sign-in through the sign-in
// page's own form as a browser without JavaScript submits it (Next's
// progressively enhanced server action: the form's hidden $ACTION fields plus
// the visible fields, multipart, POSTed to the page). Nothing here knows a
// secret: the cookie comes from the server, as a browser's would.
import http from "node:http";

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

type RequestOptions = { headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number };

/**
 * One HTTP request to 127.0.0.1:port (no redirects followed). A GET or HEAD
 * on a kept-alive socket that the server closed as it was reused (its idle
 * timeout ran out at that moment, more likely on a loaded machine) is retried
 * once on a fresh socket, as Node's documentation advises.
 */
export async function request(port: number, method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  try {
    return await requestOnce(port, method, path, options);
  } catch (err) {
    if ((method === "GET" || method === "HEAD") && (err as { reusedSocketReset?: boolean }).reusedSocketReset) return requestOnce(port, method, path, options);
    throw err;
  }
}

function requestOnce(port: number, method: string, path: string, options: RequestOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: { ...(body ? { "content-length": String(body.length) } : {}), ...options.headers },
        timeout: options.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in ${options.timeoutMs ?? 60_000} ms`)));
    req.on("error", (err: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && err.code === "ECONNRESET" ? Object.assign(err, { reusedSocketReset: true }) : err),
    );
    req.end(body);
  });
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The hidden inputs of the first form in a page (its server action's $ACTION fields, a challenge...). */
export function hiddenFields(html: string): [string, string][] {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error("no form in the page");
  const fields: [string, string][] = [];
  for (const m of form[1]!.matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = m[1]!;
    if (!/\btype="hidden"/i.test(attrs)) continue;
    const name = /\bname="([^"]*)"/i.exec(attrs)?.[1];
    if (name === undefined) continue;
    fields.push([decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/i.exec(attrs)?.[1] ?? "")]);
  }
  return fields;
}

function multipart(fields: [string, string][]): { body: Buffer; contentType: string } {
  const boundary = `----iamlab${Math.random().toString(16).slice(2)}`;
  const parts = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, "%22")}"\r\n\r\n${v}\r\n`);
  return { body: Buffer.from(`${parts.join("")}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A browser without JavaScript: a cookie jar and the forms of the pages. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  constructor(
    public port: number,
    /** The client's address as a trusted proxy would forward it (only believed when the server trusts 127.0.0.1). */
    public forwardedFor?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { "user-agent": "iamlab-console-client", ...extra };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (this.forwardedFor) h["x-forwarded-for"] = this.forwardedFor;
    return h;
  }

  private keep(res: Response): Response {
    for (const line of res.headers["set-cookie"] ?? []) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Another client with a copy of this one's cookies (a copied cookie, or the same browser on another server). */
  copyTo(port: number): ConsoleClient {
    const c = new ConsoleClient(port, this.forwardedFor);
    for (const [k, v] of this.cookies) c.cookies.set(k, v);
    return c;
  }

  async get(path: string): Promise<Response> {
    return this.keep(await request(this.port, "GET", path, { headers: this.headers() }));
  }

  /** Submits the first form of `page` (its hidden fields plus `fields`) the way a browser without JavaScript does. */
  async submit(path: string, page: string, fields: Record<string, string>): Promise<Response> {
    const { body, contentType } = multipart([...hiddenFields(page), ...Object.entries(fields)]);
    const origin = `http://127.0.0.1:${this.port}`;
    return this.keep(
      await request(this.port, "POST", path, { headers: this.headers({ "content-type": contentType, origin, host: `127.0.0.1:${this.port}` }), body }),
    );
  }

  /**
   * Signs an IAM user in through /signin, answering the MFA step with `mfaCode()`
   * when asked. Returns "signed-in", or the refusal's message as the page shows it.
   */
  async signIn(account: string, userName: string, password: string, mfaCode?: () => string | Promise<string>): Promise<{ ok: true } | { ok: false; message: string }> {
    const form = await this.get("/signin");
    if (form.status !== 200) throw new Error(`GET /signin: ${form.status}`);
    let res = await this.submit("/signin", form.body, { kind: "user", account, userName, password });
    if (res.status === 200 && /name="challenge"/.test(res.body)) {
      if (!mfaCode) return { ok: false, message: "MFA code asked for" };
      res = await this.submit("/signin", res.body, { code: await mfaCode() });
    }
    if (res.status === 303 || res.status === 307 || res.status === 302) {
      return this.cookies.has("authjs.session-token") ? { ok: true } : { ok: false, message: `redirected to ${res.headers.location} without a session` };
    }
    return { ok: false, message: pageError(res.body) ?? `status ${res.status}` };
  }
}

/** The error banner's text of a rendered page, if any. */
export function pageError(html: string): string | null {
  const m = /data-testid="banner-error"[^>]*>([\s\S]*?)<\/div>/i.exec(html) ?? /(Your authentication information is incorrect[^<]*|Too many failed[^<]*|The MFA code is not valid[^<]*)/.exec(html);
  return m ? decodeEntities(m[1]!.replace(/<[^>]+>/g, "").replace(/<!-- -->/g, "")).trim() : null;
}
