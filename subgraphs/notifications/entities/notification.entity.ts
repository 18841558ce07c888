import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Severity } from '../../../core/graphql/severity';

@Entity({ name: 'notifications' })
@Index(['organizationId', 'userId', 'createdAt'])
export class NotificationRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  kind: string;

  @Column('text')
  title: string;

  @Column('text')
  body: string;

  @Column('text')
  severity: Severity;

  @Column('uuid', { name: 'document_id', nullable: true })
  documentId: string | null;

  /** The compliance finding it is about (compliance resolves `Notification.finding`). */
  @Column('uuid', { name: 'finding_id', nullable: true })
  findingId: string | null;

  /** The event that created it: consumers are idempotent on it. */
  @Column('uuid', { name: 'event_id', nullable: true })
  eventId: string | null;

  @Column({ type: 'timestamptz', name: 'read_at', nullable: true, precision: 3 })
  readAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
