import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { NotFoundError } from '../../../core/errors';
import { EventType } from '../../../core/events/catalogue';
import { keysetPage, type Page } from '../../../core/db/keyset-page';
import { parseId } from '../../../core/graphql/ids';
import { FindingRecord } from '../entities/finding.entity';
import { FindingStatus } from '../entities/finding-status.enum';
import { PolicyRecord } from '../entities/policy.entity';
import { appendManyToOutbox } from '../../../core/events/outbox';
import { COMPLIANCE_OUTBOX, findingEvent } from '../events/compliance-events';
import {
  authorizeAcknowledge,
  authorizeResolve,
  findingOrganization,
} from '../policies/finding.policy';
import type { FindingFilter } from '../resolvers/finding.types';
import { updatedRows } from './updated-rows';

const SEVERITY_ORDER = `CASE f.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 3 ELSE 4 END`;

export interface DocumentComplianceResult {
  status: 'COMPLIANT' | 'NON_COMPLIANT' | 'PENDING';
  findings: FindingRecord[];
}

export interface SummaryResult {
  openFindings: number;
  bySeverity: Record<string, number>;
  compliantDocuments: number;
  nonCompliantDocuments: number;
}

/** Reads and changes of findings, always inside the caller's organization (finding.policy.ts). */
export class FindingsService {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(principal: Principal) {
    return this.dataSource
      .getRepository(FindingRecord)
      .createQueryBuilder('f')
      .where('f.organization_id = :organizationId', {
        organizationId: findingOrganization(principal),
      });
  }

  async find(principal: Principal, id: string): Promise<FindingRecord | null> {
    return this.scoped(principal)
      .andWhere('f.id = :id', { id: parseId(id) })
      .getOne();
  }

  async list(
    principal: Principal,
    first: number | null | undefined,
    after: string | null | undefined,
    filter: FindingFilter | null | undefined,
  ): Promise<Page<FindingRecord>> {
    const qb = this.scoped(principal);
    if (filter?.status) qb.andWhere('f.status = :status', { status: filter.status });
    if (filter?.severity) qb.andWhere('f.severity = :severity', { severity: filter.severity });
    if (filter?.policyId)
      qb.andWhere('f.policy_id = :policyId', {
        policyId: parseId(filter.policyId, 'filter.policyId'),
      });
    if (filter?.documentId)
      qb.andWhere('f.document_id = :documentId', {
        documentId: parseId(filter.documentId, 'filter.documentId'),
      });
    return keysetPage(qb, {
      alias: 'f',
      first,
      after,
      order: {
        column: 'f.detected_at',
        direction: 'DESC',
        value: (f) => f.detectedAt.toISOString(),
        parse: (raw) => new Date(String(raw)),
      },
    });
  }

  /** Compliance of many documents at once (one query for a whole `_entities` list). */
  async forDocuments(
    principal: Principal,
    documentIds: readonly string[],
  ): Promise<DocumentComplianceResult[]> {
    const organizationId = findingOrganization(principal);
    const ids = documentIds.map((id) => parseId(id));
    const evaluated: { document_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT d.document_id FROM compliance.documents d
       WHERE d.organization_id = $1 AND d.document_id = ANY($2::uuid[]) AND d.processed_at IS NOT NULL`,
      [organizationId, ids],
    );
    const findings = await this.scoped(principal)
      .andWhere('f.document_id IN (:...ids)', { ids: ids.length ? ids : [null] })
      .andWhere(`f.status <> 'RESOLVED'`)
      .orderBy(SEVERITY_ORDER, 'ASC')
      .addOrderBy('f.detected_at', 'DESC')
      .getMany();
    const processed = new Set(evaluated.map((r) => r.document_id));
    return ids.map((id) => {
      const own = findings.filter((f) => f.documentId === id);
      if (own.length > 0) return { status: 'NON_COMPLIANT', findings: own };
      return { status: processed.has(id) ? 'COMPLIANT' : 'PENDING', findings: [] };
    });
  }

  async summary(principal: Principal): Promise<SummaryResult> {
    const organizationId = findingOrganization(principal);
    const bySeverityRows: { severity: string; count: number }[] = await this.dataSource.query(
      `SELECT severity, count(*)::int AS count FROM compliance.findings
       WHERE organization_id = $1 AND status <> 'RESOLVED' GROUP BY severity`,
      [organizationId],
    );
    const [documents]: { compliant: number; non_compliant: number }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE NOT flagged)::int AS compliant, count(*) FILTER (WHERE flagged)::int AS non_compliant
       FROM (SELECT EXISTS (SELECT 1 FROM compliance.findings f
                            WHERE f.organization_id = d.organization_id AND f.document_id = d.document_id
                              AND f.status <> 'RESOLVED') AS flagged
             FROM compliance.documents d WHERE d.organization_id = $1 AND d.processed_at IS NOT NULL) s`,
      [organizationId],
    );
    const bySeverity = Object.fromEntries(bySeverityRows.map((r) => [r.severity, r.count]));
    return {
      openFindings: bySeverityRows.reduce((sum, r) => sum + r.count, 0),
      bySeverity,
      compliantDocuments: documents.compliant,
      nonCompliantDocuments: documents.non_compliant,
    };
  }

  /** OPEN → ACKNOWLEDGED (someone is on it); acknowledging again changes nothing. */
  async acknowledge(principal: Principal, id: string): Promise<FindingRecord> {
    authorizeAcknowledge(principal);
    const finding = await this.find(principal, id);
    if (!finding) throw new NotFoundError('Finding', id);
    if (finding.status === FindingStatus.OPEN) {
      await this.dataSource.query(
        `UPDATE compliance.findings SET status = 'ACKNOWLEDGED', acknowledged_at = now()
         WHERE organization_id = $1 AND id = $2 AND status = 'OPEN'`,
        [finding.organizationId, finding.id],
      );
    }
    return (await this.find(principal, finding.id))!;
  }

  /**
   * Resolved by a person, with a note; evidence kept. If the condition still holds, the next
   * evaluation of the document opens a new finding.
   */
  async resolve(principal: Principal, id: string, note: string | null): Promise<FindingRecord> {
    authorizeResolve(principal);
    const findingId = parseId(id);
    const organizationId = findingOrganization(principal);
    return this.dataSource.transaction(async (manager) => {
      const rows = updatedRows<{ id: string }>(
        await manager.query(
          `UPDATE compliance.findings SET status = 'RESOLVED', resolved_at = now(), resolution_note = $3
           WHERE organization_id = $1 AND id = $2 AND status <> 'RESOLVED' RETURNING id`,
          [organizationId, findingId, note?.trim().slice(0, 2000) || `Resolved by hand`],
        ),
      );
      const finding = await manager
        .getRepository(FindingRecord)
        .findOne({ where: { organizationId, id: findingId } });
      if (!finding) throw new NotFoundError('Finding', findingId);
      if (rows.length > 0) {
        const policy = await manager
          .getRepository(PolicyRecord)
          .findOne({ where: { organizationId, id: finding.policyId } });
        const [doc]: { title: string; uploaded_by_id: string | null }[] = await manager.query(
          `SELECT title, uploaded_by_id FROM compliance.documents WHERE organization_id = $1 AND document_id = $2`,
          [organizationId, finding.documentId],
        );
        await appendManyToOutbox(manager, COMPLIANCE_OUTBOX, [
          findingEvent(EventType.FindingResolved, organizationId, {
            findingId: finding.id,
            policyId: finding.policyId,
            policyName: policy?.name ?? '',
            documentId: finding.documentId,
            title: doc?.title ?? '',
            uploadedById: doc?.uploaded_by_id ?? null,
            severity: finding.severity,
            status: finding.status,
            message: finding.message,
            evidence: finding.evidence,
          }),
        ]);
      }
      return finding;
    });
  }
}
