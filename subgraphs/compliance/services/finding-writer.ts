import type { EntityManager } from 'typeorm';
import { EventType, type DomainEvent } from '../../../core/events/catalogue';
import type { Severity } from '../../../core/graphql/severity';
import { FindingStatus } from '../entities/finding-status.enum';
import { appendManyToOutbox } from '../../../core/events/outbox';
import { COMPLIANCE_OUTBOX, findingEvent } from '../events/compliance-events';
import type { EvaluatedDocument } from '../rules/evaluated-document';
import { evaluateRule, type RulePolicy } from '../rules/evaluate-rule';

/** A policy as evaluation reads it. */
export interface EvaluatedPolicy extends RulePolicy {
  id: string;
  name: string;
  severity: Severity;
}

export interface FindingChanges {
  opened: number;
  resolved: number;
}

interface OpenFindingRow {
  id: string;
  policy_id: string;
  document_id: string;
  status: FindingStatus;
  message: string;
  evidence: string | null;
}

export const CLEARED_NOTE = 'The condition no longer holds';

const key = (policyId: string, documentId: string) => `${policyId}/${documentId}`;

/**
 * Turns verdicts into findings, in the caller's transaction: one unresolved finding per
 * policy × document (the partial unique index backs it), opened when a rule is breached,
 * refreshed while it stays breached, resolved (evidence kept) when it clears; every open and
 * resolve writes its event to the outbox in the same transaction.
 */
export class FindingWriter {
  async apply(
    manager: EntityManager,
    organizationId: string,
    documents: EvaluatedDocument[],
    policies: EvaluatedPolicy[],
    uploaders: Map<string, string | null>,
    now: Date,
  ): Promise<FindingChanges> {
    if (documents.length === 0 || policies.length === 0) return { opened: 0, resolved: 0 };
    const existing: OpenFindingRow[] = await manager.query(
      `SELECT id, policy_id, document_id, status, message, evidence FROM compliance.findings
       WHERE organization_id = $1 AND document_id = ANY($2::uuid[]) AND policy_id = ANY($3::uuid[])
         AND status <> 'RESOLVED'
       FOR UPDATE`,
      [organizationId, documents.map((d) => d.id), policies.map((p) => p.id)],
    );
    const open = new Map(existing.map((f) => [key(f.policy_id, f.document_id), f]));
    const toOpen: {
      policy: EvaluatedPolicy;
      doc: EvaluatedDocument;
      message: string;
      evidence: string | null;
    }[] = [];
    const toRefresh: { id: string; message: string; evidence: string | null }[] = [];
    const toResolve: {
      finding: OpenFindingRow;
      policy: EvaluatedPolicy;
      doc: EvaluatedDocument;
    }[] = [];

    for (const doc of documents) {
      for (const policy of policies) {
        const verdict = evaluateRule(policy, doc, now);
        const current = open.get(key(policy.id, doc.id));
        if (verdict.breached && !current) {
          toOpen.push({ policy, doc, message: verdict.message, evidence: verdict.evidence });
        } else if (verdict.breached && current) {
          if (current.message !== verdict.message || current.evidence !== verdict.evidence)
            toRefresh.push({
              id: current.id,
              message: verdict.message,
              evidence: verdict.evidence,
            });
        } else if (current) {
          toResolve.push({ finding: current, policy, doc });
        }
      }
    }

    const events: DomainEvent[] = [];
    const payload = (
      findingId: string,
      policy: EvaluatedPolicy,
      doc: EvaluatedDocument,
      status: FindingStatus,
      message: string,
      evidence: string | null,
    ) => ({
      findingId,
      policyId: policy.id,
      policyName: policy.name,
      documentId: doc.id,
      title: doc.title,
      uploadedById: uploaders.get(doc.id) ?? null,
      severity: policy.severity,
      status,
      message,
      evidence,
    });

    let opened = 0;
    if (toOpen.length > 0) {
      const inserted: { id: string; policy_id: string; document_id: string }[] =
        await manager.query(
          `INSERT INTO compliance.findings (organization_id, policy_id, document_id, severity, status, message, evidence, detected_at)
         SELECT $1, p, d, s, 'OPEN', m, e, $7 FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS t(p, d, s, m, e)
         ON CONFLICT (policy_id, document_id) WHERE status <> 'RESOLVED' DO NOTHING
         RETURNING id, policy_id, document_id`,
          [
            organizationId,
            toOpen.map((o) => o.policy.id),
            toOpen.map((o) => o.doc.id),
            toOpen.map((o) => o.policy.severity),
            toOpen.map((o) => o.message),
            toOpen.map((o) => o.evidence),
            now,
          ],
        );
      const byKey = new Map(toOpen.map((o) => [key(o.policy.id, o.doc.id), o]));
      for (const row of inserted) {
        const o = byKey.get(key(row.policy_id, row.document_id))!;
        events.push(
          findingEvent(
            EventType.FindingOpened,
            organizationId,
            payload(row.id, o.policy, o.doc, FindingStatus.OPEN, o.message, o.evidence),
          ),
        );
      }
      opened = inserted.length;
    }

    if (toRefresh.length > 0) {
      await manager.query(
        `UPDATE compliance.findings f SET message = t.m, evidence = t.e
         FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(id, m, e)
         WHERE f.organization_id = $1 AND f.id = t.id`,
        [
          organizationId,
          toRefresh.map((r) => r.id),
          toRefresh.map((r) => r.message),
          toRefresh.map((r) => r.evidence),
        ],
      );
    }

    if (toResolve.length > 0) {
      await manager.query(
        `UPDATE compliance.findings SET status = 'RESOLVED', resolved_at = $3, resolution_note = $4
         WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
        [organizationId, toResolve.map((r) => r.finding.id), now, CLEARED_NOTE],
      );
      for (const { finding, policy, doc } of toResolve) {
        events.push(
          findingEvent(
            EventType.FindingResolved,
            organizationId,
            payload(
              finding.id,
              policy,
              doc,
              FindingStatus.RESOLVED,
              finding.message,
              finding.evidence,
            ),
          ),
        );
      }
    }

    await appendManyToOutbox(manager, COMPLIANCE_OUTBOX, events);
    return { opened, resolved: toResolve.length };
  }
}
