import { randomBytes } from 'node:crypto';
import type { Config } from '../../../core/config/config';
import type { RunningSubgraph } from '../../../core/graphql/subgraph';
import { SubgraphHarness } from '../../../test/support/subgraph-harness';
import { graphql, type GraphQLResponse } from '../../../test/support/graphql-client';
import { accountsSubgraph } from '..';

/** What signUp and login answer, as the tests read it. */
export interface TestSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  me: {
    user: { id: string; email: string; name: string };
    organization: { id: string; name: string; slug: string };
    role: string;
  };
}

export const SESSION_FIELDS = `accessToken refreshToken expiresAt
  me { user { id email name } organization { id name slug } role }`;

export const PASSWORD = 'Correct-Horse-9';

/**
 * The accounts subgraph on a free port over its own database (cloned from the migrated
 * template) and its own Redis prefix; the integration tests drive it over HTTP.
 */
export class AccountsHarness {
  private constructor(private readonly harness: SubgraphHarness) {}

  static async start(env: Record<string, string> = {}): Promise<AccountsHarness> {
    return new AccountsHarness(await SubgraphHarness.start(accountsSubgraph, env));
  }

  get config(): Config {
    return this.harness.config;
  }

  get running(): RunningSubgraph {
    return this.harness.running;
  }

  get url(): string {
    return this.running.url;
  }

  /** The subgraph's origin, for its non-GraphQL routes. */
  get origin(): string {
    return new URL(this.running.url).origin;
  }

  gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string | null,
  ): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.url, query, variables, token);
  }

  /** Direct SQL on the subgraph's database, for arranging and inspecting state. */
  sql<T = Record<string, unknown>>(query: string, parameters: unknown[] = []): Promise<T[]> {
    return this.running.dataSource.query(query, parameters);
  }

  /** A new organization with a new OWNER, signed in: every test gets its own tenant. */
  async signUp(
    overrides: Partial<{
      email: string;
      password: string;
      name: string;
      organizationName: string;
    }> = {},
  ): Promise<TestSession> {
    const input = {
      email: uniqueEmail(),
      password: PASSWORD,
      name: 'Ada Lovelace',
      organizationName: `Org ${randomBytes(4).toString('hex')}`,
      ...overrides,
    };
    const response = await this.gql<{ signUp: TestSession }>(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { ${SESSION_FIELDS} } }`,
      { input },
    );
    if (!response.data?.signUp)
      throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
    return response.data.signUp;
  }

  async login(
    email: string,
    password = PASSWORD,
  ): Promise<GraphQLResponse<{ login: TestSession }>> {
    return this.gql(
      `mutation ($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`,
      {
        input: { email, password },
      },
    );
  }

  /** A member of `owner`'s organization with `role`, signed in. */
  async member(owner: TestSession, role: string): Promise<TestSession> {
    const email = uniqueEmail();
    const added = await this.gql(
      `mutation ($input: AddMemberInput!) { addMember(input: $input) { role } }`,
      { input: { email, name: `A ${role.toLowerCase()}`, password: PASSWORD, role } },
      owner.accessToken,
    );
    if (added.errors) throw new Error(`addMember failed: ${JSON.stringify(added.errors)}`);
    const login = await this.login(email);
    if (!login.data?.login) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
    return login.data.login;
  }

  stop(): Promise<void> {
    return this.harness.stop();
  }
}

export function uniqueEmail(): string {
  return `user-${randomBytes(6).toString('hex')}@example.com`;
}
