import type { SubgraphDefinition } from '../../core/graphql/subgraph';
import { ApiKeyRecord } from './entities/api-key.entity';
import { MembershipRecord } from './entities/membership.entity';
import { OrganizationRecord } from './entities/organization.entity';
import { RefreshTokenFamilyRecord } from './entities/refresh-token-family.entity';
import { RefreshTokenRecord } from './entities/refresh-token.entity';
import { UserRecord } from './entities/user.entity';
import { CreateAccounts1764000000000 } from './migrations/1764000000000-create-accounts';
import { ApiKeyResolver } from './resolvers/api-key.resolver';
import { MembershipResolver } from './resolvers/membership.resolver';
import { accountsReferenceResolvers } from './resolvers/reference.resolvers';
import { SessionResolver } from './resolvers/session.resolver';
import { verifyApiKeyRoute } from './routes/verify-api-key.route';
import { createAccountsServices, type AccountsServices } from './services';

/** Organizations, users, memberships and roles, sessions (refresh tokens) and API keys. */
export const accountsSubgraph: SubgraphDefinition<AccountsServices> = {
  name: 'accounts',
  port: (config) => config.ACCOUNTS_PORT,
  entities: [
    OrganizationRecord,
    UserRecord,
    MembershipRecord,
    RefreshTokenFamilyRecord,
    RefreshTokenRecord,
    ApiKeyRecord,
  ],
  migrations: [CreateAccounts1764000000000],
  resolvers: [SessionResolver, MembershipResolver, ApiKeyResolver],
  createServices: createAccountsServices,
  referenceResolvers: accountsReferenceResolvers,
  // Accounts alone reads the keys table: it resolves keys itself, and answers the others over HTTP.
  apiKeyResolver: (services) => services.resolveApiKey,
  routes: (services) => ({
    '/internal/api-keys/verify': verifyApiKeyRoute(services.resolveApiKey),
  }),
};
