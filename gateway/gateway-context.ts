import type { Principal } from '../core/auth/principal';

export interface GatewayContext {
  principal: Principal | null;
  /** The caller's own Authorization header, forwarded as is: subgraphs verify it again. */
  authorization: string | null;
  requestId: string;
}
