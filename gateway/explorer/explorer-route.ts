import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sendJson, type RouteHandler } from '../../core/http/role-server';
import type { Logger } from '../../core/logging/logger';
import {
  bundleExplorer,
  EXPLORER_ASSETS,
  readPrebuiltExplorer,
  type ExplorerAsset,
} from './explorer-bundle';

/**
 * Only this gateway: scripts, styles, workers, fonts and the GraphQL endpoint (HTTP and
 * graphql-ws; CSP Level 3 matches ws: to 'self'). `data:` images and fonts are Monaco's own
 * inline icons. Scripts are this gateway's files alone (no inline script, no eval); styles also
 * allow inline ones because Monaco writes `<style>` elements and style attributes at run time
 * (measured in Chromium: dozens of violations and a broken editor without it). No frames, no
 * forms, no plugins.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Docent API explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/explorer/assets/explorer.css">
</head>
<body>
<div id="explorer"></div>
<script type="module" src="/explorer/assets/explorer.js"></script>
</body>
</html>
`;

interface Served extends ExplorerAsset {
  etag: string;
  gzipped: Buffer;
}

function served(asset: ExplorerAsset): Served {
  const etag = `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 27)}"`;
  return { ...asset, etag, gzipped: gzipSync(asset.body) };
}

function send(request: IncomingMessage, response: ServerResponse, file: Served): void {
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'cache-control': 'no-cache',
    etag: file.etag,
    vary: 'accept-encoding',
    'content-security-policy': EXPLORER_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzipped : file.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(body.length);
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * The self-hosted schema explorer: GraphiQL at `/explorer`, its bundle under
 * `/explorer/assets/`. Served only where introspection is on (its docs come from introspection;
 * the same decision as `/schema.graphql`). The bundle comes from `npm run build` (dist/explorer)
 * or, run from source, is built once on the first request and kept in memory.
 */
export function explorerRoutes(enabled: boolean, logger: Logger): Record<string, RouteHandler> {
  let bundle: Promise<Map<string, Served>> | null = null;
  const load = () => {
    bundle ??= (async () => {
      const started = Date.now();
      const prebuilt = readPrebuiltExplorer();
      const assets = prebuilt ?? (await bundleExplorer());
      logger.info(
        { prebuilt: Boolean(prebuilt), ms: Date.now() - started },
        'schema explorer bundle ready',
      );
      return new Map([...assets].map(([name, asset]) => [name, served(asset)]));
    })().catch((error: unknown) => {
      bundle = null; // the next request tries again
      throw error;
    });
    return bundle;
  };
  const page = served({ contentType: 'text/html; charset=utf-8', body: Buffer.from(PAGE) });
  const notFound = (path: string) => (_request: IncomingMessage, response: ServerResponse) => {
    sendJson(response, 404, { error: `No route ${path}` });
    return Promise.resolve();
  };

  const routes: Record<string, RouteHandler> = {};
  routes['/explorer'] = routes['/explorer/'] = enabled
    ? async (request, response) => {
        // Start bundling now, so the scripts the page asks for next are (nearly) ready.
        void load().catch((error: unknown) =>
          logger.error({ err: error }, 'schema explorer bundle failed'),
        );
        send(request, response, page);
      }
    : notFound('/explorer');
  for (const name of EXPLORER_ASSETS) {
    const path = `/explorer/assets/${name}`;
    routes[path] = enabled
      ? async (request, response) => send(request, response, (await load()).get(name)!)
      : notFound(path);
  }
  return routes;
}
