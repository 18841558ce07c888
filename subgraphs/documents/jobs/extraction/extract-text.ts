import { convert } from 'html-to-text';
import mammoth from 'mammoth';
import type { ExtractedPage, ExtractedText } from './extracted-text';
import { ExtractionError } from './extraction-error';
import { extractPdf, type ExtractionLimits } from './extract-pdf';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

/** Markdown as readable text: markup that is not words goes, the words stay. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/^```.*$/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '- ')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1');
}

function decodeUtf8(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw new ExtractionError('The text is not valid UTF-8');
  }
}

/**
 * The text of a document's bytes, with page numbers where the format has pages (PDF). Throws
 * ExtractionError for content that cannot be read or is over the limits.
 */
export async function extractText(
  documentId: string,
  contentType: string,
  data: Buffer,
  limits: ExtractionLimits,
): Promise<ExtractedText> {
  let pages: ExtractedPage[];
  let pageCount: number | null = null;
  if (contentType === 'application/pdf') {
    ({ pageCount, pages } = await extractPdf(data, limits));
  } else if (contentType === DOCX_TYPE) {
    let text: string;
    try {
      text = (await mammoth.extractRawText({ buffer: data })).value;
    } catch (error) {
      throw new ExtractionError(`The DOCX file could not be read: ${(error as Error).message}`);
    }
    pages = [{ page: 1, text: text.trim() }];
  } else if (contentType === 'text/html') {
    pages = [{ page: 1, text: htmlToText(decodeUtf8(data)).trim() }];
  } else if (contentType === 'text/markdown') {
    pages = [{ page: 1, text: markdownToText(decodeUtf8(data)).trim() }];
  } else if (contentType === 'text/plain') {
    pages = [{ page: 1, text: decodeUtf8(data).trim() }];
  } else {
    throw new ExtractionError(`Documents of type ${contentType} cannot be processed`);
  }
  const characters = pages.reduce((sum, p) => sum + p.text.length, 0);
  if (characters > limits.maxChars)
    throw new ExtractionError(
      `The document holds ${characters.toLocaleString('en')} characters of text; at most ${limits.maxChars.toLocaleString('en')} are accepted`,
    );
  const noTextLayer = contentType === 'application/pdf' && (pageCount ?? 0) > 0 && characters === 0;
  if (characters === 0 && !noTextLayer) throw new ExtractionError('The document contains no text');
  return { documentId, contentType, pageCount, noTextLayer, characters, pages };
}
