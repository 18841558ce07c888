import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One refresh token of a family, stored as the SHA-256 of the opaque token only. */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'family_id' })
  familyId: string;

  @Column('text', { name: 'token_hash' })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3 })
  expiresAt: Date;

  /** Set when it was exchanged for its successor; presenting it again is reuse. */
  @Column({ type: 'timestamptz', name: 'rotated_at', nullable: true, precision: 3 })
  rotatedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true, precision: 3 })
  revokedAt: Date | null;
}
