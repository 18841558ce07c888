import { firstFreeSlug, slugify } from './organization-slug';

describe('slugify', () => {
  it.each([
    ['Acme', 'acme'],
    ['Acme Corp.', 'acme-corp'],
    ['  --Acme   & Sons--  ', 'acme-sons'],
    ['Ärzte & Söhne GmbH', 'arzte-sohne-gmbh'],
    ['Crème Brûlée Café', 'creme-brulee-cafe'],
    ['東京', 'org'],
    ['!!!', 'org'],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('keeps slugs at most 48 characters, never ending in a dash', () => {
    const slug = slugify(`${'a'.repeat(47)} b c`);
    expect(slug).toBe('a'.repeat(47));
    expect(slugify('word '.repeat(30)).length).toBeLessThanOrEqual(48);
    expect(slugify('word '.repeat(30))).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('firstFreeSlug', () => {
  it('keeps the base when it is free', () => {
    expect(firstFreeSlug('acme', ['acme-corp'])).toBe('acme');
  });

  it('suffixes the first free number on collision', () => {
    expect(firstFreeSlug('acme', ['acme'])).toBe('acme-2');
    expect(firstFreeSlug('acme', ['acme', 'acme-2', 'acme-3'])).toBe('acme-4');
    expect(firstFreeSlug('acme', ['acme', 'acme-3'])).toBe('acme-2');
  });
});
