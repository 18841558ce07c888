import { BadUserInputError } from '../../../core/errors';
import { DocumentLimits } from './document-limits';

export interface TextWindow {
  /** 0-based character offset. */
  offset: number;
  limit: number;
}

/** Checks the `text` field's arguments: offset ≥ 0, 0 ≤ limit ≤ 100,000 (null means the default). */
export function textWindow(
  offset: number | null | undefined,
  limit: number | null | undefined,
): TextWindow {
  const start = offset ?? 0;
  const size = limit ?? DocumentLimits.TEXT_WINDOW_DEFAULT;
  if (!Number.isInteger(start) || start < 0)
    throw new BadUserInputError('offset must be 0 or more', 'offset');
  if (!Number.isInteger(size) || size < 0 || size > DocumentLimits.TEXT_WINDOW_MAX) {
    throw new BadUserInputError(
      `limit must be between 0 and ${DocumentLimits.TEXT_WINDOW_MAX}`,
      'limit',
    );
  }
  return { offset: start, limit: size };
}
