import { sentences, stem, terms } from './text';

describe('local text primitives', () => {
  it('splits sentences but not after abbreviations, initials or inside numbers', () => {
    const text =
      'Acme Inc. signed on Jan. 5 with J. Smith. The fee rose 2.5 percent, i.e. slightly! Is it due? Yes.\n\n- first item\n- second item';
    expect(sentences(text).map((s) => s.text)).toEqual([
      'Acme Inc. signed on Jan. 5 with J. Smith.',
      'The fee rose 2.5 percent, i.e. slightly!',
      'Is it due?',
      'Yes.',
      '- first item',
      '- second item',
    ]);
  });

  it('stems word families together and drops stop words', () => {
    expect(stem('terminates')).toBe(stem('terminated'));
    expect(stem('payments')).toBe(stem('payment'));
    expect(terms('The Supplier shall deliver the goods')).toEqual(['supplier', 'deliver', 'good']);
  });
});
