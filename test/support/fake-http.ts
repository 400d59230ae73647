/**
 * What every fake provider server shares: an HTTP server on a free local port whose handler
 * errors become a 500 (a fake must not crash the test run), sleeps that `close` cancels (so a
 * scripted slow answer cannot keep a finished test alive), and scripted rules used up one by one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHttpServer {
  url: string;
  sleep(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function serveFake(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<FakeHttpServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sleep(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The first rule that matches and has uses left, using one up. */
export function takeRule<R>(rules: { rule: R; left: number }[], matches: (rule: R) => boolean = () => true): R | undefined {
  const entry = rules.find((r) => r.left > 0 && matches(r.rule));
  if (!entry) return undefined;
  entry.left -= 1;
  return entry.rule;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What every fake provider gives a test: where it listens, what it was asked, and its script. */
export interface FakeProviderServer<Request, Rule> {
  /** Base URL, e.g. 'http://127.0.0.1:41234'. */
  url: string;
  /** Every request received, in order (cleared by `reset`). */
  requests: Request[];
  script(...rules: Rule[]): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A fake's script: rules about one number apply to every later call until their `times` run
 * out (default: for ever); rules about a call apply to the next `times` calls (default: one).
 */
export function scriptedRules<NumberRule extends { times?: number }, CallRule extends { times?: number }>(
  isNumberRule: (rule: NumberRule | CallRule) => rule is NumberRule,
) {
  let numberRules: { rule: NumberRule; left: number }[] = [];
  let callRules: { rule: CallRule; left: number }[] = [];
  return {
    add(rules: readonly (NumberRule | CallRule)[]): void {
      for (const rule of rules) {
        if (isNumberRule(rule)) numberRules.push({ rule, left: rule.times ?? Infinity });
        else callRules.push({ rule, left: rule.times ?? 1 });
      }
    },
    /** The rule for this call, used up. */
    nextCall: (): CallRule | undefined => takeRule(callRules),
    /** The first number rule that matches, used up once. */
    forNumber: (matches: (rule: NumberRule) => boolean): NumberRule | undefined => takeRule(numberRules, matches),
    clear(): void {
      numberRules = [];
      callRules = [];
    },
  };
}

/** The request's path, without its query. */
export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://x').pathname;
}

/** The body as JSON; undefined when it is not JSON. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Calls `onAbort` when the client hangs up before the answer (e.g. its timeout fired). */
export function whenAborted(res: ServerResponse, onAbort: () => void): void {
  res.on('close', () => {
    if (!res.writableFinished) onAbort();
  });
}

export function respond(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

export function respondJson(res: ServerResponse, status: number, body: unknown): void {
  respond(res, status, 'application/json', JSON.stringify(body));
}

/** Waits a scripted delay; false when the client hung up meanwhile (nothing left to answer). */
export async function stillThereAfter(server: FakeHttpServer, res: ServerResponse, ms: number | undefined): Promise<boolean> {
  if (ms) await server.sleep(ms);
  return !res.destroyed;
}

/** Records a request, marking it aborted when the client hangs up before the answer. */
export function track<R extends { aborted: boolean }>(requests: R[], recorded: R, res: ServerResponse): void {
  requests.push(recorded);
  whenAborted(res, () => {
    recorded.aborted = true;
  });
}

/** The fake as a test holds it: `reset` forgets the requests and the script, and what `forget` clears. */
export function fakeProvider<Request, Rule extends { times?: number }>(
  server: FakeHttpServer,
  requests: Request[],
  rules: { add(rules: readonly Rule[]): void; clear(): void },
  forget: () => void = () => undefined,
): FakeProviderServer<Request, Rule> {
  return {
    url: server.url,
    requests,
    script: (...added) => rules.add(added),
    reset() {
      requests.length = 0;
      rules.clear();
      forget();
    },
    close: () => server.close(),
  };
}
