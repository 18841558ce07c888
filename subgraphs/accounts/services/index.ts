import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { AddMemberService } from './add-member.service';
import { CreateApiKeyService } from './create-api-key.service';
import { IssueSessionService } from './issue-session.service';
import { ListApiKeysService } from './list-api-keys.service';
import { ListMembersService } from './list-members.service';
import { LoginThrottle } from './login-throttle.service';
import { LoginService } from './login.service';
import { LogoutService } from './logout.service';
import { MeService } from './me.service';
import { OrganizationLookupService } from './organization-lookup.service';
import { PasswordHasher } from './password-hasher.service';
import { RefreshSessionService } from './refresh-session.service';
import { ResolveApiKeyService } from './resolve-api-key.service';
import { RevokeApiKeyService } from './revoke-api-key.service';
import { SignUpService } from './sign-up.service';
import { UserLookupService } from './user-lookup.service';

export interface AccountsServices {
  signUp: SignUpService;
  login: LoginService;
  refreshSession: RefreshSessionService;
  logout: LogoutService;
  me: MeService;
  listMembers: ListMembersService;
  addMember: AddMemberService;
  listApiKeys: ListApiKeysService;
  createApiKey: CreateApiKeyService;
  revokeApiKey: RevokeApiKeyService;
  resolveApiKey: ResolveApiKeyService;
  users: UserLookupService;
  organizations: OrganizationLookupService;
}

export function createAccountsServices(runtime: SubgraphRuntime): AccountsServices {
  const { config, dataSource, redis, logger, accessTokens } = runtime;
  const hasher = new PasswordHasher();
  const sessions = new IssueSessionService(accessTokens, config.REFRESH_TOKEN_TTL_DAYS);
  const throttle = new LoginThrottle(
    redis,
    { maxFailures: config.LOGIN_MAX_FAILURES, windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS },
    logger,
  );
  return {
    signUp: new SignUpService(dataSource, hasher, sessions),
    login: new LoginService(dataSource, hasher, throttle, sessions),
    refreshSession: new RefreshSessionService(dataSource, sessions),
    logout: new LogoutService(dataSource),
    me: new MeService(dataSource),
    listMembers: new ListMembersService(dataSource),
    addMember: new AddMemberService(dataSource, hasher),
    listApiKeys: new ListApiKeysService(dataSource),
    createApiKey: new CreateApiKeyService(dataSource),
    revokeApiKey: new RevokeApiKeyService(dataSource),
    resolveApiKey: new ResolveApiKeyService(dataSource, logger),
    users: new UserLookupService(dataSource),
    organizations: new OrganizationLookupService(dataSource),
  };
}
