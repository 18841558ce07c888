import { fileTypeFromBuffer } from 'file-type';
import { DOCX_TYPE } from '../jobs/extraction/extract-text';

export interface Detection {
  /** The type the bytes are, or null when they are none of the allowed ones. */
  type: string | null;
  /** What the bytes look like, for the error message. */
  description: string;
}

const TEXT_TYPES = new Set(['text/plain', 'text/markdown', 'text/html']);

function looksLikeText(prefix: Buffer): boolean {
  if (prefix.includes(0)) return false;
  try {
    // A cut multi-byte character at the end of the prefix is fine.
    new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(0, Math.max(0, prefix.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/**
 * What a file's first bytes say it is (file-type's magic numbers), checked against the type the
 * client declared. Text formats have no magic bytes: a text declaration is accepted when the
 * bytes are UTF-8 text and file-type finds no binary format in them.
 */
export async function detectContentType(prefix: Buffer, declared: string): Promise<Detection> {
  const found = await fileTypeFromBuffer(prefix);
  if (found) {
    if (found.mime === 'application/pdf') return { type: 'application/pdf', description: 'a PDF' };
    if (found.mime === DOCX_TYPE) return { type: DOCX_TYPE, description: 'a DOCX document' };
    if (found.mime === 'application/zip' && declared === DOCX_TYPE)
      // file-type may stop at "zip" when the DOCX parts are past the prefix it reads.
      return { type: DOCX_TYPE, description: 'a DOCX document' };
    return { type: null, description: `${found.mime} (.${found.ext})` };
  }
  // Readers accept a PDF header anywhere in the first 1024 bytes (junk before it happens).
  if (prefix.subarray(0, 1024).includes('%PDF-')) return { type: 'application/pdf', description: 'a PDF' };
  if (looksLikeText(prefix)) {
    const type = TEXT_TYPES.has(declared) ? declared : 'text/plain';
    return { type, description: 'text' };
  }
  return { type: null, description: 'binary data of no accepted type' };
}
