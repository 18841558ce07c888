import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AiProvider } from '../../../core/ai/ai-provider';
import { NOT_FOUND_ANSWER } from '../../../core/ai/local/answer';
import type { Principal } from '../../../core/auth/principal';
import { BadUserInputError } from '../../../core/errors';
import type { Logger } from '../../../core/logging/logger';
import { registry } from '../../../core/observability/metrics';
import type { Retrieval } from '../retrieval/retrieval';
import {
  exactQuote,
  resolveMarkers,
  type ContextChunk,
  type ResolvedCitation,
} from './answer-citations';
import { loadChunks, type LoadedChunk } from './load-chunks';
import { boundedCount, toRetrievalFilter, type SearchFilterInput } from './search-filter';
import { SearchLimits } from './search-limits';
import { elapsed } from './search.service';

export interface AnswerResult {
  answer: string;
  citations: ResolvedCitation[];
  grounded: boolean;
  tookMs: number;
}

export interface AskInput {
  question: string;
  filter?: SearchFilterInput | null;
  topK?: number | null;
}

const droppedMarkers = new Counter({
  name: 'search_answer_markers_dropped_total',
  help: 'Citation markers of generated answers that pointed at no retrieved chunk (removed)',
  registers: [registry],
});

/**
 * The chunks handed to the answerer, best first, within a token budget: a chunk that does not
 * fit is skipped (a smaller one further down may), and the best chunk is always there, cut to
 * the budget if it alone exceeds it.
 */
export function answerContext(ranked: readonly LoadedChunk[], budget: number): ContextChunk[] {
  const context: ContextChunk[] = [];
  let used = 0;
  for (const chunk of ranked) {
    if (used + chunk.tokenCount > budget) {
      if (context.length > 0) continue;
      // About four characters a token: the cut keeps the best chunk's opening.
      context.push({ ...chunk, text: chunk.text.slice(0, budget * 4) });
      used = budget;
      continue;
    }
    context.push(chunk);
    used += chunk.tokenCount;
  }
  return context;
}

/**
 * `ask` and `askStream`: retrieve the top-K chunks (HYBRID) of the caller's organization, build
 * a context within the token budget, answer from it with the AI provider, and cite only chunks
 * of that context with exact quotes of their text. The local provider's extractive answer cites
 * each sentence it quotes; a generated (openai) answer cites with `[n]` markers, mapped back to
 * the numbered context, dangling ones dropped, logged and counted. No citation: not grounded.
 */
export class AskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retrieval: Retrieval,
    private readonly ai: AiProvider,
    private readonly logger: Logger,
  ) {}

  async execute(principal: Principal, input: AskInput): Promise<AnswerResult> {
    const stream = this.stream(principal, input);
    for (;;) {
      const next = await stream.next();
      if (next.done) return next.value;
    }
  }

  /** Yields the answer's text as it is produced, and returns the whole answer. */
  async *stream(
    principal: Principal,
    input: AskInput,
  ): AsyncGenerator<{ text: string }, AnswerResult> {
    const started = performance.now();
    const question = input.question.trim();
    if (question.length > SearchLimits.QUESTION_MAX_CHARS)
      throw new BadUserInputError(
        `question must be at most ${SearchLimits.QUESTION_MAX_CHARS} characters`,
        'question',
      );
    const topK = boundedCount(
      input.topK,
      'topK',
      SearchLimits.TOP_K_DEFAULT,
      SearchLimits.TOP_K_MAX,
    );
    const filter = toRetrievalFilter(input.filter);
    const { context, chunks } = question
      ? await this.retrieveContext(principal, question, topK, filter)
      : { context: [], chunks: new Map<string, LoadedChunk>() };
    if (context.length === 0) {
      yield { text: NOT_FOUND_ANSWER };
      return notFound(started);
    }

    let text = '';
    const extractive: ResolvedCitation[] = [];
    let extractiveDeltas = 0;
    const inContext = new Set(context.map((chunk) => chunk.id));
    for await (const delta of this.ai.answer(question, context)) {
      if (!delta.text) continue;
      text += delta.text;
      yield { text: delta.text };
      if (!delta.citation) continue;
      extractiveDeltas++;
      // Cited as the whole chunk, quoted from what the answerer was given of it.
      const given = context.find((c) => c.id === delta.citation!.id);
      const chunk = inContext.has(delta.citation.id) ? chunks.get(delta.citation.id) : undefined;
      const quote = chunk && given ? exactQuote(given.text, delta.citation.quote) : null;
      if (chunk && quote) extractive.push({ chunk, quote });
      else
        this.logger.warn(
          { chunkId: delta.citation.id },
          'answer citation outside the context or not quoted from it: dropped',
        );
    }

    if (extractiveDeltas > 0) {
      return {
        answer: text.trim(),
        citations: extractive,
        grounded: extractive.length > 0,
        tookMs: elapsed(started),
      };
    }
    const marked = resolveMarkers(
      text,
      context.map((c) => chunks.get(c.id) ?? c),
    );
    if (marked.dropped > 0) {
      droppedMarkers.inc(marked.dropped);
      this.logger.warn(
        { dropped: marked.dropped, contextSize: context.length },
        'answer cited passages that were not in its context: markers dropped',
      );
    }
    return {
      answer: marked.text || NOT_FOUND_ANSWER,
      citations: marked.citations,
      grounded: marked.citations.length > 0,
      tookMs: elapsed(started),
    };
  }

  private async retrieveContext(
    principal: Principal,
    question: string,
    topK: number,
    filter: ReturnType<typeof toRetrievalFilter>,
  ): Promise<{ context: ContextChunk[]; chunks: Map<string, LoadedChunk> }> {
    const ranked = await this.retrieval.retrieve({
      organizationId: principal.organizationId,
      query: question,
      mode: 'HYBRID',
      limit: topK,
      filter,
    });
    const chunks = await loadChunks(
      this.dataSource,
      principal,
      ranked.map((r) => r.chunkId),
    );
    const inOrder = ranked.flatMap((r) => chunks.get(r.chunkId) ?? []);
    return { context: answerContext(inOrder, SearchLimits.CONTEXT_TOKEN_BUDGET), chunks };
  }
}

function notFound(started: number): AnswerResult {
  return { answer: NOT_FOUND_ANSWER, citations: [], grounded: false, tookMs: elapsed(started) };
}
