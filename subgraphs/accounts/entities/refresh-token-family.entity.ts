import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type FamilyRevokedReason = 'logout' | 'reuse_detected' | 'membership_ended';

/** One sign-in: every refresh token rotated from it belongs to it, and dies with it. */
@Entity({ name: 'refresh_token_families' })
export class RefreshTokenFamilyRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true, precision: 3 })
  revokedAt: Date | null;

  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason: FamilyRevokedReason | null;
}
