import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always lower case; unique. */
  @Column('text')
  email: string;

  @Column('text')
  name: string;

  /** argon2id, PHC string format. Never leaves this subgraph. */
  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
