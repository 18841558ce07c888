/**
 * Text primitives of the local provider: word tokens, a light suffix stemmer, stop words and a
 * sentence splitter that knows the abbreviations of business documents. Deterministic, no I/O.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most my ' +
    'myself no nor not now of off on once only or other our ours ourselves out over own same shall she ' +
    'should so some such than that the their theirs them themselves then there these they this those ' +
    'through to too under until up upon very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also may must hereby herein thereof therein whereas ' +
    'within without per via'
  ).split(' '),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Lower-cased words with diacritics removed; numbers kept, punctuation dropped. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []
  ).map((w) => w.replace(/['’]s$/, '').replace(/['’]/g, ''));
}

/**
 * A light English stemmer (plural, -ing, -ed, -ly, -ation families) so that "terminates",
 * "terminated" and "termination" meet. Character n-grams in the embedding cover the rest.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is'))
    w = w.slice(0, -1);
  for (const suffix of ['ational', 'ation', 'ing', 'ed', 'ment', 'ly', 'e']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

/** Stemmed content words: what the classifier, the summarizer and the answerer compare. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stem);
}

const ABBREVIATIONS = new Set(
  (
    'inc ltd co corp llc plc no nos mr mrs ms dr prof st jr sr vs etc e.g i.e approx dept est fig ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec art sec para cl p pp u.s u.k a.m p.m gmbh s.a b.v ' +
    'n.v pty op cf al'
  ).split(' '),
);

export interface Sentence {
  text: string;
  /** Offset of the sentence's first character in the input. */
  start: number;
}

/**
 * Splits text into sentences: at `.`, `!` or `?` followed by a space and an upper-case letter,
 * digit or quote, and at blank lines and line-leading list markers; never after a known
 * abbreviation, an initial or inside a number ("1.5", "U.S.").
 */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const push = (from: number, to: number): void => {
    const raw = text.slice(from, to);
    const trimmed = raw.trim();
    if (trimmed.length === 0) return;
    out.push({ text: trimmed.replace(/\s+/g, ' '), start: from + raw.indexOf(trimmed[0]) });
  };
  let begin = 0;
  const boundary =
    /([.!?]["'”’)]*)(\s+)(?=["'“‘(]?[\p{Lu}\p{N}])|\n\s*\n+|\n(?=\s*(?:[-•*]|\d+[.)])\s)/gu;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text)) !== null) {
    if (match[1]) {
      const before = text.slice(Math.max(begin, match.index - 12), match.index);
      const lastWord = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
      const bare = lastWord.replace(/^\.+/, '');
      if (match[1].startsWith('.') && (ABBREVIATIONS.has(bare) || /^\p{L}$/u.test(bare))) continue;
      push(begin, match.index + match[1].length);
      begin = match.index + match[1].length;
    } else {
      push(begin, match.index);
      begin = match.index + match[0].length;
    }
  }
  push(begin, text.length);
  return out;
}
