import { TEXT_CONTENT_TYPES, type TextContentType } from './document-limits';

const MAX_STEM = 120;
// Characters that no common file system accepts in a name, and control characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

/** A file name for a document created from text: its title made safe, plus the type's extension. */
export function deriveFilename(title: string, contentType: TextContentType): string {
  const extension = TEXT_CONTENT_TYPES[contentType];
  let stem = title.replace(/\s+/g, ' ').replace(UNSAFE, '-').trim();
  if (stem.toLowerCase().endsWith(extension)) stem = stem.slice(0, -extension.length);
  stem = Array.from(stem).slice(0, MAX_STEM).join('');
  // No leading dots (hidden files) and no trailing dots or spaces (refused on Windows).
  stem = stem.replace(/^[.\s-]+/, '').replace(/[.\s]+$/, '');
  return `${stem || 'document'}${extension}`;
}
