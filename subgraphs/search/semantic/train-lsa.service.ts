import type { DataSource, EntityManager } from 'typeorm';
import { foldChunks, vectorLiteral } from './lsa-chunk-folder';
import {
  ChunkTermCounts,
  DEFAULT_LSA_OPTIONS,
  encodeVector,
  trainLsa,
  type LsaOptions,
  type TrainedLsa,
} from './lsa-model';
import { chunkTerms, lockModelSql, lsaModelName } from './lsa-store';

export interface TrainLsaResult {
  trained: boolean;
  reason?: string;
  modelId?: string;
  version?: number;
  model?: string;
  corpusChunks: number;
  sampledChunks: number;
  terms: number;
  dimensions: number;
  trainingMs: number;
  embeddingMs: number;
  switchMs: number;
}

const READ_BATCH = 2_000;
const EMBED_BATCH = 500;
const TERM_BATCH = 2_000;
/** A `building` model older than this is taken for a crashed run and may be replaced. */
const STALE_BUILD_MS = 60 * 60 * 1000;

/**
 * Trains a new version of an organization's LSA model from its own postings, embeds every chunk
 * of the organization with it into a staging table, then switches in one transaction: the
 * chunks' embeddings and model name change together and the model becomes current, so a search
 * sees either the old version everywhere or the new one everywhere, and answers throughout (the
 * readers' snapshots are never blocked). Chunks indexed during the build are embedded with the
 * new model inside the switch (it holds the model lock the indexers take shared).
 *
 * Only the organization's own chunks are read: its model never sees another's text. The
 * training process holds one model while it trains and embeds; queries and indexers read term
 * rows only.
 */
export class TrainLsaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outputDimensions: number,
    private readonly options: LsaOptions = DEFAULT_LSA_OPTIONS,
  ) {}

  async execute(organizationId: string): Promise<TrainLsaResult> {
    const result: TrainLsaResult = {
      trained: false,
      corpusChunks: 0,
      sampledChunks: 0,
      terms: 0,
      dimensions: 0,
      trainingMs: 0,
      embeddingMs: 0,
      switchMs: 0,
    };
    const claimed = await this.claim(organizationId);
    if (!claimed) return { ...result, reason: 'another version is being built' };
    const { modelId, version } = claimed;
    try {
      let started = Date.now();
      const sample = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM search.chunks WHERE organization_id = $1 ORDER BY md5(id::text) LIMIT $2`,
        [organizationId, this.options.sampleChunks],
      );
      const counts = new ChunkTermCounts();
      for (let i = 0; i < sample.length; i += READ_BATCH) {
        const terms = await chunkTerms(
          this.dataSource.manager,
          sample.slice(i, i + READ_BATCH).map((r) => r.id),
        );
        for (const chunk of terms.values()) counts.addChunk(chunk);
      }
      if (counts.chunks < 2) throw new Error('too few chunks to learn from');
      const trained = await trainLsa(counts, this.options);
      result.trainingMs = Date.now() - started;
      result.sampledChunks = counts.chunks;
      result.terms = trained.lexemes.length;
      result.dimensions = trained.dimensions;
      await this.storeTerms(modelId, trained);

      started = Date.now();
      result.corpusChunks = await this.stageEmbeddings(organizationId, modelId, trained);
      result.embeddingMs = Date.now() - started;

      started = Date.now();
      await this.switchTo(organizationId, modelId, trained, result);
      result.switchMs = Date.now() - started;
      return { ...result, trained: true, modelId, version, model: lsaModelName(modelId) };
    } catch (error) {
      await this.dataSource.query(
        `UPDATE search.lsa_models SET status = 'failed' WHERE id = $1 AND status = 'building'`,
        [modelId],
      );
      await this.dataSource.query(`DELETE FROM search.lsa_terms WHERE model_id = $1`, [modelId]);
      await this.dataSource.query(`DELETE FROM search.lsa_staged_embeddings WHERE model_id = $1`, [
        modelId,
      ]);
      throw error;
    }
  }

  /** One build at a time per organization: a new `building` row, unless a recent one exists. */
  private async claim(
    organizationId: string,
  ): Promise<{ modelId: string; version: number } | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7303))`, [
        organizationId,
      ]);
      const building = await manager.query<unknown[]>(
        `SELECT 1 FROM search.lsa_models WHERE organization_id = $1 AND status = 'building'
            AND created_at > now() - make_interval(secs => $2)`,
        [organizationId, STALE_BUILD_MS / 1000],
      );
      if (building.length > 0) return null;
      await manager.query(
        `UPDATE search.lsa_models SET status = 'failed' WHERE organization_id = $1 AND status = 'building'`,
        [organizationId],
      );
      const [row] = await manager.query<Array<{ id: string; version: number }>>(
        `INSERT INTO search.lsa_models (organization_id, version, status, dimensions)
         SELECT $1, COALESCE(max(version), 0) + 1, 'building', $2 FROM search.lsa_models WHERE organization_id = $1
         RETURNING id::text, version`,
        [organizationId, this.options.dimensions],
      );
      return { modelId: row.id, version: row.version };
    });
  }

  private async storeTerms(modelId: string, trained: TrainedLsa): Promise<void> {
    const { dimensions, lexemes, termVectors } = trained;
    for (let i = 0; i < lexemes.length; i += TERM_BATCH) {
      const batch = lexemes.slice(i, i + TERM_BATCH);
      await this.dataSource.query(
        `INSERT INTO search.lsa_terms (model_id, lexeme, vector)
         SELECT $1, u.lexeme, u.vector FROM unnest($2::text[], $3::bytea[]) AS u(lexeme, vector)`,
        [
          modelId,
          batch,
          batch.map((_, j) =>
            encodeVector(termVectors.subarray((i + j) * dimensions, (i + j + 1) * dimensions)),
          ),
        ],
      );
    }
    await this.dataSource.query(
      `UPDATE search.lsa_models SET dimensions = $2, term_count = $3 WHERE id = $1`,
      [modelId, dimensions, lexemes.length],
    );
  }

  /** Every chunk of the organization, by id ranges, into the staging table. */
  private async stageEmbeddings(
    organizationId: string,
    modelId: string,
    trained: TrainedLsa,
  ): Promise<number> {
    const vectors = this.vectorLookup(trained);
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const ids = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM search.chunks WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [organizationId, after, EMBED_BATCH],
      );
      if (ids.length === 0) return total;
      after = ids[ids.length - 1].id;
      total += ids.length;
      await this.stage(
        this.dataSource.manager,
        modelId,
        trained,
        vectors,
        ids.map((r) => r.id),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async stage(
    manager: EntityManager,
    modelId: string,
    trained: TrainedLsa,
    vectors: (lexemes: string[]) => Map<string, Float32Array>,
    chunkIds: string[],
  ): Promise<void> {
    const embeddings = await foldChunks(
      manager,
      modelId,
      trained.dimensions,
      this.outputDimensions,
      chunkIds,
      vectors,
    );
    // A chunk deleted since it was listed has no row to reference: skip it.
    await manager.query(
      `INSERT INTO search.lsa_staged_embeddings (model_id, chunk_id, embedding)
       SELECT $1, u.id, u.embedding::public.vector FROM unnest($2::uuid[], $3::text[]) AS u(id, embedding)
        WHERE EXISTS (SELECT 1 FROM search.chunks c WHERE c.id = u.id)
       ON CONFLICT (model_id, chunk_id) DO UPDATE SET embedding = excluded.embedding`,
      [modelId, [...embeddings.keys()], [...embeddings.values()].map(vectorLiteral)],
    );
  }

  private async switchTo(
    organizationId: string,
    modelId: string,
    trained: TrainedLsa,
    result: TrainLsaResult,
  ): Promise<void> {
    const vectors = this.vectorLookup(trained);
    await this.dataSource.transaction(async (manager) => {
      // Rewriting a large organization's embeddings (and their HNSW entries) takes a while.
      await manager.query(`SET LOCAL statement_timeout = 0`);
      await manager.query(lockModelSql('exclusive'), [organizationId]);
      const missing = await manager.query<Array<{ id: string }>>(
        `SELECT c.id FROM search.chunks c
          WHERE c.organization_id = $1 AND NOT EXISTS (
            SELECT 1 FROM search.lsa_staged_embeddings s WHERE s.model_id = $2 AND s.chunk_id = c.id)`,
        [organizationId, modelId],
      );
      for (let i = 0; i < missing.length; i += EMBED_BATCH)
        await this.stage(
          manager,
          modelId,
          trained,
          vectors,
          missing.slice(i, i + EMBED_BATCH).map((r) => r.id),
        );
      const [, updated] = (await manager.query(
        `UPDATE search.chunks c SET embedding = s.embedding, embedding_model = $3
           FROM search.lsa_staged_embeddings s
          WHERE s.model_id = $2 AND s.chunk_id = c.id AND c.organization_id = $1`,
        [organizationId, modelId, lsaModelName(modelId)],
      )) as [unknown, number];
      const [retiredIds] = (await manager.query(
        `UPDATE search.lsa_models SET status = 'retired' WHERE organization_id = $1 AND status = 'current'
         RETURNING id::text`,
        [organizationId],
      )) as [Array<{ id: string }>, number];
      await manager.query(
        `UPDATE search.lsa_models SET status = 'current', activated_at = now(), corpus_chunks = $2,
                trained_chunks = $3, training_ms = $4
          WHERE id = $1`,
        [modelId, updated, result.sampledChunks, result.trainingMs],
      );
      await manager.query(`DELETE FROM search.lsa_staged_embeddings WHERE model_id = $1`, [
        modelId,
      ]);
      // Retired versions' term rows are not read again: nothing embeds with them any more.
      if (retiredIds.length > 0)
        await manager.query(`DELETE FROM search.lsa_terms WHERE model_id = ANY($1::bigint[])`, [
          retiredIds.map((r) => r.id),
        ]);
      result.corpusChunks = updated;
    });
  }

  /** The trained term vectors by lexeme (views into one array, no copies). */
  private vectorLookup(trained: TrainedLsa): (lexemes: string[]) => Map<string, Float32Array> {
    const index = new Map(trained.lexemes.map((lexeme, i) => [lexeme, i]));
    const d = trained.dimensions;
    return (lexemes) => {
      const found = new Map<string, Float32Array>();
      for (const lexeme of lexemes) {
        const i = index.get(lexeme);
        if (i !== undefined) found.set(lexeme, trained.termVectors.subarray(i * d, (i + 1) * d));
      }
      return found;
    };
  }
}
