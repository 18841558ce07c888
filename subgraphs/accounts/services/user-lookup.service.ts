import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { isId } from '../../../core/graphql/ids';
import { requestLoader } from '../../../core/graphql/request-loader';
import type { UserRecord } from '../entities/user.entity';
import { userVisibilityScope } from '../policies/user.policy';
import { queryRows } from './sql-rows';

/**
 * Users by id for entity references (`User.__resolveReference`), as the caller may see them:
 * members of the caller's organization; anyone else is null. The references of one request
 * (a page of documents and their uploaders) are loaded in one query.
 */
export class UserLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** `request` is the request's GraphQL context: batching never crosses requests or callers. */
  async find(principal: Principal, id: string, request: object): Promise<UserRecord | null> {
    if (!isId(id)) return null;
    const { organizationId } = userVisibilityScope(principal);
    const loader = requestLoader<string, UserRecord | null>(request, 'accounts:user', (ids) =>
      this.load(organizationId, ids),
    );
    return loader.load(id.toLowerCase());
  }

  private async load(
    organizationId: string,
    ids: readonly string[],
  ): Promise<(UserRecord | null)[]> {
    const rows = await queryRows<UserRecord>(
      this.dataSource.manager,
      `SELECT u.id, u.email, u.name, u.created_at AS "createdAt"
         FROM accounts.users u
         JOIN accounts.memberships m ON m.user_id = u.id AND m.organization_id = $1
        WHERE u.id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
