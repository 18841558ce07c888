import { mulberry32 } from '../../core/random/mulberry32';
import { loadavg } from 'node:os';
import {
  ChunkTermCounts,
  DEFAULT_LSA_OPTIONS,
  foldIn,
  type LsaOptions,
} from '../../subgraphs/search/semantic/lsa-model';
import { trainLsaInThread } from '../../subgraphs/search/semantic/lsa-training-thread';

/**
 * `npm run bench:retrieval -- lsa-training` (or `node -r ts-node/register/transpile-only
 * bench/retrieval/lsa-training.ts`): LSA training time and peak memory at 100,000 synthetic
 * chunks, the way the train-lsa job works — the basis is learned from a sample of the chunks
 * (DEFAULT_LSA_OPTIONS.sampleChunks) in a worker thread, and every chunk is then folded in, one
 * at a time. In memory only: bench:search measures the product's trainer end to end (reading
 * postings, writing every chunk's row, building the vector index). Each stage is reported in wall
 * time and in this process's CPU time (threads included), which a loaded machine distorts less.
 *
 * The synthetic corpus: 46,000 lexemes with Zipf frequencies, 80 topics each preferring its own
 * slice of the vocabulary, about 77 distinct lexemes per chunk (7.7 M non-zeros at 100,000
 * chunks, as STACK.md's measurement). Settings by environment: LSA_CHUNKS (100000),
 * LSA_SAMPLE, LSA_DIMENSIONS, LSA_POWER (defaults from DEFAULT_LSA_OPTIONS).
 * Run one configuration per process: the peak RSS is the process's.
 */
const CHUNKS = Number(process.env.LSA_CHUNKS ?? 100_000);
const VOCABULARY = 46_000;
const TOPICS = 80;
const TERMS_PER_CHUNK = 90; // draws; about 77 distinct after repeats

// Zipf over ranks: cumulative weights 1/r, sampled by binary search.
const cumulative = new Float64Array(VOCABULARY);
for (let r = 0, total = 0; r < VOCABULARY; r++) cumulative[r] = total += 1 / (r + 1);
function zipf(u: number): number {
  const target = u * cumulative[VOCABULARY - 1];
  let lo = 0;
  let hi = VOCABULARY - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Chunk i's lexemes: half general Zipf words, half from its topic's slice (rotated ranks). */
function chunk(i: number): Array<{ lexeme: string; tf: number }> {
  const next = mulberry32(i * 7919 + 1);
  const topic = i % TOPICS;
  const counts = new Map<number, number>();
  for (let k = 0; k < TERMS_PER_CHUNK; k++) {
    const rank = zipf(next());
    const term = k % 2 ? rank : (rank * 37 + topic * 575) % VOCABULARY;
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return [...counts].map(([term, tf]) => ({ lexeme: `t${term}`, tf }));
}

async function main(): Promise<void> {
  const options: LsaOptions = {
    ...DEFAULT_LSA_OPTIONS,
    ...(process.env.LSA_SAMPLE ? { sampleChunks: Number(process.env.LSA_SAMPLE) } : {}),
    ...(process.env.LSA_DIMENSIONS ? { dimensions: Number(process.env.LSA_DIMENSIONS) } : {}),
    ...(process.env.LSA_POWER ? { powerIterations: Number(process.env.LSA_POWER) } : {}),
  };
  const sample = Math.min(CHUNKS, options.sampleChunks);
  const stage = () => {
    const wall = Date.now();
    const cpu = process.cpuUsage();
    return () => {
      const used = process.cpuUsage(cpu);
      return { wallMs: Date.now() - wall, cpuMs: (used.user + used.system) / 1000 };
    };
  };
  const loadBefore = loadavg()[0];
  let done = stage();
  // The job reads a deterministic sample (ORDER BY md5(id)); here every (CHUNKS/sample)-th chunk.
  const counts = new ChunkTermCounts();
  let nonZeros = 0;
  for (let s = 0; s < sample; s++) {
    const terms = chunk(Math.floor((s * CHUNKS) / sample));
    nonZeros += terms.length;
    counts.addChunk(terms);
  }
  const read = done();
  done = stage();
  const model = await trainLsaInThread(counts, options);
  const train = done();

  done = stage();
  const index = new Map(model.lexemes.map((l, i) => [l, i]));
  const d = model.dimensions;
  let checksum = 0;
  for (let i = 0; i < CHUNKS; i++) {
    const vector = foldIn(
      chunk(i).map((t) => {
        const at = index.get(t.lexeme);
        return {
          tf: t.tf,
          vector: at === undefined ? undefined : model.termVectors.subarray(at * d, (at + 1) * d),
        };
      }),
      d,
      256,
    );
    checksum += vector[0];
  }
  const fold = done();
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const both = (f: { wallMs: number; cpuMs: number }) => `${s(f.wallMs)} (CPU ${s(f.cpuMs)})`;
  console.log(
    `LSA training at ${CHUNKS.toLocaleString('en')} chunks: basis from ${sample.toLocaleString('en')} sampled chunks ` +
      `(${nonZeros.toLocaleString('en')} non-zeros, ${model.lexemes.length.toLocaleString('en')} lexemes kept), ` +
      `${d} dimensions, ${options.powerIterations} power iterations`,
  );
  console.log(
    `  build sample ${both(read)}, SVD in a worker thread ${both(train)}, fold-in of all ${CHUNKS.toLocaleString('en')} chunks ${both(fold)} ` +
      `→ total ${s(read.wallMs + train.wallMs + fold.wallMs)} (CPU ${s(read.cpuMs + train.cpuMs + fold.cpuMs)}); peak RSS ${peakMb.toFixed(0)} MB (checksum ${checksum.toFixed(3)})`,
  );
  console.log(
    `  load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (2 cores shared with other work: the CPU times are the figure to compare)`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
