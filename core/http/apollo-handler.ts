import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { PayloadTooLargeError, readBody } from './read-body';
import { sendJson } from './role-server';

export interface RequestInfo {
  request: IncomingMessage;
  requestId: string;
}

/** A request whose body has been read (and parsed when JSON), before Apollo sees it. */
export interface ReadRequest extends RequestInfo {
  /** The parsed JSON body (POST), the raw text for other content types, undefined for GET. */
  body: unknown;
}

function graphqlError(
  response: ServerResponse,
  status: number,
  message: string,
  code: string,
): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * Serves an Apollo Server on Node's own HTTP server (Apollo's integration API): reads the
 * body with a size limit, answers malformed JSON with a GraphQL error, streams incremental
 * responses, and runs the operation inside `wrap` so per-request state (AsyncLocalStorage)
 * reaches every resolver.
 */
export function apolloHandler<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  options: {
    maxRequestBytes: number;
    context: (info: RequestInfo) => Promise<Context>;
    wrap?: <T>(info: RequestInfo, run: () => Promise<T>) => Promise<T>;
    /**
     * Answers a request without Apollo when it can (the gateway's response-cache hits) and
     * says so; false: Apollo serves it. Runs after the size limit and JSON parsing.
     */
    shortcut?: (read: ReadRequest, response: ServerResponse) => Promise<boolean>;
  },
) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestIdHeader = request.headers['x-request-id'];
    const requestId =
      typeof requestIdHeader === 'string' && /^[\w-]{1,64}$/.test(requestIdHeader)
        ? requestIdHeader
        : randomUUID();
    response.setHeader('x-request-id', requestId);

    let body: unknown;
    if (request.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(request, options.maxRequestBytes);
      } catch (error) {
        if (error instanceof PayloadTooLargeError)
          return graphqlError(response, 413, error.message, 'PAYLOAD_TOO_LARGE');
        throw error;
      }
      const type = request.headers['content-type'] ?? '';
      if (type.includes('json')) {
        try {
          body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
        } catch {
          return graphqlError(response, 400, 'Request body is not valid JSON', 'BAD_REQUEST');
        }
      } else {
        body = raw.toString('utf8');
      }
    }

    if (options.shortcut && (await options.shortcut({ request, requestId, body }, response)))
      return;

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const info: RequestInfo = { request, requestId };
    const run = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: request.method ?? 'GET',
          headers,
          search: new URL(request.url ?? '/', 'http://x').search,
          body,
        },
        context: () => options.context(info),
      });
    const result = await (options.wrap ? options.wrap(info, run) : run());

    for (const [key, value] of result.headers) response.setHeader(key, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}
