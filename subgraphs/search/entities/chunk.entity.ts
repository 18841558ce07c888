import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One indexed piece of a document's text. `embedding` has EMBEDDING_DIM dimensions, fixed by the
 * migration that created the column; it and `tsv` are written by the indexer and read only by
 * search SQL, so they are not selected by default.
 */
@Entity({ name: 'chunks' })
export class ChunkRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'document_id' })
  documentId: string;

  @Column('int')
  index: number;

  @Column('int', { nullable: true })
  page: number | null;

  @Column('text')
  text: string;

  @Column('int', { name: 'token_count' })
  tokenCount: number;

  @Column('vector', { select: false })
  embedding: number[];

  @Column('text', { name: 'embedding_model' })
  embeddingModel: string;

  @Column('tsvector', { select: false })
  tsv: string;

  /** The PostgreSQL text-search configuration `tsv` was built with (`english`, `german`, `simple`…). */
  @Column('text', { name: 'text_search_config' })
  textSearchConfig: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
