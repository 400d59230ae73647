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
