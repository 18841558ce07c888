import type { Config } from '../../../core/config/config';
import { createSubgraphDataSource } from '../../../core/db/data-source';
import type { Logger } from '../../../core/logging/logger';
import type { ObjectStorage } from '../../../core/storage/object-storage';
import { RunEngine } from '../services/run-engine';
import { DocumentEventsJob } from './document-events.job';

export interface ComplianceEventsConsumer {
  job: DocumentEventsJob;
  close: () => Promise<void>;
}

/** What the worker's event consumers need to hand document events to compliance. */
export async function createComplianceEventsConsumer(
  config: Config,
  logger: Logger,
  options: { storage?: ObjectStorage } = {},
): Promise<ComplianceEventsConsumer> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const storage =
    options.storage ??
    (
      require('../../../core/storage') as typeof import('../../../core/storage')
    ).createObjectStorage(config);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dataSource = createSubgraphDataSource({
    url: config.DATABASE_URL,
    schema: 'compliance',
    entities: [],
    migrations: [],
    poolSize: Math.min(config.DATABASE_POOL_SIZE, 4),
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  await dataSource.initialize();
  const engine = new RunEngine(dataSource, config.COMPLIANCE_BATCH_SIZE);
  return {
    job: new DocumentEventsJob(dataSource, engine, storage),
    close: () => dataSource.destroy(),
  };
}
