import { ConfigError, type Config } from '../config/config';
import type { AiProvider } from './ai-provider';
import { LocalAiProvider } from './local/local-ai-provider';
import { OpenAiProvider } from './openai/openai-ai-provider';

export type * from './ai-provider';
export * from './errors';

type AiConfig = Pick<
  Config,
  | 'AI_PROVIDER'
  | 'EMBEDDING_DIM'
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'OPENAI_CHAT_MODEL'
  | 'OPENAI_EMBEDDING_MODEL'
  | 'OPENAI_TIMEOUT_MS'
  | 'OPENAI_MAX_RETRIES'
>;

/** The AI back end AI_PROVIDER names (ARCHITECTURE.md, AI providers). Cheap: no I/O. */
export function createAiProvider(config: AiConfig): AiProvider {
  switch (config.AI_PROVIDER) {
    case 'local':
      return new LocalAiProvider(config.EMBEDDING_DIM);
    case 'openai':
      if (!config.OPENAI_API_KEY)
        throw new ConfigError(['OPENAI_API_KEY: required when AI_PROVIDER=openai']);
      return new OpenAiProvider({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        chatModel: config.OPENAI_CHAT_MODEL,
        embeddingModel: config.OPENAI_EMBEDDING_MODEL,
        dimensions: config.EMBEDDING_DIM,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
        maxRetries: config.OPENAI_MAX_RETRIES,
      });
  }
}
