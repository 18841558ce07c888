import { HIGHLIGHT_START, HIGHLIGHT_STOP } from './load-chunks';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** How much of a chunk's opening a highlight shows when no word matched. */
const SNIPPET_CHARS = 240;

/**
 * A hit's highlight as safe HTML: the chunk's passages escaped, the matched words in
 * `<mark>…</mark>`. PostgreSQL marks the words with control characters that cannot occur in
 * escaped text, so a document's own `<mark>` or `<script>` stays text.
 */
export function highlightHtml(headline: string | null, text: string): string {
  const source = headline && headline.includes(HIGHLIGHT_START) ? headline : snippet(text);
  return source
    .replace(/[&<>"']/g, (c) => ESCAPES[c])
    .replaceAll(HIGHLIGHT_START, '<mark>')
    .replaceAll(HIGHLIGHT_STOP, '</mark>');
}

/** The chunk's opening words, when no word matched (a purely semantic hit). */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_CHARS) return flat;
  const cut = flat.lastIndexOf(' ', SNIPPET_CHARS);
  return `${flat.slice(0, cut > 0 ? cut : SNIPPET_CHARS)} …`;
}
