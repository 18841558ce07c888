import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import { authorizeOrganizationReference } from '../policies/organization.policy';
import { authorizeUserReference } from '../policies/user.policy';
import type { AccountsServices } from '../services';
import { type Organization, toOrganization } from './organization.types';
import { toUser, type User } from './user.types';

/**
 * The entities other subgraphs point at (`Document.uploadedBy: User`). Each resolves only
 * within the caller's organization; anything else is null, never another tenant's data.
 */
export async function resolveUserReference(
  services: AccountsServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<User | null> {
  const record = await services.users.find(
    authorizeUserReference(ctx.principal),
    reference.id,
    ctx,
  );
  return record ? toUser(record) : null;
}

export async function resolveOrganizationReference(
  services: AccountsServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<Organization | null> {
  const record = await services.organizations.find(
    authorizeOrganizationReference(ctx.principal),
    reference.id,
  );
  return record ? toOrganization(record) : null;
}

export function accountsReferenceResolvers(
  services: AccountsServices,
): GraphQLResolverMap<unknown> {
  return {
    User: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolveUserReference(services, reference, ctx as SubgraphContext),
    },
    Organization: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolveOrganizationReference(services, reference, ctx as SubgraphContext),
    },
  };
}
