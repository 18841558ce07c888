import type { DataSource, Repository } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { pageSize } from '../../../core/graphql/relay';
import { ComplianceRunRecord } from '../entities/compliance-run.entity';
import { complianceRunScope } from '../policies/compliance-run.policy';

/** The caller's organization's most recent compliance runs, newest first. */
export class ListComplianceRunsService {
  private readonly runs: Repository<ComplianceRunRecord>;

  constructor(dataSource: DataSource) {
    this.runs = dataSource.getRepository(ComplianceRunRecord);
  }

  async execute(principal: Principal, first?: number | null): Promise<ComplianceRunRecord[]> {
    const limit = pageSize(first);
    // TypeORM reads `take: 0` as "no limit".
    if (limit === 0) return [];
    return this.runs.find({
      where: complianceRunScope(principal),
      order: { startedAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
