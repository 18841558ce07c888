import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './gateway-context';

/** Forwards the caller's credential and request id to a subgraph; never an identity header. */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!request.http) return;
    // Context is absent on the gateway's own health checks.
    const ctx = context as Partial<GatewayContext> | undefined;
    if (ctx?.authorization) request.http.headers.set('authorization', ctx.authorization);
    if (ctx?.requestId) request.http.headers.set('x-request-id', ctx.requestId);
  }
}
