import { BadUserInputError } from '../../../core/errors';
import { characterCount } from './character-count';
import { DocumentLimits } from './document-limits';

export interface CategoryDefinition {
  name: string;
  description: string | null;
}

/** Categories trimmed and checked: 1..50 of them, names 1..50 characters and unique ignoring case. */
export function normalizeCategories(
  categories: readonly { name: string; description?: string | null }[],
): CategoryDefinition[] {
  if (categories.length === 0)
    throw new BadUserInputError('give at least one category', 'categories');
  if (categories.length > DocumentLimits.CATEGORIES_MAX) {
    throw new BadUserInputError(
      `an organization may have at most ${DocumentLimits.CATEGORIES_MAX} categories`,
      'categories',
    );
  }
  const seen = new Set<string>();
  return categories.map(({ name, description }) => {
    const trimmed = name.trim();
    if (trimmed.length === 0)
      throw new BadUserInputError('category names must not be blank', 'name');
    if (characterCount(trimmed) > DocumentLimits.CATEGORY_NAME_MAX) {
      throw new BadUserInputError(
        `category names must be at most ${DocumentLimits.CATEGORY_NAME_MAX} characters`,
        'name',
      );
    }
    const key = trimmed.toLowerCase();
    if (seen.has(key))
      throw new BadUserInputError(`category "${trimmed}" is given more than once`, 'categories');
    seen.add(key);
    const text = description?.trim() ?? '';
    if (characterCount(text) > DocumentLimits.CATEGORY_DESCRIPTION_MAX) {
      throw new BadUserInputError(
        `category descriptions must be at most ${DocumentLimits.CATEGORY_DESCRIPTION_MAX} characters`,
        'description',
      );
    }
    return { name: trimmed, description: text || null };
  });
}

/** The organization's spelling of `name` (matched ignoring case), or null when it is not one of them. */
export function matchCategory(categories: readonly string[], name: string): string | null {
  const key = name.trim().toLowerCase();
  return categories.find((category) => category.toLowerCase() === key) ?? null;
}
