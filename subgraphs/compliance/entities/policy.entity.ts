import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Severity } from '../../../core/graphql/severity';
import { RuleKind } from './rule-kind.enum';

/** A compliance rule of one organization, applied to its documents of the given categories. */
@Entity({ name: 'policies' })
export class PolicyRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text')
  severity: Severity;

  @Column('boolean')
  enabled: boolean;

  @Column('text')
  kind: RuleKind;

  @Column('jsonb')
  params: Record<string, unknown>;

  /** The document categories it applies to; empty means every document. */
  @Column('text', { array: true })
  categories: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
