import { rankSentences } from '../../../core/ai/local/answer';
import { sentences } from '../../../core/ai/local/text';

export interface ContextChunk {
  id: string;
  documentId: string;
  index: number;
  page: number | null;
  text: string;
}

export interface ResolvedCitation {
  chunk: ContextChunk;
  quote: string;
}

/**
 * The passage of `text` that `quote` stands for, exactly as the chunk has it. Answerers quote
 * sentences with their spacing collapsed (a line break inside a sentence becomes a space), so
 * the quote is matched with any run of whitespace where it has one. Null when it is not there:
 * such a citation is dropped, never shown with a quote the document does not contain.
 */
export function exactQuote(text: string, quote: string): string | null {
  const trimmed = quote.trim();
  if (!trimmed) return null;
  if (text.includes(trimmed)) return trimmed;
  const pattern = trimmed
    .split(/\s+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(pattern, 'u').exec(text)?.[0] ?? null;
}

/** The chunk's sentence that best supports a claim, as an exact quote. */
export function supportingQuote(claim: string, chunk: ContextChunk): string {
  const best = rankSentences(claim, [{ id: chunk.id, text: chunk.text }])[0];
  const sentence = best?.text ?? sentences(chunk.text)[0]?.text ?? chunk.text.slice(0, 200);
  return exactQuote(chunk.text, sentence) ?? chunk.text.slice(0, 200);
}

const MARKER = /\s?\[(\d+(?:\s*,\s*\d+)*)\]/g;

export interface MarkedAnswer {
  /** The answer with its markers renumbered to the citations' order, dangling ones removed. */
  text: string;
  citations: ResolvedCitation[];
  /** Markers that pointed at no context passage. */
  dropped: number;
}

/**
 * A generated answer's `[n]` markers mapped back to the numbered context they were given: a
 * marker must name a passage that was in the context, so a citation can only ever point at a
 * retrieved chunk. Markers pointing at nothing are dropped from the text and counted.
 */
export function resolveMarkers(answer: string, context: readonly ContextChunk[]): MarkedAnswer {
  const order = new Map<number, number>();
  const citations: ResolvedCitation[] = [];
  let dropped = 0;
  const claims = sentences(answer);
  const claimAt = (offset: number): string => {
    let claim = answer;
    for (const s of claims) if (s.start <= offset) claim = s.text;
    return claim;
  };
  const text = answer.replace(MARKER, (whole, list: string, offset: number) => {
    const kept: number[] = [];
    for (const raw of list.split(',')) {
      const n = Number(raw.trim());
      const chunk = context[n - 1];
      if (!Number.isInteger(n) || !chunk) {
        dropped++;
        continue;
      }
      if (!order.has(n)) {
        order.set(n, citations.length + 1);
        citations.push({ chunk, quote: supportingQuote(claimAt(offset), chunk) });
      }
      kept.push(order.get(n)!);
    }
    if (kept.length === 0) return '';
    const space = whole.startsWith(' ') ? ' ' : '';
    return `${space}[${[...new Set(kept)].join(', ')}]`;
  });
  return { text: text.trim(), citations, dropped };
}
