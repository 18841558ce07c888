import type { AnswerResult } from '../services/ask.service';
import type { SearchHitResult } from '../services/search.service';
import type { Answer, SearchHit } from './search.types';

export function toSearchHit(hit: SearchHitResult): SearchHit {
  return {
    document: { id: hit.documentId },
    chunk: hit.chunk,
    score: hit.score,
    highlight: hit.highlight,
  };
}

export function toAnswer(result: AnswerResult): Answer {
  return {
    answer: result.answer,
    grounded: result.grounded,
    tookMs: result.tookMs,
    citations: result.citations.map(({ chunk, quote }) => ({
      document: { id: chunk.documentId },
      chunk: { id: chunk.id, index: chunk.index, page: chunk.page, text: chunk.text },
      quote,
    })),
  };
}
