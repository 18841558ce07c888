import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One of an organization's document categories, in the order the organization set them. */
@Entity({ name: 'categories' })
export class CategoryRecord {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId: string;

  @PrimaryColumn('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('integer')
  position: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at', precision: 3 })
  createdAt: Date;
}
