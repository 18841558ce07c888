import { Column, Entity, PrimaryColumn } from 'typeorm';

/** In how many of an organization's chunks a lexeme occurs (BM25's document frequency). */
@Entity({ name: 'term_stats' })
export class TermStatRecord {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId: string;

  @PrimaryColumn('text')
  lexeme: string;

  @Column('int')
  df: number;
}
