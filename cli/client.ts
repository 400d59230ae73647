/**
 * The HTTP client of the `sauti` CLI: JSON to and from the admin API under /api/v1, with a
 * bearer token, and every way a call can fail turned into a `CliError` whose lines say what
 * went wrong and what to do about it.
 */

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** A failure to report to the user: each line printed on its own, then exit code 1. */
export class CliError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** The API's refusal (4xx/5xx): `{ error, problems?: [{ field, message }] }`. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly problems: { field: string; message: string }[],
    hint?: string,
  ) {
    super([error, ...problems.map((p) => `${p.field}: ${p.message}`), ...(hint ? [hint] : [])]);
  }
}

export interface ClientOptions {
  url: string;
  token?: string | undefined;
}

type Query = Record<string, string | number | undefined>;

export class SautiClient {
  /** The API's root, e.g. `http://127.0.0.1:3000/api/v1`. */
  readonly apiBase: string;

  constructor(private readonly opts: ClientOptions) {
    let base: URL;
    try {
      base = new URL(opts.url);
    } catch {
      throw new CliError([`"${opts.url}" is not a URL; pass --url like ${DEFAULT_URL} (or set SAUTI_URL).`]);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new CliError([`"${opts.url}" is not an http(s) URL.`]);
    // Accept the stack's root or its /api/v1 alike.
    this.apiBase = `${base.origin}${base.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`;
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, query: Query = {}): Promise<T> {
    if (!this.opts.token) {
      throw new CliError([
        'No API token: pass --token <token> or set SAUTI_TOKEN.',
        'Locally (npm start) the tokens are local-researcher, local-ngo and local-admin; deployed, use your Cognito ID token.',
      ]);
    }
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') search.set(k, String(v));
    const url = `${this.apiBase}${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.opts.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw this.networkError(err);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (res.ok) {
      if (parsed === undefined) throw new CliError([`${method} ${url} answered ${res.status} without JSON; is ${this.opts.url} the Sauti API?`]);
      return parsed as T;
    }
    if (isErrorBody(parsed)) throw new ApiError(res.status, parsed.error, parsed.problems ?? [], hintFor(res.status, this.opts.url));
    // Not the API's own answer: a proxy, API Gateway ({"message": "Unauthorized"}), or another server.
    const message = isObject(parsed) && typeof parsed.message === 'string' ? parsed.message : text.trim().slice(0, 200) || res.statusText;
    throw new ApiError(res.status, `${method} ${url} answered ${res.status}: ${message}`, [], hintFor(res.status, this.opts.url) ?? `Is ${this.opts.url} the Sauti API?`);
  }

  private networkError(err: unknown): CliError {
    const code = networkCode(err);
    if (code === 'ECONNREFUSED') {
      return new CliError([
        `The Sauti stack is not running at ${this.opts.url} (connection refused).`,
        'Start it with `npm start` in the Sauti repository (it listens on http://127.0.0.1:3000), or pass --url (or SAUTI_URL) for a deployed API.',
      ]);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CliError([`Cannot resolve the host of ${this.opts.url} (${code}); check --url or SAUTI_URL.`]);
    const detail = code ?? (err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));
    return new CliError([`Could not reach ${this.opts.url}: ${detail}.`]);
  }
}

function hintFor(status: number, url: string): string | undefined {
  if (status === 401) return `The token was not accepted by ${url}: check --token (or SAUTI_TOKEN). Locally: local-researcher, local-ngo or local-admin.`;
  if (status === 403) return 'Use a token of that role with --token (locally: local-researcher, local-ngo or local-admin).';
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isErrorBody(v: unknown): v is { error: string; problems?: { field: string; message: string }[] } {
  if (!isObject(v) || typeof v.error !== 'string') return false;
  return v.problems === undefined || (Array.isArray(v.problems) && v.problems.every((p) => isObject(p) && typeof p.field === 'string' && typeof p.message === 'string'));
}

/** The system error code under fetch's "fetch failed" (undici puts it in `cause`, sometimes nested). */
function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && isObject(e); depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    // AggregateError (IPv4 and IPv6 both refused): the first inner error.
    const errors = (e as { errors?: unknown }).errors;
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : (e as { cause?: unknown }).cause;
  }
  return undefined;
}
