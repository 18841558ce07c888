import OpenAI from 'openai';
import type { z } from 'zod';
import type {
  AiProvider,
  AnswerContextChunk,
  AnswerDelta,
  CategoryDefinition,
  ClassificationResult,
  ExtractedFacts,
} from '../ai-provider';
import { AiRejectedError } from '../errors';
import { mapOpenAiError } from './map-openai-error';
import {
  classificationAnswer,
  classificationJsonSchema,
  FACTS_JSON_SCHEMA,
  factsAnswer,
} from './schemas';

export interface OpenAiProviderOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (Ollama, vLLM…); unset: api.openai.com. */
  baseURL?: string;
  chatModel: string;
  embeddingModel: string;
  dimensions: number;
  /** Per request. */
  timeoutMs: number;
  /**
   * The SDK's own retries. 0 by default: BullMQ's exponential backoff retries the job, and two
   * layers of retries multiply each other's waits.
   */
  maxRetries?: number;
}

/** Inputs per embeddings request (the API accepts up to 2,048). */
const EMBED_BATCH = 256;
/** Characters of a document sent for classification, summary and facts (about 6,000 tokens). */
const MAX_INPUT_CHARS = 24_000;

/**
 * AI_PROVIDER=openai: the official SDK against OpenAI or any compatible server. Classification
 * and facts use structured outputs (a strict JSON schema) and are validated again on arrival;
 * embeddings are `text-embedding-3-small` shortened to EMBEDDING_DIM with `dimensions`; answers
 * stream token by token. Failures arrive as AiUnavailableError (retry) or AiRejectedError (don't).
 */
export class OpenAiProvider implements AiProvider {
  readonly embeddingModel: string;
  readonly dimensions: number;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.embeddingModel = `openai:${options.embeddingModel}`;
    this.dimensions = options.dimensions;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries ?? 0,
    });
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      const batch = texts.slice(i, i + EMBED_BATCH).map((t) => (t.trim() ? t : ' '));
      const response = await this.call('embeddings', () =>
        this.client.embeddings.create({
          model: this.options.embeddingModel,
          input: batch,
          dimensions: this.dimensions,
          encoding_format: 'float',
        }),
      );
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== batch.length || vectors.some((v) => v.length !== this.dimensions)) {
        throw new AiRejectedError(
          `OpenAI embeddings: expected ${batch.length} vectors of ${this.dimensions} dimensions, got ${vectors.length} of ${vectors[0]?.length ?? 0} (does the model support "dimensions"?)`,
        );
      }
      out.push(...vectors);
    }
    return out;
  }

  async classify(text: string, categories: CategoryDefinition[]): Promise<ClassificationResult> {
    if (categories.length === 0) return { label: 'other', confidence: 0 };
    const list = categories
      .map((c) => `- ${c.name}${c.description ? `: ${c.description}` : ''}`)
      .join('\n');
    const answer = await this.structured(
      'classification',
      classificationJsonSchema(categories),
      classificationAnswer,
      `Classify the document into exactly one of these categories:\n${list}\nGive your confidence as a probability between 0 and 1.`,
      text,
    );
    const match = categories.find((c) => c.name.toLowerCase() === answer.label.toLowerCase());
    if (!match) throw new AiRejectedError(`OpenAI classification: unknown label "${answer.label}"`);
    return { label: match.name, confidence: answer.confidence };
  }

  async summarize(text: string): Promise<string> {
    const response = await this.call('summary', () =>
      this.client.chat.completions.create({
        model: this.options.chatModel,
        temperature: 0,
        messages: [
          {
            role: 'system',
            content:
              'Summarize the document in at most three sentences for a busy reader. State what it is, who is involved and what matters most. Use only facts from the document.',
          },
          { role: 'user', content: clip(text) },
        ],
      }),
    );
    return (response.choices[0]?.message?.content ?? '').trim();
  }

  async extractFacts(text: string): Promise<ExtractedFacts> {
    const facts = await this.structured(
      'facts',
      FACTS_JSON_SCHEMA,
      factsAnswer,
      'Extract the key facts of the document: its parties, its effective and expiry dates, every amount of money with its ISO 4217 currency, every dated event, and e-mail addresses. Report only what the document states; use null or an empty list otherwise.',
      text,
    );
    return {
      ...facts,
      emails: [...new Set(facts.emails.map((e) => e.toLowerCase()))],
      other: null,
    };
  }

  async *answer(question: string, context: AnswerContextChunk[]): AsyncIterable<AnswerDelta> {
    const numbered = context.map((chunk, i) => `[${i + 1}] ${chunk.text}`).join('\n\n');
    const stream = await this.call('answer', () =>
      this.client.chat.completions.create({
        model: this.options.chatModel,
        temperature: 0,
        stream: true,
        messages: [
          {
            role: 'system',
            content:
              'Answer the question using only the numbered context passages. Cite each claim with the passage number in brackets, e.g. [2]. If the context does not contain the answer, say that it was not found in the documents.',
          },
          { role: 'user', content: `Context:\n${numbered}\n\nQuestion: ${question}` },
        ],
      }),
    );
    try {
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { text };
      }
    } catch (error) {
      throw mapOpenAiError(error, 'answer');
    }
  }

  private async structured<T>(
    name: string,
    schema: Record<string, unknown>,
    validator: z.ZodType<T>,
    instructions: string,
    text: string,
  ): Promise<T> {
    const response = await this.call(name, () =>
      this.client.chat.completions.create({
        model: this.options.chatModel,
        temperature: 0,
        response_format: { type: 'json_schema', json_schema: { name, strict: true, schema } },
        messages: [
          { role: 'system', content: instructions },
          { role: 'user', content: clip(text) },
        ],
      }),
    );
    const message = response.choices[0]?.message;
    if (message?.refusal) throw new AiRejectedError(`OpenAI ${name}: refused: ${message.refusal}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(message?.content ?? '');
    } catch {
      throw new AiRejectedError(`OpenAI ${name}: the answer is not JSON`);
    }
    const result = validator.safeParse(parsed);
    if (!result.success)
      throw new AiRejectedError(
        `OpenAI ${name}: the answer does not fit the schema: ${result.error.message}`,
      );
    return result.data;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw mapOpenAiError(error, operation);
    }
  }
}

function clip(text: string): string {
  return text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
}
