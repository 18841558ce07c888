import type { DataSource } from 'typeorm';
import { currentLsaModel } from '../../subgraphs/search/semantic/lsa-store';
import {
  TrainLsaService,
  type TrainLsaResult,
} from '../../subgraphs/search/semantic/train-lsa.service';

export interface TrainingFigures {
  result: TrainLsaResult;
  wallMs: number;
  /** CPU of this process (the trainer and its worker thread), not PostgreSQL's. */
  cpuMs: number;
  /** The process's peak RSS before and after training (a high-water mark: after ≥ before). */
  peakRssMbBefore: number;
  peakRssMbAfter: number;
}

/**
 * Trains the organization's LSA model with the product's own trainer (the train-lsa job's
 * service: sample, SVD in a worker thread, every chunk embedded into the version's rows, its
 * HNSW graph built, the switch), so SEMANTIC, HYBRID and recall run on LSA vectors as in
 * production. Skipped when the organization already has a model, unless `force`.
 */
export async function trainBenchModel(
  dataSource: DataSource,
  organizationId: string,
  dimensions: number,
  force: boolean,
): Promise<TrainingFigures | null> {
  if (!force && (await currentLsaModel(dataSource, organizationId))) return null;
  const peakRssMbBefore = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage();
  const started = Date.now();
  const result = await new TrainLsaService(dataSource, dimensions).execute(organizationId);
  const used = process.cpuUsage(cpu);
  return {
    result,
    wallMs: Date.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMbBefore,
    peakRssMbAfter: process.resourceUsage().maxRSS / 1024,
  };
}

export function printTraining(figures: TrainingFigures | null): void {
  if (!figures) {
    console.log('LSA model: the organization already has one (BENCH_RETRAIN=1 trains again)');
    return;
  }
  const r = figures.result;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `LSA training with the product's trainer: ${r.corpusChunks} chunks (basis from ${r.sampledChunks}, ${r.terms} terms, ${r.dimensions} dimensions): ` +
      `read + SVD ${s(r.trainingMs)}, embedding every chunk ${s(r.embeddingMs)}, HNSW graph ${s(r.indexMs)}, switch ${s(r.switchMs)} ` +
      `(${r.switchedChunks} chunks under the lock), old version removed ${r.removedEmbeddings} rows → ${s(figures.wallMs)} wall; ` +
      `this process's CPU ${s(figures.cpuMs)}; peak RSS ${figures.peakRssMbBefore.toFixed(0)} MB before, ${figures.peakRssMbAfter.toFixed(0)} MB after`,
  );
}
