import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RunScope = 'ALL' | 'EXPIRY' | 'POLICY' | 'DOCUMENT';

/** One evaluation pass over an organization's documents, and what it changed. */
@Entity({ name: 'compliance_runs' })
export class ComplianceRunRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** What started it, e.g. a schedule, a processed document or a person. */
  @Column('text')
  trigger: string;

  @Column({ type: 'timestamptz', name: 'started_at', precision: 3 })
  startedAt: Date;

  @Column({ type: 'timestamptz', name: 'finished_at', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column('int', { name: 'documents_checked' })
  documentsChecked: number;

  @Column('int', { name: 'findings_opened' })
  findingsOpened: number;

  @Column('int', { name: 'findings_resolved' })
  findingsResolved: number;

  /** ALL policies, EXPIRY (expiry checks only), one POLICY, or one DOCUMENT. */
  @Column('text')
  scope: RunScope;

  @Column('uuid', { name: 'policy_id', nullable: true })
  policyId: string | null;

  @Column('int', { name: 'batch_count' })
  batchCount: number;
}
