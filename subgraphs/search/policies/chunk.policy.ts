import type { Principal } from '../../../core/auth/principal';

/** A SQL condition with TypeORM-style named parameters (`:name`). */
export interface ScopeCondition {
  condition: string;
  parameters: Record<string, unknown>;
}

const ALIAS = /^[a-z_][a-z0-9_]*$/;

/**
 * What a caller may see of the search index: the chunks of their own organization. This is the
 * one place it is decided. Every search read path applies it to its chunks alias: TypeORM query
 * builders (`qb.where(scope.condition, scope.parameters)`) and the raw SQL of keyword and vector
 * search (`dataSource.driver.escapeQueryWithParameters`) alike, so that when visibility grows
 * (documents shared with users and groups) only this function changes.
 */
export function chunkScope(principal: Principal, alias: string): ScopeCondition {
  if (!ALIAS.test(alias)) throw new Error(`Invalid SQL alias ${alias}`);
  return {
    condition: `${alias}.organization_id = :chunkScopeOrganizationId`,
    parameters: { chunkScopeOrganizationId: principal.organizationId },
  };
}
