import { cosine, hashedEmbedding } from './hashed-embedding';
import { LocalAiProvider } from './local-ai-provider';

describe('local hashed n-gram embeddings', () => {
  it('are L2-normalized, of the configured dimension and deterministic', async () => {
    const provider = new LocalAiProvider(256);
    const [a, b] = await provider.embed([
      'Termination of the lease agreement',
      'Termination of the lease agreement',
    ]);
    expect(a).toHaveLength(256);
    expect(Math.hypot(...a)).toBeCloseTo(1, 10);
    expect(b).toEqual(a);
    expect(provider.embeddingModel).toBe('local-hashed-ngrams-v1');
  });

  it('place paraphrases closer than unrelated text', () => {
    const query = hashedEmbedding('when does the lease terminate', 256);
    const related = hashedEmbedding('The Lease terminates on 31 January 2029 unless renewed.', 256);
    const unrelated = hashedEmbedding('Quarterly revenue grew in the enterprise segment.', 256);
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.1);
  });

  it('give the zero vector for empty text', () => {
    expect(hashedEmbedding('  ', 64).every((v) => v === 0)).toBe(true);
  });
});
