import { BadUserInputError } from '../../../core/errors';
import { characterCount } from './character-count';
import {
  DocumentLimits,
  isTextContentType,
  TEXT_CONTENT_TYPES,
  type TextContentType,
} from './document-limits';

/** A title trimmed, 1..300 characters. */
export function normalizeTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) throw new BadUserInputError('title must not be blank', 'title');
  if (characterCount(trimmed) > DocumentLimits.TITLE_MAX) {
    throw new BadUserInputError(
      `title must be at most ${DocumentLimits.TITLE_MAX} characters`,
      'title',
    );
  }
  return trimmed;
}

/** Tags trimmed and de-duplicated (first spelling kept), at most 20, each 1..50 characters. */
export function normalizeTags(tags: readonly string[]): string[] {
  if (tags.length > DocumentLimits.TAGS_MAX) {
    throw new BadUserInputError(
      `a document may have at most ${DocumentLimits.TAGS_MAX} tags`,
      'tags',
    );
  }
  const seen = new Set<string>();
  const result: string[] = [];
  for (const tag of tags) {
    const trimmed = tag.trim();
    if (trimmed.length === 0) throw new BadUserInputError('tags must not be blank', 'tags');
    if (characterCount(trimmed) > DocumentLimits.TAG_MAX) {
      throw new BadUserInputError(
        `each tag must be at most ${DocumentLimits.TAG_MAX} characters`,
        'tags',
      );
    }
    if (!seen.has(trimmed)) {
      seen.add(trimmed);
      result.push(trimmed);
    }
  }
  return result;
}

/** The document's text as given (whitespace is content), not blank, at most a million characters. */
export function checkText(text: string): string {
  if (text.trim().length === 0) throw new BadUserInputError('text must not be empty', 'text');
  // A cheap bound first: a string longer than twice the limit in UTF-16 units is too long anyway.
  if (text.length > 2 * DocumentLimits.TEXT_MAX || characterCount(text) > DocumentLimits.TEXT_MAX) {
    throw new BadUserInputError(
      `text must be at most ${DocumentLimits.TEXT_MAX.toLocaleString('en')} characters`,
      'text',
    );
  }
  return text;
}

export function normalizeContentType(contentType: string | null | undefined): TextContentType {
  if (contentType === null || contentType === undefined) return 'text/plain';
  const normalized = contentType.trim().toLowerCase();
  if (!isTextContentType(normalized)) {
    throw new BadUserInputError(
      `contentType must be one of ${Object.keys(TEXT_CONTENT_TYPES).join(', ')}`,
      'contentType',
    );
  }
  return normalized;
}
