import { ErrorCode } from '../../../core/errors';
import {
  checkText,
  normalizeContentType,
  normalizeTags,
  normalizeTitle,
} from './normalize-document-input';

function failure(fn: () => unknown): { code: unknown; field: unknown } {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    return { code: extensions.code, field: extensions.field };
  }
  throw new Error('expected a failure');
}

describe('normalizeTitle', () => {
  it('trims', () => expect(normalizeTitle('  Lease  ')).toBe('Lease'));
  it('refuses blank and over-long titles', () => {
    expect(failure(() => normalizeTitle('   '))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'title',
    });
    expect(normalizeTitle('x'.repeat(300))).toHaveLength(300);
    expect(failure(() => normalizeTitle('x'.repeat(301)))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'title',
    });
  });
  it('counts characters, not UTF-16 units', () => {
    expect(normalizeTitle('😀'.repeat(300))).toHaveLength(600);
  });
});

describe('normalizeTags', () => {
  it('trims and removes duplicates, keeping the first spelling and the order', () => {
    expect(normalizeTags([' b ', 'a', 'b', 'A'])).toEqual(['b', 'a', 'A']);
  });
  it('refuses more than 20, blank and over-long tags', () => {
    expect(normalizeTags(Array.from({ length: 20 }, (_, i) => `t${i}`))).toHaveLength(20);
    expect(failure(() => normalizeTags(Array.from({ length: 21 }, (_, i) => `t${i}`)))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'tags',
    });
    expect(failure(() => normalizeTags([' ']))).toMatchObject({ field: 'tags' });
    expect(failure(() => normalizeTags(['x'.repeat(51)]))).toMatchObject({ field: 'tags' });
  });
});

describe('checkText', () => {
  it('keeps the text as given', () => expect(checkText('  a\n')).toBe('  a\n'));
  it('refuses empty and blank text', () => {
    expect(failure(() => checkText(''))).toEqual({ code: ErrorCode.BAD_USER_INPUT, field: 'text' });
    expect(failure(() => checkText(' \n\t'))).toMatchObject({ field: 'text' });
  });
  it('allows a million characters and no more', () => {
    expect(checkText('a'.repeat(1_000_000))).toHaveLength(1_000_000);
    expect(failure(() => checkText('a'.repeat(1_000_001)))).toMatchObject({ field: 'text' });
    // Astral characters are one character each, as PostgreSQL counts them.
    expect(checkText('😀'.repeat(1_000_000))).toHaveLength(2_000_000);
  });
});

describe('normalizeContentType', () => {
  it('defaults to text/plain and accepts the three text types', () => {
    expect(normalizeContentType(undefined)).toBe('text/plain');
    expect(normalizeContentType(' Text/Markdown ')).toBe('text/markdown');
    expect(normalizeContentType('text/html')).toBe('text/html');
  });
  it('refuses anything else', () => {
    expect(failure(() => normalizeContentType('application/pdf'))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'contentType',
    });
  });
});
