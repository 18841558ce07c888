import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { NotFoundError } from '../../../core/errors';
import { parseId } from '../../../core/graphql/ids';
import { ComplianceRunRecord } from '../entities/compliance-run.entity';
import { PolicyRecord } from '../entities/policy.entity';
import type { ComplianceQueue } from '../jobs/compliance-queue';
import { authorizePolicyChange, policyScope } from '../policies/policy.policy';
import type { RunEngine } from './run-engine';

/**
 * runComplianceCheck: records the run and queues it; the workers plan and evaluate it in
 * batches. The run is returned at once (finishedAt null until the last batch is done).
 */
export class RunComplianceCheckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: RunEngine,
    private readonly queue: ComplianceQueue,
  ) {}

  async execute(principal: Principal, policyId?: string | null): Promise<ComplianceRunRecord> {
    authorizePolicyChange(principal, 'Running a compliance check');
    let policy: PolicyRecord | null = null;
    if (policyId) {
      const id = parseId(policyId, 'policyId');
      policy = await this.dataSource
        .getRepository(PolicyRecord)
        .findOne({ where: { ...policyScope(principal), id } });
      if (!policy) throw new NotFoundError('Policy', id);
    }
    const runId = await this.engine.start({
      organizationId: principal.organizationId,
      scope: policy ? 'POLICY' : 'ALL',
      policyId: policy?.id ?? null,
      trigger: 'manual',
    });
    await this.queue.plan(runId);
    return (await this.dataSource
      .getRepository(ComplianceRunRecord)
      .findOne({ where: { id: runId, organizationId: principal.organizationId } }))!;
  }
}
