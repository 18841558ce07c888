import type { FindOptionsWhere } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import type { ComplianceRunRecord } from '../entities/compliance-run.entity';

/**
 * Which compliance runs a caller may see: every run of their own organization, whatever their
 * role. The one place this is decided; every read of runs applies it.
 */
export function complianceRunScope(principal: Principal): FindOptionsWhere<ComplianceRunRecord> {
  return { organizationId: principal.organizationId };
}
