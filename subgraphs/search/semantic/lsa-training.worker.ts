import { parentPort, workerData } from 'node:worker_threads';
import {
  ChunkTermCounts,
  trainLsa,
  type LsaOptions,
  type TransferableTermCounts,
} from './lsa-model';
import type { TrainingThreadAnswer } from './lsa-training-thread';

/** The training thread's entry (started by ./lsa-training-thread.ts): one model, then exit. */
const { counts, options } = workerData as { counts: TransferableTermCounts; options: LsaOptions };

trainLsa(ChunkTermCounts.fromTransfer(counts), options).then(
  (trained) => {
    const answer: TrainingThreadAnswer = { ok: true, trained };
    parentPort!.postMessage(answer, [trained.termVectors.buffer as ArrayBuffer]);
  },
  (error: unknown) => {
    const answer: TrainingThreadAnswer = {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    };
    parentPort!.postMessage(answer);
  },
);
