import type { EntityManager } from 'typeorm';
import { RuleKind } from '../entities/rule-kind.enum';
import type { RunScope } from '../entities/compliance-run.entity';
import { DEFAULT_POLICIES } from '../rules/default-policies';
import type { EvaluatedPolicy } from './finding-writer';

/**
 * Enabled policies as evaluation reads them, and the default set a new organization gets. The
 * organization is in every statement.
 */
export class PolicyStore {
  async forRun(
    manager: EntityManager,
    organizationId: string,
    scope: RunScope,
    policyId: string | null,
  ): Promise<EvaluatedPolicy[]> {
    const rows: EvaluatedPolicy[] = await manager.query(
      `SELECT id, name, severity, kind, params, categories FROM compliance.policies
       WHERE organization_id = $1 AND enabled
         AND ($2::text IS NULL OR kind = $2) AND ($3::uuid IS NULL OR id = $3)
       ORDER BY created_at, id`,
      [organizationId, scope === 'EXPIRY' ? RuleKind.EXPIRES_WITHIN : null, policyId],
    );
    return rows;
  }

  /**
   * Seeds the default policies the first time compliance meets an organization, whatever meets
   * it first (a document event, a read of policies, a run). There is no "organization created"
   * event: the first use is the one moment every path shares. Idempotent: the organization's
   * row is claimed with ON CONFLICT DO NOTHING, so two concurrent first uses seed once, and an
   * organization that deleted its defaults does not get them back.
   */
  async ensureDefaults(manager: EntityManager, organizationId: string): Promise<void> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO compliance.organizations (organization_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING organization_id`,
      [organizationId],
    );
    if (claimed.length === 0) return;
    await manager.query(
      `INSERT INTO compliance.policies (organization_id, name, description, severity, kind, params, categories, created_at, updated_at)
       SELECT $1, n, d, s, k, p, c, now() + o * interval '1 millisecond', now()
       FROM jsonb_to_recordset($2::jsonb) AS t(n text, d text, s text, k text, p jsonb, c text[], o int)`,
      [
        organizationId,
        JSON.stringify(
          DEFAULT_POLICIES.map((p, o) => ({
            o,
            n: p.name,
            d: p.description,
            s: p.severity,
            k: p.kind,
            p: p.params,
            c: p.categories,
          })),
        ),
      ],
    );
  }
}
