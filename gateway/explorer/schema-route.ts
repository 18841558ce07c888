import type { IncomingMessage, ServerResponse } from 'node:http';
import { printSchema, type GraphQLSchema } from 'graphql';
import { sendJson } from '../../core/http/role-server';

/**
 * `GET /schema.graphql`: the API schema's SDL (what clients can query; no federation internals),
 * for integrators and code generators. Served only where introspection is on: the same
 * information, the same decision.
 */
export function schemaRoute(schema: () => GraphQLSchema | undefined, enabled: boolean) {
  let printed: { schema: GraphQLSchema; sdl: string } | null = null;
  return async (_request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const current = schema();
    if (!enabled || !current) return sendJson(response, 404, { error: 'No route /schema.graphql' });
    if (printed?.schema !== current)
      printed = { schema: current, sdl: `${printSchema(current)}\n` };
    response.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(printed.sdl),
    });
    response.end(printed.sdl);
  };
}
