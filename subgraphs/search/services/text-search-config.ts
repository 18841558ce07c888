import { detectAll } from 'tinyld';
import type { DataSource } from 'typeorm';

/**
 * Which PostgreSQL text-search configuration analyses a document: its language, detected from the
 * text (tinyld) or given, mapped to the configuration of that name when the server has one;
 * `english` when the language cannot be told (short or mixed text); `simple` (no stemming, no stop
 * words) for a language PostgreSQL has no configuration for, e.g. Chinese or Japanese.
 */
const CONFIG_OF_LANGUAGE: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};
export const DEFAULT_TEXT_SEARCH_CONFIG = 'english';
export const FALLBACK_TEXT_SEARCH_CONFIG = 'simple';
const MIN_DETECTION_CHARS = 200;
const MIN_DETECTION_ACCURACY = 0.5;

/** ISO 639-1 code of the text's language, or null when it cannot be told with confidence. */
export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, 5_000);
  if (sample.replace(/\s+/g, ' ').length < MIN_DETECTION_CHARS) return null;
  const [best] = detectAll(sample);
  return best && best.accuracy >= MIN_DETECTION_ACCURACY ? best.lang : null;
}

/** The configuration name for a language (ISO code or configuration name), before checking the server. */
export function textSearchConfigFor(language: string | null | undefined): string {
  if (!language) return DEFAULT_TEXT_SEARCH_CONFIG;
  const lower = language.trim().toLowerCase();
  if (Object.values(CONFIG_OF_LANGUAGE).includes(lower) || lower === 'simple') return lower;
  return CONFIG_OF_LANGUAGE[lower.slice(0, 2)] ?? FALLBACK_TEXT_SEARCH_CONFIG;
}

/** Resolves against the configurations the server really has (cached per data source). */
export class TextSearchConfigs {
  private available: Promise<Set<string>> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async resolve(language: string | null | undefined, text: string): Promise<string> {
    const wanted = textSearchConfigFor(language ?? detectLanguage(text));
    this.available ??= this.dataSource
      .query<Array<{ cfgname: string }>>(`SELECT cfgname FROM pg_catalog.pg_ts_config`)
      .then((rows) => new Set(rows.map((r) => r.cfgname)));
    const available = await this.available;
    return available.has(wanted) ? wanted : FALLBACK_TEXT_SEARCH_CONFIG;
  }
}
