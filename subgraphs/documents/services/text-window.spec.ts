import { ErrorCode } from '../../../core/errors';
import { textWindow } from './text-window';

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    expect(extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
    return extensions.field;
  }
  throw new Error('expected a failure');
}

describe('textWindow', () => {
  it('defaults to the first 20,000 characters', () => {
    expect(textWindow(undefined, undefined)).toEqual({ offset: 0, limit: 20_000 });
    expect(textWindow(null, null)).toEqual({ offset: 0, limit: 20_000 });
  });
  it('accepts limits up to 100,000', () => {
    expect(textWindow(5, 0)).toEqual({ offset: 5, limit: 0 });
    expect(textWindow(0, 100_000)).toEqual({ offset: 0, limit: 100_000 });
  });
  it('refuses negative offsets and limits out of range', () => {
    expect(fieldOf(() => textWindow(-1, 10))).toBe('offset');
    expect(fieldOf(() => textWindow(0, -1))).toBe('limit');
    expect(fieldOf(() => textWindow(0, 100_001))).toBe('limit');
  });
});
