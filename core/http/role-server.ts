import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger';
import { serveMetrics } from '../observability/metrics';
import { traceRequest } from '../observability/tracing';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface RoleServerOptions {
  role: string;
  logger: Logger;
  /** Exact paths served by this role (e.g. `/graphql`), besides /health and /ready. */
  routes: Record<string, RouteHandler>;
  /** Whether the role can serve traffic now (its database, Redis, ... answer). */
  isReady: () => Promise<boolean>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/**
 * The HTTP server every role runs: its routes, `/health` (the process lives) and `/ready`
 * (its dependencies answer). Keep-alive connections are kept open longer than a typical
 * load balancer's idle timeout so the balancer, not the server, closes them.
 */
export function createRoleServer(options: RoleServerOptions): Server {
  const server = createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (path === '/health') return sendJson(response, 200, { status: 'ok', role: options.role });
      if (path === '/ready') {
        const ready = await options.isReady().catch(() => false);
        return sendJson(response, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unavailable',
          role: options.role,
        });
      }
      if (path === '/metrics') return serveMetrics(response);
      const route = options.routes[path];
      if (!route) return sendJson(response, 404, { error: `No route ${path}` });
      await traceRequest(request, response, path, () => route(request, response));
    } catch (error) {
      options.logger.error({ err: error, path }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'Internal server error' });
      else response.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

/**
 * Pending connections the kernel may queue before accept: Node's default of 511 resets sockets
 * when thousands of clients (subscribers reconnecting after a deploy) arrive at once. The kernel
 * caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
