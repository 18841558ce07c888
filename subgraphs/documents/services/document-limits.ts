/** The limits of documents and categories; input validation and services read them from here. */
export const DocumentLimits = {
  TITLE_MAX: 300,
  /** Characters (Unicode code points). */
  TEXT_MAX: 1_000_000,
  TAGS_MAX: 20,
  TAG_MAX: 50,
  /** The `text` field's window. */
  TEXT_WINDOW_DEFAULT: 20_000,
  TEXT_WINDOW_MAX: 100_000,
  /** The `text` filter of the documents list. */
  FILTER_TEXT_MAX: 200,
  CATEGORIES_MAX: 50,
  CATEGORY_NAME_MAX: 50,
  CATEGORY_DESCRIPTION_MAX: 500,
} as const;

/** The content types createTextDocument accepts, with the extension its filename gets. */
export const TEXT_CONTENT_TYPES = {
  'text/plain': '.txt',
  'text/markdown': '.md',
  'text/html': '.html',
} as const;
export type TextContentType = keyof typeof TEXT_CONTENT_TYPES;

export function isTextContentType(value: string): value is TextContentType {
  return Object.hasOwn(TEXT_CONTENT_TYPES, value);
}
