import type { IncomingMessage } from 'node:http';

/** A GraphQL request read from HTTP, in the shape Apollo Server gives its plugins. */
export interface CacheableRequest {
  /** The text, or undefined when only a persisted-query hash came. */
  query: string | undefined;
  /** Apollo's query hash: the persisted-query hash as sent, else the SHA-256 of the text. */
  persistedHash: string | undefined;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** The content type Apollo would answer with (its negotiation, for the Accept values here). */
  contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * Accept values whose negotiated answer is known; any other goes to Apollo (which may answer
 * 406). Absent, `*\/*` and `application/json` get JSON, as Apollo's negotiator decides.
 */
const ACCEPTED: Record<string, string> = {
  '': JSON_TYPE,
  '*/*': JSON_TYPE,
  'application/json': JSON_TYPE,
  'application/json, */*': JSON_TYPE,
  'application/graphql-response+json': GRAPHQL_RESPONSE_TYPE,
  'application/graphql-response+json, application/json': GRAPHQL_RESPONSE_TYPE,
  'application/graphql-response+json, application/json;q=0.9': GRAPHQL_RESPONSE_TYPE,
  'application/graphql-response+json;charset=utf-8, application/json;charset=utf-8':
    GRAPHQL_RESPONSE_TYPE,
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The media type of a Content-Type value, lower-cased, without parameters. */
function essence(contentType: string): string {
  const end = contentType.indexOf(';');
  return (end < 0 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

function single(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header.join(', ') : header;
}

/**
 * Reads a request that the response cache's hit path may answer, or null when anything about
 * it is not the plain case, so Apollo Server handles it with its own rules and errors. What is
 * accepted here is a subset of what Apollo accepts with the same meaning:
 * - POST with a JSON body (Content-Type exactly `application/json`, which also passes CSRF
 *   prevention: it is not a type a browser may send without a preflight), a non-empty object
 *   with `query` a non-empty string and/or a version-1 persisted-query hash without text
 *   (a registration, text with hash, goes to Apollo);
 * - GET with the same fields in the search string, each at most once, carrying a non-empty
 *   `apollo-require-preflight` or `x-apollo-operation-name` header or an `application/json`
 *   Content-Type (CSRF prevention for GET);
 * - `variables` and `extensions` objects (or null), `operationName` a string (or null);
 * - an Accept header whose answer type is known (ACCEPTED).
 * No batches, no other methods.
 */
export function readCacheableRequest(
  request: IncomingMessage,
  body: unknown,
): CacheableRequest | null {
  const contentType = ACCEPTED[single(request.headers.accept) ?? ''];
  if (!contentType) return null;
  let fields: Record<string, unknown>;
  if (request.method === 'POST') {
    const type = request.headers['content-type'];
    if (type === undefined || essence(type) !== 'application/json') return null;
    if (!isRecord(body)) return null;
    fields = body;
  } else if (request.method === 'GET') {
    const type = request.headers['content-type'];
    if (type !== undefined) {
      if (essence(type) !== 'application/json') return null;
    } else if (
      !request.headers['apollo-require-preflight'] &&
      !request.headers['x-apollo-operation-name']
    ) {
      return null;
    }
    // As Apollo reads it (core/http/apollo-handler.ts): the same parameters, decoded the same way.
    const params = new URL(request.url ?? '/', 'http://x').searchParams;
    fields = {};
    for (const name of ['query', 'operationName', 'variables', 'extensions']) {
      const values = params.getAll(name);
      if (values.length > 1) return null;
      if (values.length === 0) continue;
      if (name === 'query' || name === 'operationName') fields[name] = values[0];
      else {
        try {
          fields[name] = JSON.parse(values[0]) as unknown;
        } catch {
          return null;
        }
        if (!isRecord(fields[name])) return null;
      }
    }
  } else {
    return null;
  }

  const { query, operationName, variables, extensions } = fields;
  if (query !== undefined && (typeof query !== 'string' || query === '')) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return null;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return null;
  if (extensions !== undefined && extensions !== null && !isRecord(extensions)) return null;

  let persistedHash: string | undefined;
  const persisted = extensions?.persistedQuery;
  if (persisted !== undefined) {
    if (!isRecord(persisted) || persisted.version !== 1) return null;
    if (typeof persisted.sha256Hash !== 'string' || query !== undefined) return null;
    persistedHash = persisted.sha256Hash;
  } else if (query === undefined) {
    return null;
  }
  return {
    query: query as string | undefined,
    persistedHash,
    operationName: (operationName as string | null | undefined) ?? undefined,
    variables: (variables as Record<string, unknown> | null | undefined) ?? undefined,
    contentType,
  };
}
