import { DOCX_TYPE } from '../jobs/extraction/extract-text';

/** Content types an upload may declare, with the extension a filename of that type has. */
export const UPLOAD_CONTENT_TYPES: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  [DOCX_TYPE]: ['.docx'],
  'text/plain': ['.txt', '.text', '.csv', '.log'],
  'text/markdown': ['.md', '.markdown'],
  'text/html': ['.html', '.htm'],
};

export const UPLOAD_FILENAME_MAX = 255;

/** Content-Type header values normalised: lower case, parameters dropped (`text/plain; charset=utf-8`). */
export function normalizeUploadType(value: string): string {
  return value.split(';')[0].trim().toLowerCase();
}
