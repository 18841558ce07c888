import type { Role } from './role';

/** Who is calling: a signed-in user, or an API key acting with its own role for its creator. */
export interface Principal {
  kind: 'user' | 'apiKey';
  userId: string;
  organizationId: string;
  role: Role;
  apiKeyId?: string;
  /** Epoch seconds after which the credential no longer holds (access tokens only). */
  expiresAt?: number;
}
