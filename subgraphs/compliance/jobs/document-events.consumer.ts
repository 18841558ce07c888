import type { Config } from '../../../core/config/config';
import { loadObjectStorage } from '../../../core/storage/load-object-storage';
import { openWorkerDataSource } from '../../../core/db/data-source';
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
  const storage = options.storage ?? loadObjectStorage(config);
  const dataSource = await openWorkerDataSource(config, 'compliance', logger);
  const engine = new RunEngine(dataSource, config.COMPLIANCE_BATCH_SIZE);
  return {
    job: new DocumentEventsJob(dataSource, engine, storage),
    close: () => dataSource.destroy(),
  };
}
