import type { DataSource, Repository } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { ChunkRecord } from '../entities/chunk.entity';
import { chunkScope } from '../policies/chunk.policy';

/** How many chunks of each document the index holds, counting only chunks the caller may see. */
export class CountDocumentChunksService {
  private readonly chunks: Repository<ChunkRecord>;

  constructor(dataSource: DataSource) {
    this.chunks = dataSource.getRepository(ChunkRecord);
  }

  /** One count per id, in the order given (ids are lowercase UUIDs); 0 where nothing is visible. */
  async execute(principal: Principal, documentIds: readonly string[]): Promise<number[]> {
    if (documentIds.length === 0) return [];
    const scope = chunkScope(principal, 'c');
    const rows = await this.chunks
      .createQueryBuilder('c')
      .select('c.document_id', 'documentId')
      .addSelect('count(*)::int', 'count')
      .where(scope.condition, scope.parameters)
      .andWhere('c.document_id IN (:...documentIds)', { documentIds })
      .groupBy('c.document_id')
      .getRawMany<{ documentId: string; count: number }>();
    const counts = new Map(rows.map((row) => [row.documentId, row.count]));
    return documentIds.map((id) => counts.get(id) ?? 0);
  }
}
