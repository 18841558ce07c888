import { ErrorCode } from '../../../core/errors';
import { matchCategory, normalizeCategories } from './normalize-categories';

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    expect(extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
    return extensions.field;
  }
  throw new Error('expected a failure');
}

describe('normalizeCategories', () => {
  it('trims names and descriptions; a blank description is none', () => {
    expect(
      normalizeCategories([
        { name: ' Lease ', description: ' Rental contracts ' },
        { name: 'Memo', description: '  ' },
        { name: 'Other' },
      ]),
    ).toEqual([
      { name: 'Lease', description: 'Rental contracts' },
      { name: 'Memo', description: null },
      { name: 'Other', description: null },
    ]);
  });
  it('wants 1 to 50 categories', () => {
    expect(failure(() => normalizeCategories([]))).toBe('categories');
    expect(
      normalizeCategories(Array.from({ length: 50 }, (_, i) => ({ name: `c${i}` }))),
    ).toHaveLength(50);
    expect(
      failure(() => normalizeCategories(Array.from({ length: 51 }, (_, i) => ({ name: `c${i}` })))),
    ).toBe('categories');
  });
  it('wants unique names, ignoring case', () => {
    expect(failure(() => normalizeCategories([{ name: 'Lease' }, { name: ' lease' }]))).toBe(
      'categories',
    );
  });
  it('limits names to 50 characters and descriptions to 500', () => {
    expect(failure(() => normalizeCategories([{ name: ' ' }]))).toBe('name');
    expect(failure(() => normalizeCategories([{ name: 'x'.repeat(51) }]))).toBe('name');
    expect(failure(() => normalizeCategories([{ name: 'x', description: 'd'.repeat(501) }]))).toBe(
      'description',
    );
  });
});

describe('matchCategory', () => {
  it("answers the organization's spelling, ignoring case and spaces", () => {
    expect(matchCategory(['Invoice', 'Lease'], ' invoice ')).toBe('Invoice');
    expect(matchCategory(['Invoice'], 'receipt')).toBeNull();
  });
});
