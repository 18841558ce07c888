import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organization's corpus size for BM25: chunks indexed and their summed length in lexemes. */
@Entity({ name: 'corpus_stats' })
export class CorpusStatRecord {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('int', { name: 'chunk_count' })
  chunkCount: number;

  /** bigint: node-postgres returns it as a string. */
  @Column('bigint', { name: 'total_length' })
  totalLength: string;
}
