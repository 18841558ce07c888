import { extractiveAnswer, NOT_FOUND_ANSWER } from './answer';
import { INVOICE, LEASE, REPORT } from './fixtures/samples';
import type { AnswerDelta } from '../ai-provider';

async function collect(stream: AsyncIterable<AnswerDelta>): Promise<AnswerDelta[]> {
  const out: AnswerDelta[] = [];
  for await (const delta of stream) out.push(delta);
  return out;
}

const context = [
  { id: 'lease-1', text: LEASE },
  { id: 'report-1', text: REPORT },
  { id: 'invoice-1', text: INVOICE },
];

describe('local extractive answer', () => {
  it('streams the best-matching sentences, each quoted exactly and cited to its chunk', async () => {
    const deltas = await collect(
      extractiveAnswer('What is the annual rent for the premises?', context),
    );
    expect(deltas[0].text).toBe('The annual rent is £48,000, payable quarterly in advance.');
    expect(deltas[0].citation).toEqual({ id: 'lease-1', quote: deltas[0].text });
    for (const delta of deltas) {
      const chunk = context.find((c) => c.id === delta.citation?.id);
      expect(chunk?.text.replace(/\s+/g, ' ')).toContain(delta.citation?.quote);
    }
  });

  it('answers from another chunk when the question is about it', async () => {
    const deltas = await collect(extractiveAnswer('How did churn change?', context));
    expect(deltas.map((d) => d.citation?.id)).toEqual(['report-1']);
    expect(deltas[0].text).toMatch(/Churn fell to 3.1 percent/);
  });

  it('says it found nothing, citing nothing, when no sentence matches', async () => {
    const deltas = await collect(extractiveAnswer('Who won the football match?', context));
    expect(deltas).toEqual([{ text: NOT_FOUND_ANSWER }]);
    expect(await collect(extractiveAnswer('the and of', context))).toEqual([
      { text: NOT_FOUND_ANSWER },
    ]);
    expect(await collect(extractiveAnswer('annual rent', []))).toEqual([
      { text: NOT_FOUND_ANSWER },
    ]);
  });
});
