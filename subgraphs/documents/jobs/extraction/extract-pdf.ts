import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExtractedPage } from './extracted-text';
import { ExtractionError } from './extraction-error';
import { PDF_WORKER_SOURCE } from './pdf-worker-source';

export interface ExtractionLimits {
  maxPages: number;
  maxChars: number;
  timeoutMs: number;
  memoryMb: number;
}

type WorkerAnswer =
  | { ok: true; pageCount: number; pages: ExtractedPage[] }
  | { ok: false; kind: string; message: string };

let pdfjsPath: string | undefined;
function pdfjs(): string {
  // unpdf's serverless pdf.js build, found next to the package's CommonJS entry.
  pdfjsPath ??= join(dirname(require.resolve('unpdf')), 'pdfjs.mjs');
  return pdfjsPath;
}

function spawn(memoryMb: number): Worker {
  const worker = new Worker(PDF_WORKER_SOURCE, {
    eval: true,
    workerData: { pdfjsPath: pdfjs() },
    resourceLimits: {
      maxOldGenerationSizeMb: memoryMb,
      maxYoungGenerationSizeMb: Math.max(16, Math.floor(memoryMb / 8)),
    },
    stdout: true,
    stderr: true,
  });
  // pdf.js warns on stdout about damaged files; that noise is not the worker's log.
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

/**
 * Warm spares: threads that have loaded pdf.js and wait for a file, so a document does not pay
 * the parser's start-up. Each thread still parses exactly one file and is then terminated.
 */
const SPARES = 2;
const spares: { worker: Worker; memoryMb: number }[] = [];

function addSpare(memoryMb: number): void {
  const worker = spawn(memoryMb);
  worker.unref();
  const entry = { worker, memoryMb };
  const drop = () => {
    const at = spares.indexOf(entry);
    if (at >= 0) spares.splice(at, 1);
  };
  worker.once('error', drop);
  worker.once('exit', drop);
  spares.push(entry);
}

function takeWorker(memoryMb: number): Worker {
  const at = spares.findIndex((s) => s.memoryMb === memoryMb);
  const taken = at >= 0 ? spares.splice(at, 1)[0].worker : spawn(memoryMb);
  taken.removeAllListeners('error');
  taken.removeAllListeners('exit');
  taken.ref();
  while (spares.length < SPARES) addSpare(memoryMb);
  return taken;
}

/** Stops the warm spares (the pipeline's stop calls it). */
export async function closePdfWorkers(): Promise<void> {
  const all = spares.splice(0);
  await Promise.all(all.map((s) => s.worker.terminate()));
}

/** Why pdf.js refused a file, in words a person can act on. */
function reason(answer: { kind: string; message: string }, limits: ExtractionLimits): string {
  switch (answer.kind) {
    case 'PasswordException':
      return 'The PDF is encrypted with a password; upload a copy without the password';
    case 'InvalidPDFException':
      return `The file is not a valid PDF (${answer.message})`;
    case 'TooManyPages':
      return `The PDF has ${answer.message} pages; at most ${limits.maxPages} are accepted`;
    case 'TooMuchText':
      return `The PDF holds more than ${limits.maxChars.toLocaleString('en')} characters of text; that is the limit`;
    default:
      return `The PDF could not be read: ${answer.kind}: ${answer.message}`;
  }
}

/**
 * Text of each page of a PDF, parsed by pdf.js in a worker thread with its own heap limit and a
 * deadline: a malformed, hostile or huge file fails this document (ExtractionError), never the
 * worker process.
 */
export async function extractPdf(data: Buffer, limits: ExtractionLimits): Promise<{ pageCount: number; pages: ExtractedPage[] }> {
  const worker = takeWorker(limits.memoryMb);
  worker.postMessage({ data, maxPages: limits.maxPages, maxChars: limits.maxChars });
  try {
    const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ExtractionError(`Reading the PDF took longer than ${limits.timeoutMs} ms; it was stopped`)),
        limits.timeoutMs,
      );
      worker.once('message', (message: WorkerAnswer) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.once('error', (error: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ExtractionError(`Reading the PDF needed more than ${limits.memoryMb} MB of memory; it was stopped`)
            : new ExtractionError(`The PDF could not be read: ${error.message}`),
        );
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new ExtractionError(`The PDF reader stopped unexpectedly (exit code ${code})`));
      });
    });
    if (!answer.ok) throw new ExtractionError(reason(answer, limits));
    return { pageCount: answer.pageCount, pages: answer.pages };
  } finally {
    await worker.terminate();
  }
}
