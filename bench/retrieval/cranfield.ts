import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';

export interface CranfieldDocument {
  id: number;
  title: string;
  abstract: string;
}

export interface CranfieldQuery {
  /** Position in cran.qry, 1..225: how the judgments number the queries (not the `.I` label). */
  number: number;
  text: string;
}

export interface Cranfield {
  documents: CranfieldDocument[];
  queries: CranfieldQuery[];
  /** query number → document id → relevance code (1 best … 4; -1 = judged not relevant). */
  judgments: Map<number, Map<number, number>>;
}

/** Records `.I n` followed by `.X` fields (CRLF line ends in the shared copy). */
function records(text: string): Array<{ id: number; fields: Record<string, string> }> {
  const out: Array<{ id: number; fields: Record<string, string> }> = [];
  let field = '';
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const start = /^\.I\s+(\d+)/.exec(line);
    if (start) {
      out.push({ id: Number(start[1]), fields: {} });
      field = '';
      continue;
    }
    const marker = /^\.([TAWB])\s*$/.exec(line);
    if (marker) {
      field = marker[1];
      continue;
    }
    const current = out.at(-1);
    if (current && field) current.fields[field] = `${current.fields[field] ?? ''}${line}\n`;
  }
  return out;
}

export function loadCranfield(): Cranfield {
  const dir = corpusDir('cranfield');
  const documents = records(readFileSync(join(dir, 'cran.all.1400'), 'utf8')).map((r) => ({
    id: r.id,
    title: (r.fields.T ?? '').replace(/\s+/g, ' ').trim(),
    abstract: (r.fields.W ?? '').trim(),
  }));
  const queries = records(readFileSync(join(dir, 'cran.qry'), 'utf8')).map((r, i) => ({
    number: i + 1,
    text: (r.fields.W ?? '').replace(/\s+/g, ' ').trim(),
  }));
  const judgments = new Map<number, Map<number, number>>();
  for (const line of readFileSync(join(dir, 'cranqrel'), 'utf8').split(/\r?\n/)) {
    const [q, d, code] = line.trim().split(/\s+/).map(Number);
    if (!q || !d || Number.isNaN(code)) continue;
    if (!judgments.has(q)) judgments.set(q, new Map());
    judgments.get(q)!.set(d, code);
  }
  return { documents, queries, judgments };
}
