import { randomBytes, randomUUID } from 'node:crypto';
import { AccessTokens } from '../../core/auth/access-token';
import { Role } from '../../core/auth/role';
import { loadConfig, type Config } from '../../core/config/config';
import {
  startSubgraph,
  type AnySubgraphDefinition,
  type RunningSubgraph,
} from '../../core/graphql/subgraph';
import { createLogger } from '../../core/logging/logger';
import { createTestDatabase } from './database';

/**
 * One real subgraph on a free port over a fresh database (cloned from the migrated template)
 * and a Redis prefix of its own: what a subgraph's integration tests drive over HTTP.
 */
export class SubgraphHarness {
  private constructor(
    readonly config: Config,
    readonly running: RunningSubgraph,
    readonly tokens: AccessTokens,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(
    definition: AnySubgraphDefinition,
    env: Record<string, string> = {},
  ): Promise<SubgraphHarness> {
    const database = await createTestDatabase();
    try {
      const config = loadConfig({
        DATABASE_URL: database.url,
        REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
        DATABASE_POOL_SIZE: '4',
        SHUTDOWN_GRACE_MS: '500',
        ...env,
      });
      const running = await startSubgraph(definition, config, createLogger('test', 'silent'), {
        port: 0,
      });
      const tokens = new AccessTokens({
        secret: config.JWT_SECRET,
        issuer: config.JWT_ISSUER,
        ttlSeconds: 900,
      });
      return new SubgraphHarness(config, running, tokens, database.drop);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  get url(): string {
    return this.running.url;
  }

  /** An access token for a user of `organizationId` with `role` (new ids when omitted). */
  async token(
    role: Role = Role.MEMBER,
    organizationId: string = randomUUID(),
    userId: string = randomUUID(),
  ): Promise<string> {
    return (await this.tokens.sign({ userId, organizationId, role })).token;
  }

  async stop(): Promise<void> {
    await this.running.stop();
    await this.dropDatabase();
  }
}
