import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { UnauthenticatedError } from '../../../core/errors';
import type { Me } from './issue-session.service';
import { loadMembership } from './load-membership';

/**
 * The caller as the API sees them: their user, their organization, and the role they act
 * with now (an API key's own role; a user's from their token).
 */
export class MeService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(principal: Principal): Promise<Me> {
    const membership = await loadMembership(
      this.dataSource.manager,
      principal.organizationId,
      principal.userId,
    );
    if (!membership)
      throw new UnauthenticatedError('You are no longer a member of this organization');
    return { ...membership, role: principal.role };
  }
}
