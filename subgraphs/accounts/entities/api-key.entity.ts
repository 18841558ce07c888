import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../../../core/auth/role';

/** An organization's API key: found by its public prefix, checked against the key's SHA-256. */
@Entity({ name: 'api_keys' })
export class ApiKeyRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** The user who created it; the key acts for them, with its own role. */
  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @Column('text')
  name: string;

  @Column('text')
  role: Role;

  @Column('text')
  prefix: string;

  @Column('text', { name: 'key_hash', select: false })
  keyHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'last_used_at', nullable: true, precision: 3 })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true, precision: 3 })
  revokedAt: Date | null;
}
