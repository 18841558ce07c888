/**
 * What a search box's text asks for: the words that rank (OR-ed, never AND-ed: a
 * natural-language question rarely has every word in one passage), and the conditions a hit must
 * meet, written the way web search engines read them — "quoted phrases" must appear, `-word` and
 * `-"a phrase"` must not. The conditions are handed to PostgreSQL's `websearch_to_tsquery`, which
 * applies each chunk's own text-search configuration to them.
 */
export interface SearchText {
  /** Text whose words rank the hits (phrases included, exclusions removed). */
  rankingText: string;
  /** `websearch_to_tsquery` input with only the phrases and exclusions, or null when none. */
  conditions: string | null;
}

/** Queries longer than this are cut (a pasted page still answers; 10,000 characters parse fast). */
export const MAX_QUERY_CHARS = 4_000;

const TOKEN = /(-?)"([^"]*)"|(-?)(\S+)/g;

export function parseSearchText(raw: string): SearchText {
  const text = raw.slice(0, MAX_QUERY_CHARS);
  const ranking: string[] = [];
  const conditions: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [, phraseNot, phrase, wordNot, word] = match;
    if (phrase !== undefined) {
      const clean = sanitize(phrase);
      if (!clean) continue;
      if (phraseNot) conditions.push(`-"${clean}"`);
      else {
        conditions.push(`"${clean}"`);
        ranking.push(clean);
      }
    } else if (word !== undefined) {
      // A lone "-" or a hyphen inside a word ("high-speed") is not an exclusion.
      const clean = sanitize(word);
      if (!clean) continue;
      if (wordNot && /^[\p{L}\p{N}]/u.test(word)) conditions.push(`-${clean}`);
      else ranking.push(clean);
    }
  }
  return {
    rankingText: ranking.join(' '),
    conditions: conditions.length > 0 ? conditions.join(' ') : null,
  };
}

/** Keeps letters, digits and inner hyphens/apostrophes: nothing websearch_to_tsquery reads as syntax. */
function sanitize(text: string): string {
  return text
    .replace(/[^\p{L}\p{N}\s'-]+/gu, ' ')
    .replace(/\s-+|-+\s|^-+|-+$/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
