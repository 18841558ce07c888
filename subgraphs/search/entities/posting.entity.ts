import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A lexeme's occurrence in a chunk, with its stored BM25 impact (filled by the indexer). */
@Entity({ name: 'postings' })
export class PostingRecord {
  @PrimaryColumn('uuid', { name: 'chunk_id' })
  chunkId: string;

  @PrimaryColumn('text')
  lexeme: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** Term frequency: the lexeme's number of positions in the chunk's tsvector. */
  @Column('int')
  tf: number;

  @Column('real')
  impact: number;
}
