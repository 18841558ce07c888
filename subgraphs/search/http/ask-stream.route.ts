import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { CredentialVerifier } from '../../../core/auth/credential-verifier';
import { type AskStreamLine } from '../../../core/graphql/ask-stream-protocol';
import { ErrorCode } from '../../../core/errors';
import { PayloadTooLargeError, readBody } from '../../../core/http/read-body';
import { sendJson, type RouteHandler } from '../../../core/http/role-server';
import type { Logger } from '../../../core/logging/logger';
import type { AskService } from '../services/ask.service';
import type { AskReplayStore } from '../services/ask-replay-store';
import type { SearchFilterInput } from '../services/search-filter';

const MAX_BODY_BYTES = 64 * 1024;

function filterFrom(raw: unknown): SearchFilterInput | null {
  if (!raw || typeof raw !== 'object') return null;
  const f = raw as Record<string, unknown>;
  const date = (v: unknown, field: string): Date | null => {
    if (v == null) return null;
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime()))
      throw new GraphQLError(`${field} is not a date`, {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    return d;
  };
  const strings = (v: unknown): string[] | null =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
  return {
    documentIds: strings(f.documentIds),
    category: typeof f.category === 'string' ? f.category : null,
    tags: strings(f.tags),
    createdAfter: date(f.createdAfter, 'filter.createdAfter'),
    createdBefore: date(f.createdBefore, 'filter.createdBefore'),
  };
}

/**
 * askStream's source: `POST /internal/ask-stream` `{ question, filter }` with the subscriber's
 * own credential (verified here like any request to this subgraph), answered as
 * newline-delimited JSON: `{ text }` per delta as the answerer produces it, then
 * `{ done, replayId }` (the whole answer, kept briefly for the gateway to resolve the
 * subscriber's selection through `ask`), or `{ error }`. A client that goes away stops the answer.
 */
export function askStreamRoute(deps: {
  verifier: CredentialVerifier;
  ask: AskService;
  replays: AskReplayStore;
  logger: Logger;
}): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'POST only' });
    const principal = await deps.verifier.verify(request.headers.authorization).catch(() => null);
    if (!principal) return sendJson(response, 401, { error: 'Unauthenticated' });
    let body: { question?: unknown; filter?: unknown };
    try {
      body = JSON.parse((await readBody(request, MAX_BODY_BYTES)).toString('utf8')) as typeof body;
    } catch (error) {
      const status = error instanceof PayloadTooLargeError ? 413 : 400;
      return sendJson(response, status, { error: 'Expected a JSON body { question, filter }' });
    }
    if (typeof body.question !== 'string')
      return sendJson(response, 400, { error: 'question must be a string' });
    const question = body.question;

    response.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
    });
    const send = (line: AskStreamLine) => response.write(`${JSON.stringify(line)}\n`);
    let gone = false;
    response.on('close', () => {
      gone = true;
    });
    try {
      const stream = deps.ask.stream(principal, { question, filter: filterFrom(body.filter) });
      for (;;) {
        const next = await stream.next();
        if (gone) {
          await stream.return(undefined as never);
          return;
        }
        if (next.done) {
          send({ done: true, replayId: await deps.replays.save(principal, question, next.value) });
          break;
        }
        send({ text: next.value.text });
      }
    } catch (error) {
      const code =
        error instanceof GraphQLError && typeof error.extensions.code === 'string'
          ? error.extensions.code
          : ErrorCode.INTERNAL_SERVER_ERROR;
      if (code === ErrorCode.INTERNAL_SERVER_ERROR)
        deps.logger.error({ err: error }, 'askStream failed');
      send({
        error: {
          message:
            code === ErrorCode.INTERNAL_SERVER_ERROR
              ? 'Internal server error'
              : (error as Error).message,
          code,
        },
      });
    }
    response.end();
  };
}
