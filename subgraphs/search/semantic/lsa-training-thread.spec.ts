import { ChunkTermCounts, DEFAULT_LSA_OPTIONS, trainLsa, type LsaOptions } from './lsa-model';
import { trainLsaInThread } from './lsa-training-thread';

/** 2,000 chunks of 40 draws from 8 topics' vocabularies: seconds of SVD, not milliseconds. */
function counts(): ChunkTermCounts {
  const result = new ChunkTermCounts();
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < 2_000; i++) {
    const tf = new Map<string, number>();
    for (let k = 0; k < 40; k++) {
      const lexeme =
        k % 2 ? `w${Math.floor(next() * 3_000)}` : `t${i % 8}_${Math.floor(next() * 200)}`;
      tf.set(lexeme, (tf.get(lexeme) ?? 0) + 1);
    }
    result.addChunk([...tf].map(([lexeme, n]) => ({ lexeme, tf: n })));
  }
  return result;
}

const OPTIONS: LsaOptions = { ...DEFAULT_LSA_OPTIONS, dimensions: 60 };

describe('LSA training in a worker thread', () => {
  it('gives the model the event loop would have computed', async () => {
    const here = await trainLsa(counts(), OPTIONS);
    const there = await trainLsaInThread(counts(), OPTIONS);
    expect(there.dimensions).toBe(here.dimensions);
    expect(there.lexemes).toEqual(here.lexemes);
    expect(Array.from(there.singularValues)).toEqual(Array.from(here.singularValues));
    expect(there.termVectors).toEqual(here.termVectors);
  });

  it('leaves the event loop free while the model trains', async () => {
    // Counts the event loop's turns while each trains: on the loop, the SVD's passes hold it
    // (it yields only between passes); in the thread, the loop keeps turning.
    const turnsDuring = async (train: () => Promise<unknown>): Promise<number> => {
      let turns = 0;
      let training = true;
      const spin = (): void => {
        turns++;
        if (training) setImmediate(spin);
      };
      setImmediate(spin);
      await train();
      training = false;
      return turns;
    };
    const onLoop = await turnsDuring(() => trainLsa(counts(), OPTIONS));
    const inThread = await turnsDuring(() => trainLsaInThread(counts(), OPTIONS));
    expect(onLoop).toBeLessThan(100);
    expect(inThread).toBeGreaterThan(10 * onLoop);
  });
});
