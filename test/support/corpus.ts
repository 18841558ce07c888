import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The shared test corpus (PDF.js's test PDFs, Cranfield): `DOCENT_CORPUS_DIR` when set, else
 * `../shared/corpus` beside the checkout, else the workplace's `/work/shared/corpus` (where a
 * clone in another folder, as CI makes, still finds it).
 */
export function corpusDir(collection: 'pdfjs' | 'cranfield'): string {
  const candidates = [
    process.env.DOCENT_CORPUS_DIR,
    join(__dirname, '../../../shared/corpus'),
    '/work/shared/corpus',
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => existsSync(join(dir, collection)));
  if (!found)
    throw new Error(
      `The ${collection} corpus is not in ${candidates.join(', ')}: set DOCENT_CORPUS_DIR`,
    );
  return join(found, collection);
}
