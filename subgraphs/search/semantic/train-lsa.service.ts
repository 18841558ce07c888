import type { DataSource, EntityManager } from 'typeorm';
import { foldChunks, vectorLiteral } from './lsa-chunk-folder';
import {
  ChunkTermCounts,
  DEFAULT_LSA_OPTIONS,
  encodeVector,
  type LsaOptions,
  type TrainedLsa,
} from './lsa-model';
import { chunkTerms, lockModelSql, lsaModelName } from './lsa-store';
import { trainLsaInThread } from './lsa-training-thread';
import { buildLsaVersionIndex, LSA_INDEX_MIN_CHUNKS, removeLsaVersions } from './lsa-vector-index';

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
  /** Building the version's vector index (0 when the version is too small to need one). */
  indexMs: number;
  switchMs: number;
  /** Chunks embedded inside the switch, under the exclusive model lock (indexed meanwhile). */
  switchedChunks: number;
  /** Old versions' embeddings deleted after the switch. */
  removedEmbeddings: number;
}

export interface TrainLsaSettings {
  /** Versions with at least this many chunks get their own vector index. */
  indexMinChunks: number;
  /** Time given to searches embedded with the old version before its rows go. */
  retireGraceMs: number;
  /** Called between the stages (tests pause the trainer there). */
  onStage?: (stage: 'staged' | 'caught-up' | 'switched') => Promise<void> | void;
}

const DEFAULT_SETTINGS: TrainLsaSettings = {
  indexMinChunks: LSA_INDEX_MIN_CHUNKS,
  retireGraceMs: 2_000,
};

const READ_BATCH = 2_000;
const EMBED_BATCH = 500;
/** Staging runs over two halves of the id space at once: the fold-in and PostgreSQL overlap. */
const STAGE_RANGES: Array<[string, string]> = [
  ['00000000-0000-0000-0000-000000000000', '80000000-0000-0000-0000-000000000000'],
  ['80000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
];
const TERM_BATCH = 2_000;
/** A `building` model older than this is taken for a crashed run and may be replaced. */
const STALE_BUILD_MS = 60 * 60 * 1000;

/**
 * Trains a new version of an organization's LSA model from its own postings and switches to it
 * without holding the organization back:
 * 1. the SVD runs in a worker thread (the event loop keeps renewing job locks);
 * 2. every chunk is embedded with the new version into its own rows of `search.lsa_embeddings`
 *    (no lock: indexers and searches go on with the current version), and a large version's
 *    vector index is built in bulk;
 * 3. chunks indexed meanwhile are caught up, still without a lock;
 * 4. the switch: under the organization's model lock (exclusive; indexers take it shared) the
 *    few chunks indexed since step 3 are embedded, and the version becomes current — one row
 *    flipped, no chunk rewritten. A search sees one version or the other, never both (it reads
 *    one model id), and answers throughout (the readers' snapshots are never blocked);
 * 5. after a grace for searches embedded with the old version, its rows are deleted in batches.
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
    settings: Partial<TrainLsaSettings> = {},
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  private readonly settings: TrainLsaSettings;

  async execute(organizationId: string): Promise<TrainLsaResult> {
    const result: TrainLsaResult = {
      trained: false,
      corpusChunks: 0,
      sampledChunks: 0,
      terms: 0,
      dimensions: 0,
      trainingMs: 0,
      embeddingMs: 0,
      indexMs: 0,
      switchMs: 0,
      switchedChunks: 0,
      removedEmbeddings: 0,
    };
    const claimed = await this.claim(organizationId);
    if (!claimed) return { ...result, reason: 'another version is being built' };
    const { modelId, version } = claimed;
    // What an earlier run could not finish removing (a crash after its switch).
    result.removedEmbeddings += await removeLsaVersions(
      this.dataSource,
      await this.leftoverVersions(organizationId),
    );
    let retired: string[] = [];
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
      const trained = await trainLsaInThread(counts, this.options);
      result.trainingMs = Date.now() - started;
      result.sampledChunks = counts.chunks;
      result.terms = trained.lexemes.length;
      result.dimensions = trained.dimensions;
      await this.storeTerms(modelId, trained);

      started = Date.now();
      const vectors = this.vectorLookup(trained);
      const staged = await Promise.all(
        STAGE_RANGES.map(([from, to]) =>
          this.stageRange(organizationId, modelId, trained, vectors, from, to),
        ),
      );
      result.corpusChunks = staged.reduce((a, b) => a + b, 0);
      result.embeddingMs = Date.now() - started;

      started = Date.now();
      if (result.corpusChunks >= this.settings.indexMinChunks)
        await buildLsaVersionIndex(
          this.dataSource,
          modelId,
          trained.dimensions,
          result.corpusChunks,
        );
      result.indexMs = Date.now() - started;
      await this.settings.onStage?.('staged');

      started = Date.now();
      // Caught up without the lock, so the switch below has only seconds' worth left.
      await this.stageMissing(this.dataSource.manager, organizationId, modelId, trained, vectors);
      await this.settings.onStage?.('caught-up');
      retired = await this.switchTo(organizationId, modelId, trained, vectors, result);
      result.switchMs = Date.now() - started;
    } catch (error) {
      await this.dataSource.query(
        `UPDATE search.lsa_models SET status = 'failed' WHERE id = $1 AND status = 'building'`,
        [modelId],
      );
      await this.dataSource.query(`DELETE FROM search.lsa_terms WHERE model_id = $1`, [modelId]);
      await removeLsaVersions(this.dataSource, [modelId]);
      throw error;
    }
    await this.settings.onStage?.('switched');
    // Searches that embedded their query just before the switch still read the old rows.
    if (retired.length > 0 && this.settings.retireGraceMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.settings.retireGraceMs));
    result.removedEmbeddings += await removeLsaVersions(this.dataSource, retired);
    return { ...result, trained: true, modelId, version, model: lsaModelName(modelId) };
  }

  /** Retired or failed versions of the organization that still have embeddings. */
  private async leftoverVersions(organizationId: string): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT m.id::text FROM search.lsa_models m
        WHERE m.organization_id = $1 AND m.status IN ('retired', 'failed')
          AND EXISTS (SELECT 1 FROM search.lsa_embeddings e WHERE e.model_id = m.id)`,
      [organizationId],
    );
    return rows.map((r) => r.id);
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

  /** The organization's chunks with ids in [from, to), in id order, as the version's rows. */
  private async stageRange(
    organizationId: string,
    modelId: string,
    trained: TrainedLsa,
    vectors: (lexemes: string[]) => Map<string, Float32Array>,
    from: string,
    to: string,
  ): Promise<number> {
    let after = from;
    let first = true;
    let total = 0;
    for (;;) {
      const ids = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM search.chunks WHERE organization_id = $1 AND id ${first ? '>=' : '>'} $2 AND id < $3
          ORDER BY id LIMIT $4`,
        [organizationId, after, to, EMBED_BATCH],
      );
      first = false;
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
    }
  }

  /** Chunks of the organization without a row of the version (indexed since they were listed). */
  private async stageMissing(
    manager: EntityManager,
    organizationId: string,
    modelId: string,
    trained: TrainedLsa,
    vectors: (lexemes: string[]) => Map<string, Float32Array>,
  ): Promise<number> {
    const missing = await manager.query<Array<{ id: string }>>(
      `SELECT c.id FROM search.chunks c
        WHERE c.organization_id = $1 AND NOT EXISTS (
          SELECT 1 FROM search.lsa_embeddings e WHERE e.chunk_id = c.id AND e.model_id = $2)`,
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
    return missing.length;
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
      `INSERT INTO search.lsa_embeddings (chunk_id, model_id, embedding)
       SELECT u.id, $1, u.embedding::public.vector FROM unnest($2::uuid[], $3::text[]) AS u(id, embedding)
        WHERE EXISTS (SELECT 1 FROM search.chunks c WHERE c.id = u.id)
       ON CONFLICT (chunk_id, model_id) DO UPDATE SET embedding = excluded.embedding`,
      [modelId, [...embeddings.keys()], [...embeddings.values()].map(vectorLiteral)],
    );
  }

  /**
   * Makes the version current: under the exclusive model lock, the chunks indexed since the
   * catch-up are embedded and the model rows flipped. Answers the retired versions' ids.
   */
  private async switchTo(
    organizationId: string,
    modelId: string,
    trained: TrainedLsa,
    vectors: (lexemes: string[]) => Map<string, Float32Array>,
    result: TrainLsaResult,
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(lockModelSql('exclusive'), [organizationId]);
      result.switchedChunks = await this.stageMissing(
        manager,
        organizationId,
        modelId,
        trained,
        vectors,
      );
      const [retiredIds] = (await manager.query(
        `UPDATE search.lsa_models SET status = 'retired' WHERE organization_id = $1 AND status = 'current'
         RETURNING id::text`,
        [organizationId],
      )) as [Array<{ id: string }>, number];
      const [{ chunks }] = await manager.query<Array<{ chunks: number }>>(
        `SELECT count(*)::int AS chunks FROM search.lsa_embeddings WHERE model_id = $1`,
        [modelId],
      );
      await manager.query(
        `UPDATE search.lsa_models SET status = 'current', activated_at = now(), corpus_chunks = $2,
                trained_chunks = $3, training_ms = $4
          WHERE id = $1`,
        [modelId, chunks, result.sampledChunks, result.trainingMs],
      );
      // Retired versions' term rows are not read again: nothing embeds with them any more.
      if (retiredIds.length > 0)
        await manager.query(`DELETE FROM search.lsa_terms WHERE model_id = ANY($1::bigint[])`, [
          retiredIds.map((r) => r.id),
        ]);
      result.corpusChunks = chunks;
      return retiredIds.map((r) => r.id);
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
