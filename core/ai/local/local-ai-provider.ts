import type {
  AiProvider,
  AnswerContextChunk,
  AnswerDelta,
  CategoryDefinition,
  ClassificationResult,
  ExtractedFacts,
} from '../ai-provider';
import { extractiveAnswer } from './answer';
import { classifyText } from './classify';
import { extractFactsFromText } from './extract-facts';
import { HASHED_EMBEDDING_MODEL, hashedEmbedding } from './hashed-embedding';
import { summarizeText } from './summarize';

/**
 * The offline default (AI_PROVIDER=local): everything computed on this machine, deterministic,
 * no network, no key. What each method really does is in its file; none of it is a language
 * model, and `embeddingModel` says so.
 */
export class LocalAiProvider implements AiProvider {
  readonly embeddingModel = HASHED_EMBEDDING_MODEL;

  constructor(readonly dimensions: number) {}

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => hashedEmbedding(text, this.dimensions));
  }

  async classify(text: string, categories: CategoryDefinition[]): Promise<ClassificationResult> {
    return classifyText(text, categories);
  }

  async summarize(text: string): Promise<string> {
    return summarizeText(text);
  }

  async extractFacts(text: string): Promise<ExtractedFacts> {
    return extractFactsFromText(text);
  }

  answer(question: string, context: AnswerContextChunk[]): AsyncIterable<AnswerDelta> {
    return extractiveAnswer(question, context);
  }
}
