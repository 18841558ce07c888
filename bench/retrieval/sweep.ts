import type { DataSource } from 'typeorm';
import {
  DEFAULT_KEYWORD_OPTIONS,
  KeywordRetrieval,
} from '../../subgraphs/search/retrieval/bm25/keyword-retrieval';
import {
  DEFAULT_RELEVANCE_MODEL,
  type RelevanceModelOptions,
} from '../../subgraphs/search/retrieval/bm25/relevance-model';
import { reciprocalRankFusion } from '../../subgraphs/search/retrieval/reciprocal-rank-fusion';
import type { RankedChunk } from '../../subgraphs/search/retrieval/retrieval';
import { parseSearchText } from '../../subgraphs/search/retrieval/search-text';
import {
  ChunkTermCounts,
  DEFAULT_LSA_OPTIONS,
  foldIn,
  trainLsa,
  type LsaOptions,
} from '../../subgraphs/search/semantic/lsa-model';
import { chunkTerms, queryTerms } from '../../subgraphs/search/semantic/lsa-store';
import type { Cranfield } from './cranfield';
import { documentRanking } from './evaluate';
import { mean, scoreRanking, type Scores } from './metrics';

/**
 * Parameter study on the ingested organization, in this process: LSA variants (dimensions, power
 * iterations, the S exponent of the fold-in, the share of chunks the basis is learned from) scored
 * by exact cosine, the hybrid weights, and the keyword leg's per-term cap. It reads the same
 * postings the trainer reads and embeds with the same fold-in, so its figures are the system's.
 */
export async function sweep(
  dataSource: DataSource,
  organizationId: string,
  collection: Cranfield,
  cranfieldId: Map<string, number>,
  print: (line: string) => void,
): Promise<void> {
  const chunks = await dataSource.query<Array<{ id: string; document_id: string }>>(
    `SELECT id, document_id FROM search.chunks WHERE organization_id = $1 ORDER BY md5(id::text)`,
    [organizationId],
  );
  const terms = await chunkTerms(
    dataSource.manager,
    chunks.map((c) => c.id),
  );
  const queries = await Promise.all(
    collection.queries.map((q) =>
      queryTerms(dataSource, organizationId, parseSearchText(q.text).rankingText),
    ),
  );
  const judged = collection.queries.map((q) => collection.judgments.get(q.number)!);
  const score = (rankings: RankedChunk[][]): Scores =>
    mean(rankings.map((hits, i) => scoreRanking(documentRanking(hits, cranfieldId), judged[i])));
  const fmt = (s: Scores) =>
    `nDCG@10 ${s.ndcg10.toFixed(3)}  MAP@100 ${s.map100.toFixed(3)}  R@100 ${s.recall100.toFixed(3)}`;

  // The keyword leg's cap.
  const keywordAt = async (cap: number) => {
    const leg = new KeywordRetrieval(dataSource, {
      ...DEFAULT_KEYWORD_OPTIONS,
      postingsPerTerm: cap,
    });
    const rankings: RankedChunk[][] = [];
    for (const q of collection.queries)
      rankings.push(await leg.retrieve(organizationId, q.text, 100));
    return rankings;
  };
  const keyword = await keywordAt(1_000);
  for (const cap of [Infinity, 1_000, 300, 100, 30])
    print(
      `  KEYWORD postings per term ${String(cap).padStart(8)}: ${fmt(score(cap === 1_000 ? keyword : await keywordAt(cap)))}`,
    );

  const semanticRankings = async (options: LsaOptions): Promise<RankedChunk[][]> => {
    const sampleSize = Math.min(options.sampleChunks, chunks.length);
    const counts = new ChunkTermCounts();
    for (const c of chunks.slice(0, sampleSize)) counts.addChunk(terms.get(c.id)!);
    const model = await trainLsa(counts, options);
    const index = new Map(model.lexemes.map((l, i) => [l, i]));
    const d = model.dimensions;
    const vectorOf = (lexeme: string) => {
      const i = index.get(lexeme);
      return i === undefined ? undefined : model.termVectors.subarray(i * d, (i + 1) * d);
    };
    const embed = (t: Array<{ lexeme: string; tf: number }>) =>
      foldIn(
        t.map((x) => ({ tf: x.tf, vector: vectorOf(x.lexeme) })),
        d,
        d,
      );
    const chunkVectors = chunks.map((c) => embed(terms.get(c.id)!));
    return queries.map((q) => {
      const v = embed(q);
      return chunks
        .map((c, i) => ({
          chunkId: c.id,
          documentId: c.document_id,
          score: chunkVectors[i].reduce((s, x, k) => s + x * v[k], 0),
        }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 100);
    });
  };

  const variants: Array<[string, Partial<LsaOptions>]> = [
    ['default', {}],
    ['dimensions 100', { dimensions: 100 }],
    ['dimensions 150', { dimensions: 150 }],
    ['dimensions 250', { dimensions: 250 }],
    ['dimensions 300', { dimensions: 300 }],
    ['power iterations 1', { powerIterations: 1 }],
    ['power iterations 0', { powerIterations: 0 }],
    ['S exponent 0 (U·S)', { scaleExponent: 0 }],
    ['S exponent 1 (U, LSI fold-in)', { scaleExponent: 1 }],
    ['basis from 50% sample', { sampleChunks: Math.ceil(chunks.length / 2) }],
    ['basis from 25% sample', { sampleChunks: Math.ceil(chunks.length / 4) }],
  ];
  let best: RankedChunk[][] = [];
  for (const [name, change] of variants) {
    const options = { ...DEFAULT_LSA_OPTIONS, ...change };
    const started = Date.now();
    const rankings = await semanticRankings(options);
    if (name === 'default') best = rankings;
    print(`  LSA ${name.padEnd(32)} ${fmt(score(rankings))}  (${Date.now() - started} ms)`);
  }

  for (const depth of [100, 30])
    for (const semanticWeight of [0.5, 0.75, 1, 1.5, 2, 3]) {
      const fused = keyword.map((k, i) =>
        reciprocalRankFusion(
          [
            { hits: k.slice(0, depth), weight: 1 },
            { hits: best[i].slice(0, depth), weight: semanticWeight },
          ],
          100,
        ),
      );
      print(
        `  HYBRID depth ${depth} keyword 1 : semantic ${String(semanticWeight).padEnd(4)} ${fmt(score(fused))}`,
      );
    }

  // RM3 on the keyword leg (the product's HYBRID uses DEFAULT_RELEVANCE_MODEL), alone and fused.
  const feedbackAt = async (change: Partial<RelevanceModelOptions>) => {
    const leg = new KeywordRetrieval(dataSource);
    const rankings: RankedChunk[][] = [];
    for (const q of collection.queries)
      rankings.push(
        await leg.retrieve(organizationId, q.text, 100, undefined, {
          ...DEFAULT_RELEVANCE_MODEL,
          ...change,
        }),
      );
    return rankings;
  };
  const rrf = (legs: RankedChunk[][]) =>
    legs.map((k, i) =>
      reciprocalRankFusion(
        [
          { hits: k, weight: 1 },
          { hits: best[i], weight: 1 },
        ],
        100,
      ),
    );
  const rm3Variants: Array<[string, Partial<RelevanceModelOptions>]> = [
    ['default (10 chunks, 10 terms, λ 0.5)', {}],
    ['5 feedback chunks', { chunks: 5 }],
    ['20 feedback chunks', { chunks: 20 }],
    ['20 terms', { terms: 20 }],
    ['λ 0.3', { originalWeight: 0.3 }],
    ['λ 0.7', { originalWeight: 0.7 }],
    ['no common-word rule', { maxDocumentFrequencyShare: 1 }],
  ];
  let rm3: RankedChunk[][] = [];
  for (const [name, change] of rm3Variants) {
    const rankings = await feedbackAt(change);
    if (name.startsWith('default')) rm3 = rankings;
    print(`  KEYWORD + RM3 ${name.padEnd(38)} ${fmt(score(rankings))}`);
    print(`    fused (RRF 1:1) with LSA ${' '.repeat(24)} ${fmt(score(rrf(rankings)))}`);
  }

  // Score fusion instead of ranks: CombSUM of normalized scores, equal weights, depth 100.
  for (const [legName, legs] of [
    ['BM25', keyword],
    ['BM25 + RM3', rm3],
  ] as const)
    for (const normalization of ['min-max', 'z-score'] as const)
      print(
        `  HYBRID CombSUM ${normalization} (${legName}, LSA) ${' '.repeat(18 - legName.length)} ${fmt(
          score(legs.map((k, i) => combSum([k, best[i]], normalization, 100))),
        )}`,
      );
}

/**
 * CombSUM (Fox & Shaw) of per-list normalized scores; a chunk missing from a list gets that
 * list's lowest normalized score.
 */
function combSum(
  lists: ReadonlyArray<readonly RankedChunk[]>,
  normalization: 'min-max' | 'z-score',
  limit: number,
): RankedChunk[] {
  const fused = new Map<string, RankedChunk>();
  const normalized = lists.map((hits) => {
    const scores = hits.map((h) => h.score);
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    const mean = scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length);
    const sd = Math.sqrt(
      scores.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, scores.length),
    );
    const f = (x: number) =>
      normalization === 'min-max'
        ? max > min
          ? (x - min) / (max - min)
          : 1
        : sd > 0
          ? (x - mean) / sd
          : 0;
    for (const h of hits)
      fused.set(h.chunkId, { chunkId: h.chunkId, documentId: h.documentId, score: 0 });
    return {
      byChunk: new Map(hits.map((h) => [h.chunkId, f(h.score)])),
      floor: hits.length ? f(min) : 0,
    };
  });
  for (const hit of fused.values())
    for (const { byChunk, floor } of normalized) hit.score += byChunk.get(hit.chunkId) ?? floor;
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : 1))
    .slice(0, limit);
}
