/**
 * The one interface every AI back end implements (ARCHITECTURE.md, AI providers). `local` is
 * the offline default; `openai` speaks to OpenAI or any OpenAI-compatible server.
 * Implementations live in core/ai/<provider>/ and are chosen by AI_PROVIDER.
 */
export interface CategoryDefinition {
  name: string;
  description?: string | null;
}

export interface ClassificationResult {
  label: string;
  /** 0..1 */
  confidence: number;
}

export interface MoneyFact {
  amount: number;
  currency: string;
  /** The phrase it was read from. */
  text: string;
}

export interface DateFact {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  label: string | null;
  text: string;
}

export interface ExtractedFacts {
  parties: string[];
  effectiveDate: string | null;
  expiryDate: string | null;
  amounts: MoneyFact[];
  dates: DateFact[];
  emails: string[];
  other: Record<string, unknown> | null;
}

export interface AnswerContextChunk {
  /** Stable id the answer cites. */
  id: string;
  text: string;
}

export interface AnswerDelta {
  text: string;
  /**
   * Added for the search issue: the context chunk this delta's text is quoted from, with the
   * exact quote. Extractive answers (local) set it on every sentence; generated answers (openai)
   * leave it unset and cite with markers in the text.
   */
  citation?: { id: string; quote: string };
}

export interface AiProvider {
  /** Honest name, shown in data and logs, e.g. `local-hashed-ngrams-v1` or `openai:text-embedding-3-small`. */
  readonly embeddingModel: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
  classify(text: string, categories: CategoryDefinition[]): Promise<ClassificationResult>;
  summarize(text: string): Promise<string>;
  extractFacts(text: string): Promise<ExtractedFacts>;
  /** Streamed answer from the given context; the search issue builds on it. */
  answer(question: string, context: AnswerContextChunk[]): AsyncIterable<AnswerDelta>;
}
