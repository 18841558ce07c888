import 'reflect-metadata';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';
import { printSubgraphSdl } from '../../../core/graphql/subgraph';
import { accountsSubgraph } from '..';
import { authorizeCreateApiKey, authorizeRevokeApiKey } from './api-key.policy';
import { authorizeAddMember, authorizeListMembers } from './membership.policy';
import { authorizeOperation, OPERATION_GUARDS } from './operation-guards';

const user = (role: Role): Principal => ({ kind: 'user', userId: 'u', organizationId: 'o', role });
const apiKey = (role: Role): Principal => ({
  kind: 'apiKey',
  userId: 'u',
  organizationId: 'o',
  role,
  apiKeyId: 'k',
});
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('operation guards', () => {
  // Changing who may reach an operation changes this table: review it.
  it('pins who may reach each operation', () => {
    expect(OPERATION_GUARDS).toEqual({
      'Query.me': { minimumRole: 'VIEWER', apiKeys: true },
      'Query.members': { minimumRole: 'VIEWER', apiKeys: true },
      'Query.apiKeys': { minimumRole: 'ADMIN', apiKeys: true },
      'Mutation.signUp': { public: true, reason: 'creates a new organization and its first user' },
      'Mutation.login': { public: true, reason: 'authenticates with e-mail and password' },
      'Mutation.refreshSession': { public: true, reason: 'authenticates with the refresh token' },
      'Mutation.logout': { public: true, reason: 'authenticates with the refresh token' },
      'Mutation.addMember': { minimumRole: 'ADMIN', apiKeys: false },
      'Mutation.createApiKey': { minimumRole: 'ADMIN', apiKeys: false },
      'Mutation.revokeApiKey': { minimumRole: 'ADMIN', apiKeys: false },
      'User.__resolveReference': { minimumRole: 'VIEWER', apiKeys: true },
      'Organization.__resolveReference': { minimumRole: 'VIEWER', apiKeys: true },
    });
  });

  it('has a guard for every operation and entity of the schema', async () => {
    const sdl = await printSubgraphSdl(accountsSubgraph);
    const fieldsOf = (type: string) => {
      const block = new RegExp(`type ${type} \\{([^}]*)\\}`).exec(sdl)?.[1] ?? '';
      return [...block.matchAll(/^\s+(\w+)[(:]/gm)].map((m) => `${type}.${m[1]}`);
    };
    // Other type directives (@sameForOrganization) may come before @key.
    const entities = [...sdl.matchAll(/type (\w+)\s+(?:@\w+\s+)*@key/g)].map(
      (m) => `${m[1]}.__resolveReference`,
    );
    const operations = [
      ...fieldsOf('Query').filter((f) => !f.startsWith('Query._')),
      ...fieldsOf('Mutation'),
      ...entities,
    ];
    expect(operations.sort()).toEqual(Object.keys(OPERATION_GUARDS).sort());
  });

  it('refuses anonymous callers and roles below the minimum', () => {
    expect(code(() => authorizeOperation(null, 'Query.me'))).toBe('UNAUTHENTICATED');
    expect(code(() => authorizeOperation(user(Role.MEMBER), 'Query.apiKeys'))).toBe('FORBIDDEN');
    expect(authorizeOperation(user(Role.ADMIN), 'Query.apiKeys').role).toBe(Role.ADMIN);
    expect(authorizeListMembers(apiKey(Role.VIEWER)).kind).toBe('apiKey');
  });

  it('refuses API keys the operations that create credentials, whatever their role', () => {
    expect(code(() => authorizeAddMember(apiKey(Role.OWNER), Role.VIEWER))).toBe('FORBIDDEN');
    expect(code(() => authorizeCreateApiKey(apiKey(Role.OWNER), Role.VIEWER))).toBe('FORBIDDEN');
    expect(code(() => authorizeOperation(apiKey(Role.OWNER), 'Mutation.revokeApiKey'))).toBe(
      'FORBIDDEN',
    );
  });

  it('never lets a caller grant or revoke a role above their own', () => {
    expect(code(() => authorizeAddMember(user(Role.ADMIN), Role.OWNER))).toBe('FORBIDDEN');
    expect(authorizeAddMember(user(Role.ADMIN), Role.ADMIN).role).toBe(Role.ADMIN);
    expect(authorizeAddMember(user(Role.OWNER), Role.OWNER).role).toBe(Role.OWNER);
    expect(code(() => authorizeCreateApiKey(user(Role.ADMIN), Role.OWNER))).toBe('FORBIDDEN');
    expect(authorizeCreateApiKey(user(Role.ADMIN), Role.MEMBER).role).toBe(Role.ADMIN);
    expect(code(() => authorizeRevokeApiKey(user(Role.ADMIN), { role: Role.OWNER }))).toBe(
      'FORBIDDEN',
    );
    expect(() => authorizeRevokeApiKey(user(Role.ADMIN), { role: Role.ADMIN })).not.toThrow();
  });
});
