import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { BadUserInputError, NotFoundError } from '../../../core/errors';
import { EventType } from '../../../core/events/catalogue';
import { parseId } from '../../../core/graphql/ids';
import { Severity } from '../../../core/graphql/severity';
import { PolicyRecord } from '../entities/policy.entity';
import { RuleKind } from '../entities/rule-kind.enum';
import { appendManyToOutbox } from '../../../core/events/outbox';
import { COMPLIANCE_OUTBOX, findingEvent } from '../events/compliance-events';
import { authorizePolicyChange, policyScope } from '../policies/policy.policy';
import { parseRuleParams } from '../rules/rule-params';
import type { PolicyInput } from '../resolvers/policy-input.types';
import { PolicyStore } from './policy.store';
import { updatedRows } from './updated-rows';

const NAME_MAX = 200;
const DESCRIPTION_MAX = 2000;

type PolicyValues = Pick<
  PolicyRecord,
  'name' | 'description' | 'severity' | 'enabled' | 'kind' | 'params' | 'categories'
>;

/** The input checked field by field; the first fault is BAD_USER_INPUT naming its field. */
export function parsePolicyInput(input: PolicyInput): PolicyValues {
  const name = input.name?.trim() ?? '';
  if (name.length < 1 || name.length > NAME_MAX)
    throw new BadUserInputError(`name must be 1 to ${NAME_MAX} characters`, 'name');
  const description = input.description?.trim() || null;
  if (description && description.length > DESCRIPTION_MAX)
    throw new BadUserInputError(
      `description must be at most ${DESCRIPTION_MAX} characters`,
      'description',
    );
  if (!Object.values(Severity).includes(input.severity))
    throw new BadUserInputError('severity is not a Severity', 'severity');
  if (!Object.values(RuleKind).includes(input.kind))
    throw new BadUserInputError('kind is not a RuleKind', 'kind');
  if (input.params === null || typeof input.params !== 'object' || Array.isArray(input.params))
    throw new BadUserInputError('params must be an object', 'params');
  const parsed = parseRuleParams(input.kind, input.params);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, parsed.path);
  const categories = [...new Set((input.categories ?? []).map((c) => c.trim()))];
  if (categories.some((c) => c.length === 0 || c.length > 100))
    throw new BadUserInputError('each category must be 1 to 100 characters', 'categories');
  if (categories.length > 100) throw new BadUserInputError('at most 100 categories', 'categories');
  return {
    name,
    description,
    severity: input.severity,
    enabled: input.enabled ?? true,
    kind: input.kind,
    params: parsed.params,
    categories,
  };
}

export const DISABLED_NOTE = 'The policy was disabled';

/** createPolicy / updatePolicy / deletePolicy: ADMIN and above, in the caller's organization. */
export class WritePolicyService {
  private readonly store = new PolicyStore();

  constructor(private readonly dataSource: DataSource) {}

  async create(principal: Principal, input: PolicyInput): Promise<PolicyRecord> {
    authorizePolicyChange(principal, 'Creating a policy');
    const values = parsePolicyInput(input);
    return this.dataSource.transaction(async (manager) => {
      await this.store.ensureDefaults(manager, principal.organizationId);
      const repository = manager.getRepository(PolicyRecord);
      return repository.save(
        repository.create({ ...values, organizationId: principal.organizationId }),
      );
    });
  }

  async update(principal: Principal, id: string, input: PolicyInput): Promise<PolicyRecord> {
    authorizePolicyChange(principal, 'Updating a policy');
    const policyId = parseId(id);
    const values = parsePolicyInput(input);
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(PolicyRecord);
      const policy = await repository.findOne({
        where: { ...policyScope(principal), id: policyId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!policy) throw new NotFoundError('Policy', policyId);
      Object.assign(policy, values);
      const saved = await repository.save(policy);
      // A disabled policy stops judging: what it had found is resolved, evidence kept.
      if (!saved.enabled) await this.resolveOpenFindings(manager, saved);
      return saved;
    });
  }

  async delete(principal: Principal, id: string): Promise<boolean> {
    authorizePolicyChange(principal, 'Deleting a policy');
    const policyId = parseId(id);
    // Its findings go with it (foreign key ON DELETE CASCADE).
    const result = await this.dataSource
      .getRepository(PolicyRecord)
      .delete({ ...policyScope(principal), id: policyId });
    if (!result.affected) throw new NotFoundError('Policy', policyId);
    return true;
  }

  private async resolveOpenFindings(manager: EntityManager, policy: PolicyRecord): Promise<void> {
    const resolved = updatedRows<{
      id: string;
      document_id: string;
      message: string;
      evidence: string | null;
      title: string | null;
      uploaded_by_id: string | null;
    }>(
      await manager.query(
        `UPDATE compliance.findings f SET status = 'RESOLVED', resolved_at = now(), resolution_note = $3
       FROM (SELECT f2.id, d.title, d.uploaded_by_id FROM compliance.findings f2
             LEFT JOIN compliance.documents d ON d.document_id = f2.document_id AND d.organization_id = f2.organization_id
             WHERE f2.organization_id = $1 AND f2.policy_id = $2 AND f2.status <> 'RESOLVED') o
       WHERE f.id = o.id
       RETURNING f.id, f.document_id, f.message, f.evidence, o.title, o.uploaded_by_id`,
        [policy.organizationId, policy.id, DISABLED_NOTE],
      ),
    );
    await appendManyToOutbox(
      manager,
      COMPLIANCE_OUTBOX,
      resolved.map((r) =>
        findingEvent(EventType.FindingResolved, policy.organizationId, {
          findingId: r.id,
          policyId: policy.id,
          policyName: policy.name,
          documentId: r.document_id,
          title: r.title ?? '',
          uploadedById: r.uploaded_by_id,
          severity: policy.severity,
          status: 'RESOLVED',
          message: r.message,
          evidence: r.evidence,
        }),
      ),
    );
  }
}
