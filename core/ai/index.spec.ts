import { loadConfig } from '../config/config';
import { createAiProvider } from './index';
import { LocalAiProvider } from './local/local-ai-provider';
import { OpenAiProvider } from './openai/openai-ai-provider';

describe('createAiProvider', () => {
  it('is local by default, with EMBEDDING_DIM dimensions', () => {
    const provider = createAiProvider(loadConfig({ EMBEDDING_DIM: '128' }));
    expect(provider).toBeInstanceOf(LocalAiProvider);
    expect(provider.dimensions).toBe(128);
    expect(provider.embeddingModel).toBe('local-hashed-ngrams-v1');
  });

  it('builds the openai provider, and refuses it without a key', () => {
    const provider = createAiProvider(
      loadConfig({
        AI_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-x',
        OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      }),
    );
    expect(provider).toBeInstanceOf(OpenAiProvider);
    expect(provider.embeddingModel).toBe('openai:text-embedding-3-small');
    expect(() =>
      createAiProvider(loadConfig({ AI_PROVIDER: 'openai', OPENAI_API_KEY: '' })),
    ).toThrow(/OPENAI_API_KEY: required/);
  });

  it('rejects an unknown provider at configuration time', () => {
    expect(() => loadConfig({ AI_PROVIDER: 'magic' })).toThrow(/AI_PROVIDER/);
  });
});
