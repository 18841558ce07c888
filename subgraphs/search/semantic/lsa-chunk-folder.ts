import type { EntityManager } from 'typeorm';
import type { ChunkFolder } from '../services/index-document.service';
import { foldIn } from './lsa-model';
import { chunkTerms, currentLsaModel, lockModelSql, lsaTermVectors } from './lsa-store';

/**
 * The local provider's fold-in on arrival: a document's new chunks are embedded with the
 * organization's current LSA model inside the indexing transaction, reading only the term rows
 * of their own lexemes. Without a model the provider's hashed vectors stay.
 */
export class LsaChunkFolder implements ChunkFolder {
  constructor(private readonly outputDimensions: number) {}

  async holdModel(manager: EntityManager, organizationId: string): Promise<void> {
    await manager.query(lockModelSql('shared'), [organizationId]);
  }

  async foldDocument(
    manager: EntityManager,
    organizationId: string,
    documentId: string,
  ): Promise<string | null> {
    const model = await currentLsaModel(manager, organizationId);
    if (!model) return null;
    const chunks = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM search.chunks WHERE organization_id = $1 AND document_id = $2`,
      [organizationId, documentId],
    );
    const embeddings = await foldChunks(
      manager,
      model.id,
      model.dimensions,
      this.outputDimensions,
      chunks.map((c) => c.id),
    );
    // Stored as the current version's rows (search.lsa_embeddings); the chunk keeps the
    // provider's vector.
    await manager.query(
      `INSERT INTO search.lsa_embeddings (chunk_id, model_id, embedding)
       SELECT u.id, $1, u.embedding::public.vector FROM unnest($2::uuid[], $3::text[]) AS u(id, embedding)
       ON CONFLICT (chunk_id, model_id) DO UPDATE SET embedding = excluded.embedding`,
      [model.id, [...embeddings.keys()], [...embeddings.values()].map(vectorLiteral)],
    );
    return model.name;
  }
}

/** Embeddings of the given chunks with one model, from their postings and its term rows. */
export async function foldChunks(
  manager: EntityManager,
  modelId: string,
  dimensions: number,
  outputDimensions: number,
  chunkIds: readonly string[],
  vectors?: (lexemes: string[]) => Promise<Map<string, Float32Array>> | Map<string, Float32Array>,
): Promise<Map<string, number[]>> {
  const terms = await chunkTerms(manager, chunkIds);
  const lexemes = [...new Set([...terms.values()].flat().map((t) => t.lexeme))];
  const rows = vectors ? await vectors(lexemes) : await lsaTermVectors(manager, modelId, lexemes);
  const embeddings = new Map<string, number[]>();
  for (const [chunkId, chunk] of terms)
    embeddings.set(
      chunkId,
      usable(
        foldIn(
          chunk.map((t) => ({ tf: t.tf, vector: rows.get(t.lexeme) })),
          dimensions,
          outputDimensions,
        ),
      ),
    );
  return embeddings;
}

export const vectorLiteral = (vector: readonly number[]): string => `[${vector.join(',')}]`;

/** A chunk with no known lexeme gets a fixed unit vector (cosine needs a non-zero vector). */
function usable(vector: number[]): number[] {
  return vector.some((v) => v !== 0) ? vector : vector.map((_, i) => (i === 0 ? 1 : 0));
}
