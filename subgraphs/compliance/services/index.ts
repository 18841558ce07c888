import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { createRedis } from '../../../core/redis/redis';
import { ComplianceQueue } from '../jobs/compliance-queue';
import { FindPolicyService } from './find-policy.service';
import { FindingsService } from './findings.service';
import { ListComplianceRunsService } from './list-compliance-runs.service';
import { ListPoliciesService } from './list-policies.service';
import { RunComplianceCheckService } from './run-compliance-check.service';
import { RunEngine } from './run-engine';
import { WritePolicyService } from './write-policy.service';

export interface ComplianceServices {
  listPolicies: ListPoliciesService;
  findPolicy: FindPolicyService;
  writePolicy: WritePolicyService;
  listComplianceRuns: ListComplianceRunsService;
  runComplianceCheck: RunComplianceCheckService;
  findings: FindingsService;
  close: () => Promise<void>;
}

export function createComplianceServices(runtime: SubgraphRuntime): ComplianceServices {
  const { config, dataSource } = runtime;
  // BullMQ needs a connection without the subgraph's key prefix.
  const connection = createRedis(config.REDIS_URL);
  connection.on('error', (error) => runtime.logger.warn({ err: error }, 'redis connection error'));
  const queue = new ComplianceQueue(connection, config.REDIS_PREFIX);
  queue.queue.on('error', (error) => runtime.logger.warn({ err: error }, 'compliance queue error'));
  const engine = new RunEngine(dataSource, config.COMPLIANCE_BATCH_SIZE);
  return {
    listPolicies: new ListPoliciesService(dataSource),
    findPolicy: new FindPolicyService(dataSource),
    writePolicy: new WritePolicyService(dataSource),
    listComplianceRuns: new ListComplianceRunsService(dataSource),
    runComplianceCheck: new RunComplianceCheckService(dataSource, engine, queue),
    findings: new FindingsService(dataSource),
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}
