import { classifyText, DEFAULT_VOCABULARIES } from './classify';
import { LABELLED_SAMPLES, LEASE, SERVICES_AGREEMENT } from './fixtures/samples';

const DEFAULTS = Object.keys(DEFAULT_VOCABULARIES).map((name) => ({ name }));

describe('local classification', () => {
  it.each(LABELLED_SAMPLES.map((s) => [s.label, s.text.slice(0, 40), s.text]))(
    'files a %s (%s…) under the right default category',
    (label, _head, text) => {
      const result = classifyText(text, DEFAULTS);
      expect(result.label).toBe(label);
      expect(result.confidence).toBeGreaterThan(0.3);
      expect(result.confidence).toBeLessThanOrEqual(1);
    },
  );

  it('is confident on a clear case and unsure on an ambiguous one', () => {
    const clear = classifyText(SERVICES_AGREEMENT, DEFAULTS);
    const ambiguous = classifyText(
      'Report on the invoice policy: please find attached the agreement.',
      DEFAULTS,
    );
    expect(clear.confidence).toBeGreaterThan(0.9);
    expect(ambiguous.confidence).toBeLessThan(0.7);
  });

  it("uses a custom category's name and description", () => {
    const categories = [
      { name: 'Lease', description: 'Rental of premises: landlord, tenant, rent, deposit' },
      { name: 'Invoice' },
      { name: 'Recipe', description: 'Cooking instructions with ingredients, oven, bake' },
      { name: 'Other' },
    ];
    expect(classifyText(LEASE, categories).label).toBe('Lease');
    expect(
      classifyText('Preheat the oven, mix the ingredients and bake for 20 minutes.', categories)
        .label,
    ).toBe('Recipe');
  });

  it('falls back to "other" with a low confidence when there is no evidence', () => {
    const result = classifyText('Lorem ipsum dolor sit amet.', DEFAULTS);
    expect(result).toEqual({ label: 'other', confidence: expect.any(Number) });
    expect(result.confidence).toBeLessThanOrEqual(0.6);
  });

  it('picks one of the given categories even without "other", and is deterministic', () => {
    const categories = [{ name: 'HR' }, { name: 'Finance', description: 'budgets and invoices' }];
    const a = classifyText('Lorem ipsum.', categories);
    expect(categories.map((c) => c.name)).toContain(a.label);
    expect(classifyText('Lorem ipsum.', categories)).toEqual(a);
  });
});
