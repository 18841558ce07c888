import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChunkTermCounts, LsaOptions, TrainedLsa } from './lsa-model';

/** What the training thread posts back: the model, or why it failed. */
export type TrainingThreadAnswer =
  { ok: true; trained: TrainedLsa } | { ok: false; message: string; stack?: string };

/**
 * Trains a model in a worker thread (./lsa-training.worker.ts): the SVD is seconds to minutes
 * of arithmetic, and on the search worker's event loop it would starve BullMQ's job-lock
 * renewals and every other job of the process. The counts go to the thread and the term
 * vectors come back as transferred buffers (moved, not copied).
 */
export function trainLsaInThread(
  counts: ChunkTermCounts,
  options: LsaOptions,
): Promise<TrainedLsa> {
  const data = counts.toTransfer();
  // Under ts-node or jest this file is TypeScript, and so is the thread's entry.
  const typescript = extname(__filename) === '.ts';
  const worker = new Worker(join(__dirname, `lsa-training.worker${extname(__filename)}`), {
    workerData: { counts: data, options },
    transferList: [data.rowStart, data.termIds, data.tfs].map((a) => a.buffer as ArrayBuffer),
    execArgv: typescript ? ['-r', 'ts-node/register/transpile-only'] : [],
  });
  return new Promise<TrainedLsa>((resolve, reject) => {
    let answered = false;
    worker.once('message', (answer: TrainingThreadAnswer) => {
      answered = true;
      if (answer.ok) resolve(answer.trained);
      else reject(Object.assign(new Error(answer.message), { stack: answer.stack }));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The LSA training thread exited with code ${code}`));
    });
  });
}
