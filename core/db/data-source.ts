import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import type { Logger } from '../logging/logger';

export interface SubgraphDataSourceOptions {
  url: string;
  /** The PostgreSQL schema this subgraph owns; it reads and writes nothing else. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  statementTimeoutMs?: number;
  logger?: Logger;
}

/** One TypeORM data source per subgraph, bound to its own schema. `synchronize` never runs. */
export function createSubgraphDataSource(options: SubgraphDataSourceOptions): DataSource {
  const statementTimeout = options.statementTimeoutMs ?? 15_000;
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: `docent-${options.schema}`,
    poolSize: options.poolSize ?? 10,
    // An idle client's failure would otherwise be an unhandled 'error' event and end the process.
    poolErrorHandler: (error: Error) =>
      options.logger?.warn({ err: error }, 'idle database client failed'),
    extra: {
      connectionTimeoutMillis: 5_000,
      statement_timeout: statementTimeout,
      idle_in_transaction_session_timeout: statementTimeout * 2,
    },
  });
}

/**
 * A subgraph's data source for a worker-side consumer or job runner, opened: a small pool
 * (workers run several of these in one process), the deployment's statement timeout.
 */
export async function openWorkerDataSource(
  config: {
    DATABASE_URL: string;
    DATABASE_POOL_SIZE: number;
    DATABASE_STATEMENT_TIMEOUT_MS: number;
  },
  schema: string,
  logger: Logger,
  options: Pick<SubgraphDataSourceOptions, 'entities'> & { poolSize?: number } = { entities: [] },
): Promise<DataSource> {
  const dataSource = createSubgraphDataSource({
    url: config.DATABASE_URL,
    schema,
    entities: options.entities,
    migrations: [],
    poolSize: Math.min(config.DATABASE_POOL_SIZE, options.poolSize ?? 4),
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  await dataSource.initialize();
  return dataSource;
}
