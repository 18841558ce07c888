import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Severity } from '../../../core/graphql/severity';
import { FindingStatus } from './finding-status.enum';

/** A policy's verdict on one document; the database keeps one unresolved finding per pair. */
@Entity({ name: 'findings' })
export class FindingRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'policy_id' })
  policyId: string;

  /** A document of the documents subgraph: a reference, not a foreign key. */
  @Column('uuid', { name: 'document_id' })
  documentId: string;

  @Column('text')
  severity: Severity;

  @Column('text')
  status: FindingStatus;

  @Column('text')
  message: string;

  @Column('text', { nullable: true })
  evidence: string | null;

  @Column({ type: 'timestamptz', name: 'detected_at', precision: 3 })
  detectedAt: Date;

  @Column({ type: 'timestamptz', name: 'resolved_at', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'acknowledged_at', precision: 3, nullable: true })
  acknowledgedAt: Date | null;

  /** Why it was resolved: a person's note, or what re-evaluation found. */
  @Column('text', { name: 'resolution_note', nullable: true })
  resolutionNote: string | null;
}
