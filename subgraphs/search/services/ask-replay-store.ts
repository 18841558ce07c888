import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal } from '../../../core/auth/principal';
import { ASK_REPLAY_REQUEST_PREFIX } from '../../../core/graphql/ask-stream-protocol';
import type { AnswerResult } from './ask.service';

/** Long enough for the gateway's hydration right after the stream ends; nothing lingers. */
const REPLAY_TTL_SECONDS = 120;

interface StoredAnswer {
  organizationId: string;
  userId: string;
  question: string;
  answer: AnswerResult;
}

/**
 * Streamed answers kept briefly in Redis under a random id, bound to the caller who asked and
 * the question: another caller, or another question, never gets one.
 */
export class AskReplayStore {
  constructor(private readonly redis: Redis) {}

  async save(principal: Principal, question: string, answer: AnswerResult): Promise<string> {
    const id = randomUUID();
    const stored: StoredAnswer = {
      organizationId: principal.organizationId,
      userId: principal.userId,
      question,
      answer,
    };
    await this.redis.set(this.key(id), JSON.stringify(stored), 'EX', REPLAY_TTL_SECONDS);
    return id;
  }

  /** The answer a request id names, if it names one stored for this caller and question. */
  async forRequest(
    requestId: string,
    principal: Principal,
    question: string,
  ): Promise<AnswerResult | null> {
    if (!requestId.startsWith(ASK_REPLAY_REQUEST_PREFIX)) return null;
    const raw = await this.redis.get(this.key(requestId.slice(ASK_REPLAY_REQUEST_PREFIX.length)));
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredAnswer;
    if (
      stored.organizationId !== principal.organizationId ||
      stored.userId !== principal.userId ||
      stored.question !== question
    )
      return null;
    return stored.answer;
  }

  private key(id: string): string {
    return `ask-replay:${id}`;
  }
}
