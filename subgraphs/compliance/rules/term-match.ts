const WORD_CHAR = '[\\p{L}\\p{N}_]';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A term as a whole word or phrase: not inside a longer word ("ban" does not match "bank"),
 * any run of white space between a phrase's words, letters of every script.
 */
const compiled = new Map<string, RegExp>();

export function termPattern(term: string, caseSensitive: boolean): RegExp {
  const key = `${caseSensitive ? 'c' : 'i'}:${term}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    // Bounded: a process sees the terms of its organizations' policies.
    if (compiled.size > 10_000) compiled.clear();
    pattern = compilePattern(term, caseSensitive);
    compiled.set(key, pattern);
  }
  return pattern;
}

function compilePattern(term: string, caseSensitive: boolean): RegExp {
  const body = term.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})`, caseSensitive ? 'u' : 'iu');
}

/** Where a term first occurs, or -1. */
export function findTerm(text: string, term: string, caseSensitive: boolean): number {
  return text.search(termPattern(term, caseSensitive));
}

/** A short quote around `at`, on one line, for a finding's evidence. */
export function snippet(text: string, at: number, radius = 60): string {
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + radius);
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}
