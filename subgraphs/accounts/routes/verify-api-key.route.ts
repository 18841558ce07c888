import type { ApiKeyResolver } from '../../../core/auth/credential-verifier';
import { PayloadTooLargeError, readBody } from '../../../core/http/read-body';
import { sendJson, type RouteHandler } from '../../../core/http/role-server';

const MAX_BODY_BYTES = 4096;

/**
 * POST /internal/api-keys/verify {"key": "dk_…"} → {"principal": Principal | null}: how the
 * gateway and the other subgraphs (core/auth/remote-api-key-resolver.ts) learn whom an
 * API key acts for. Internal: the gateway serves only /graphql, and deployments must not
 * expose this path publicly (it answers no more than using the key would).
 */
export function verifyApiKeyRoute(resolver: ApiKeyResolver): RouteHandler {
  return async (request, response) => {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return sendJson(response, 405, { error: 'Use POST with a JSON body {"key": "<API key>"}' });
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request, MAX_BODY_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof PayloadTooLargeError)
        return sendJson(response, 413, { error: error.message });
      return sendJson(response, 400, { error: 'Body must be JSON {"key": "<API key>"}' });
    }
    const key = (body as { key?: unknown } | null)?.key;
    if (typeof key !== 'string')
      return sendJson(response, 400, { error: 'Body must be JSON {"key": "<API key>"}' });
    sendJson(response, 200, { principal: await resolver.resolve(key) });
  };
}
