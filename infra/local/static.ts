import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The web console's files (web/dist) as CloudFront would serve them from S3: a file when one
 * exists, else index.html for the single-page app's own paths. Paths are resolved inside the
 * root and anything that would leave it is refused, whatever its encoding.
 */
export async function serveStatic(root: string, pathname: string, res: ServerResponse, head = false): Promise<void> {
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
    return;
  }
  if (decoded.includes('\0')) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
    return;
  }
  const wanted = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (wanted !== base && !wanted.startsWith(base + sep)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  const file = await stat(wanted).catch(() => undefined);
  const hasExtension = extname(decoded) !== '';
  let target = wanted;
  if (!file?.isFile()) {
    // A missing asset is a 404; a missing page is the app's route (e.g. /simulator).
    if (hasExtension) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    target = resolve(base, 'index.html');
  }
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The web console is not built: run `npm run build`.');
    return;
  }
  const type = TYPES[extname(target)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(info.size),
    'x-content-type-options': 'nosniff',
    // index.html must be re-read after a rebuild; the bundles change name-free too, so no long caching locally.
    'cache-control': 'no-cache',
    ...(type.startsWith('text/html')
      ? { 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'" }
      : {}),
  });
  if (head) {
    res.end();
    return;
  }
  await new Promise<void>((done, fail) => createReadStream(target).on('error', fail).on('end', done).pipe(res));
}
