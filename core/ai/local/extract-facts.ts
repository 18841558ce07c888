import * as chrono from 'chrono-node';
import nlp from 'compromise';
import type { DateFact, ExtractedFacts, MoneyFact } from '../ai-provider';

/**
 * Facts from rules and NLP: parties (defining phrases such as `between X and Y` and
 * `X ("Supplier")`, legal-entity suffixes, then compromise's organizations and people), dates
 * (chrono-node, labelled by the words before them, plus terms such as "for a term of 24 months
 * from the Effective Date"), amounts with their currency, e-mail addresses.
 */

const MAX_CHARS = 200_000;

// ---------- e-mail addresses ----------
const EMAIL =
  /(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g;

export function extractEmails(text: string): string[] {
  return unique((text.match(EMAIL) ?? []).map((e) => e.toLowerCase()));
}

// ---------- amounts ----------
const SYMBOLS: Record<string, string> = {
  $: 'USD',
  US$: 'USD',
  USD$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  C$: 'CAD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  CHF: 'CHF',
  'Fr.': 'CHF',
  '₩': 'KRW',
  R$: 'BRL',
  kr: 'SEK',
};
const CODES =
  'USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|RMB|INR|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|SGD|HKD|KRW|AED|SAR|TRY|ILS|RUB';
const WORD_CURRENCIES: Record<string, string> = {
  dollar: 'USD',
  dollars: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  'pounds sterling': 'GBP',
  yen: 'JPY',
  'swiss francs': 'CHF',
  francs: 'CHF',
  rupees: 'INR',
};
const SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
};
// 1,234,567.89 | 1 234 567,89 | 1.234.567,89 | 1234.5 | 3.5
const NUMBER = String.raw`\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d+)?`;
const SCALE = String.raw`(?:\s?(thousand|million|billion|bn|mm|mn|[kmb])\b)?`;
const SYMBOL = String.raw`US\$|USD\$|C\$|CA\$|A\$|AU\$|R\$|[$€£¥₹₩]`;
const AMOUNT_PATTERNS: RegExp[] = [
  // $1,200.50 · € 3.5 million · US$ 12k
  new RegExp(String.raw`(?<![\w$])(${SYMBOL})\s?(${NUMBER})${SCALE}`, 'giu'),
  // USD 1,200.50 · EUR 3.5 million
  new RegExp(String.raw`\b(${CODES})\s?(${NUMBER})${SCALE}`, 'gu'),
  // 1,200.50 USD · 3.5 million EUR · 1.234,56 € · 500 dollars
  new RegExp(
    String.raw`(?<![\w.,])(${NUMBER})${SCALE}\s?(${CODES}|€|£|¥|dollars?|euros?|pounds sterling|pounds|yen|swiss francs|rupees)(?![\p{L}])`,
    'giu',
  ),
];

function parseNumber(raw: string): number | null {
  let s = raw.replace(/[\u00a0\u202f ]/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Whichever separator comes last is the decimal one.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    // "1,200" is a thousands separator; "3,5" a decimal comma.
    s = /,\d{3}(?!\d)/.test(s) && !/,\d{1,2}$/.test(s) ? s.replace(/,/g, '') : s.replace(',', '.');
  } else if (/^\d{1,3}(\.\d{3}){2,}$/.test(s)) {
    s = s.replace(/\./g, '');
  }
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}

export function extractAmounts(text: string): MoneyFact[] {
  const found: Array<MoneyFact & { start: number; end: number }> = [];
  const taken = (start: number, end: number): boolean =>
    found.some((f) => start < f.end && end > f.start);
  AMOUNT_PATTERNS.forEach((pattern, kind) => {
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text)) !== null) {
      const [whole] = m;
      const start = m.index;
      const end = start + whole.length;
      if (taken(start, end)) continue;
      let currency: string | undefined;
      let numberText: string;
      let scaleText: string | undefined;
      if (kind === 0) {
        currency = SYMBOLS[m[1]] ?? SYMBOLS[m[1].toUpperCase()];
        [numberText, scaleText] = [m[2], m[3]];
      } else if (kind === 1) {
        currency = m[1].toUpperCase() === 'RMB' ? 'CNY' : m[1].toUpperCase();
        [numberText, scaleText] = [m[2], m[3]];
      } else {
        const unit = m[3];
        currency =
          SYMBOLS[unit] ??
          WORD_CURRENCIES[unit.toLowerCase()] ??
          (new RegExp(`^(${CODES})$`).test(unit) ? unit.toUpperCase() : undefined);
        [numberText, scaleText] = [m[1], m[2]];
      }
      if (!currency) continue;
      // "m" and "b" glued to a number are scales only right after it ("€3.5m"), never words.
      const value = parseNumber(numberText);
      if (value === null) continue;
      const scale = scaleText ? (SCALES[scaleText.toLowerCase()] ?? 1) : 1;
      found.push({
        amount: Math.round(value * scale * 100) / 100,
        currency,
        text: whole.trim(),
        start,
        end,
      });
    }
  });
  return found
    .sort((a, b) => a.start - b.start)
    .map(({ amount, currency, text: phrase }) => ({ amount, currency, text: phrase }));
}

// ---------- dates ----------
const LABELS: Array<{ label: string; pattern: RegExp }> = [
  {
    label: 'expiry',
    pattern:
      /\b(expir\w*|terminat\w*|end(s|ing)? on|until|through|valid (until|through)|renewal date|end date)\b[^.;]{0,40}$/i,
  },
  {
    label: 'effective',
    pattern:
      /\b(effective|commenc\w*|start(s|ing)?( on)?|start date|begin(s|ning)?( on)?|from and including)\b[^.;]{0,40}$/i,
  },
  {
    label: 'signed',
    pattern:
      /\b(entered into|made( and entered into)?( as of| on)?|dated( as of)?|signed|executed|signature|as of)\b[^.;]{0,30}$/i,
  },
  { label: 'due', pattern: /\b(due|payable|pay(ment)? by|no later than)\b[^.;]{0,30}$/i },
  { label: 'issued', pattern: /\b(invoice date|issued?|date of issue)\b[^.;]{0,20}$/i },
];
/** A defined term right after the date names it: `March 1, 2025 (the "Effective Date")`. */
const DEFINED_AFTER: Array<{ label: string; pattern: RegExp }> = [
  {
    label: 'effective',
    pattern: /^\s*\((?:the\s+)?["“](?:Effective|Commencement|Start) Date["”]\)/i,
  },
  {
    label: 'expiry',
    pattern: /^\s*\((?:the\s+)?["“](?:Expiry|Expiration|Termination|End) Date["”]\)/i,
  },
];

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  eighteen: 18,
  twenty: 20,
  'twenty-four': 24,
  thirty: 30,
  'thirty-six': 36,
  forty: 40,
  'forty-eight': 48,
  sixty: 60,
};

function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function extractDates(text: string): DateFact[] {
  const results = chrono.en.strict.parse(text, new Date(2000, 0, 1, 12), { forwardDate: false });
  const facts: DateFact[] = [];
  for (const result of results) {
    const start = result.start;
    if (!start.isCertain('day') || !start.isCertain('month') || !start.isCertain('year')) continue;
    // Relative expressions ("within 30 days", "next Monday") are resolved against an arbitrary
    // reference date by chrono: only dates written out in full are facts of the document.
    if (!/\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}/.test(result.text)) continue;
    if (
      /\b(days?|weeks?|months?|years?|today|tomorrow|yesterday|ago|within|next|last)\b/i.test(
        result.text,
      )
    )
      continue;
    const year = start.get('year') ?? 0;
    if (year < 1900 || year > 2200) continue;
    // chrono may include a leading preposition ("on 15 January 2024"): it belongs to the context.
    const lead = /^(?:on|as of|from|by|until|through|before)\s+/i.exec(result.text)?.[0] ?? '';
    const before = text.slice(Math.max(0, result.index - 80), result.index) + lead;
    const after = text.slice(
      result.index + result.text.length,
      result.index + result.text.length + 40,
    );
    const label =
      DEFINED_AFTER.find(({ pattern }) => pattern.test(after))?.label ??
      LABELS.find(({ pattern }) => pattern.test(before))?.label ??
      null;
    facts.push({ date: isoDate(start.date()), label, text: result.text });
  }
  return facts;
}

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  // A term of N months from day D ends the day before the N-month anniversary.
  target.setUTCDate(target.getUTCDate() - 1);
  return target.toISOString().slice(0, 10);
}

const TERM =
  /\b(?:for\s+(?:an?\s+)?(?:initial\s+)?(?:term|period)\s+of|shall\s+(?:remain|continue)\s+in\s+(?:full\s+)?(?:force|effect)[^.;]{0,30}?for)\s+([a-z-]+|\d+)\s*(?:\((\d+)\)\s*)?(months?|years?)\s+(?:from|after|following|commencing\s+(?:on)?|beginning\s+(?:on)?|starting\s+(?:on)?)\s+([^.;]{0,80})/i;

/** "for a term of twelve (12) months from 1 March 2025" → the end of that term. */
export function expiryFromTerm(text: string, effectiveDate: string | null): string | null {
  const m = TERM.exec(text);
  if (!m) return null;
  const count = m[2]
    ? Number(m[2])
    : /^\d+$/.test(m[1])
      ? Number(m[1])
      : NUMBER_WORDS[m[1].toLowerCase()];
  if (!count) return null;
  const months = /^year/i.test(m[3]) ? count * 12 : count;
  const anchorText = m[4];
  const anchored = extractDates(anchorText)[0]?.date ?? null;
  const from =
    anchored ??
    (/effective date|commencement date|date hereof|date of (this|the) (agreement|contract|lease)|execution/i.test(
      anchorText,
    )
      ? effectiveDate
      : null);
  return from ? addMonths(from, months) : null;
}

// ---------- parties ----------
const ENTITY_SUFFIX = String.raw`(?:Inc\.?|Incorporated|LLC|L\.L\.C\.|Ltd\.?|Limited|LLP|LP|PLC|plc|GmbH|AG|SE|S\.A\.|SA|S\.A\.S\.|SAS|S\.p\.A\.|B\.V\.|BV|N\.V\.|NV|Pty\.? Ltd\.?|Corp\.?|Corporation|Company|Co\.|Group|Holdings|Foundation|University|Bank)`;
const NAME_WORD = String.raw`(?:[A-Z][\w'’&-]*|&|of|and|de|van|von|der|the)`;
const ENTITY = new RegExp(
  String.raw`\b[A-Z][\w'’&-]*(?:[ \t]+${NAME_WORD}){0,6}?(?:,?[ \t]+${ENTITY_SUFFIX})+(?![\w])`,
  'g',
);

function cleanParty(raw: string): string | null {
  let s = raw
    .replace(/\s+/g, ' ')
    .replace(/^(?:and|by|between|among|the|of|from|to|with)\s+/i, '')
    // ", a Delaware corporation" and similar descriptions, "(the "Supplier")" definitions
    .replace(/,\s+(?:an?|the)\s+[^,;()]*$/, '')
    .replace(/\s*\([^)]*\)?\s*$/, '')
    .replace(/,?\s*(?:having|whose|with its|located|residing|of\s+\d)[^,;]*$/i, '')
    .replace(/^[\s"'“”‘’,;:]+|[\s"'“”‘’,;:]+$/g, '')
    .trim();
  if (
    /^(?:the\s+)?(?:parties|party|company|client|customer|supplier|vendor|seller|buyer|contractor|licensee|licensor|landlord|tenant|employer|employee)$/i.test(
      s,
    )
  )
    return null;
  if (s.endsWith('.') && !new RegExp(`${ENTITY_SUFFIX}$`).test(s)) s = s.slice(0, -1);
  if (s.length < 2 || s.length > 100 || !/^[\p{Lu}\d]/u.test(s)) return null;
  if (s.split(' ').length > 10) return null;
  return s;
}

/** Defined terms that name a thing, not a party: `the "Agreement"`, `the "Effective Date"`. */
const NOT_A_PARTY =
  /^(?:agreement|contract|lease|policy|effective date|\w+ date|term|premises|property|services?|products?|software|deliverables|work|fees?|territory|confidential information|schedule|exhibit|annex|plan|program|project|purpose|business|transaction|amendment|notice)$/i;

export function extractParties(text: string): string[] {
  const head = text.slice(0, 20_000);
  const parties: string[] = [];
  const add = (raw: string | undefined): void => {
    const party = raw ? cleanParty(raw) : null;
    if (party && !parties.some((p) => p.toLowerCase() === party.toLowerCase())) parties.push(party);
  };
  // "by and between Acme Corp., a Delaware corporation ("Acme"), and Beta LLC ("Beta")"
  const between =
    /\b(?:by and )?between\s+(.{2,160}?)\s*(?:\([^)]{0,80}\))?,?\s+and\s+(.{2,160}?)\s*(?:\([^)]{0,80}\)|[,.;\n]|$)/gi;
  for (const m of head.matchAll(between)) {
    // Only when both sides look like names (capitalized), not "between the dates and times".
    if (/^(?:the\s+)?[\p{Lu}]/u.test(m[1]) && /^(?:the\s+)?[\p{Lu}]/u.test(m[2])) {
      add(m[1].split(/\s*\(/)[0]);
      add(m[2]);
    }
  }
  // Acme Corp. (the "Supplier") · Jane Roe (hereinafter "Consultant")
  const defined = new RegExp(
    String.raw`((?:[\p{Lu}][\w'’.&-]*[ \t]+){0,6}[\p{Lu}][\w'’.&-]*(?:,?[ \t]+${ENTITY_SUFFIX})?)(?:,\s+(?:an?|the)\s+[^()"“\n]{0,60})?,?\s*\((?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?|each\s+a\s+)?["“]([\p{Lu}][^"”]{1,40})["”]\)`,
    'gu',
  );
  for (const m of head.matchAll(defined))
    if (!NOT_A_PARTY.test(m[2]) && !/\n/.test(m[0].slice(m[1].length))) add(m[1]);
  // Bill to: / Sold to: / From: lines on invoices and letters
  for (const m of head.matchAll(
    /^(?:bill(?:ed)? to|sold to|invoice to|customer|client|vendor|supplier|from)\s*:\s*(.+)$/gim,
  ))
    add(m[1].split(/\s{2,}|,\s*\d/)[0]);
  for (const m of head.matchAll(ENTITY)) add(m[0]);
  if (parties.length === 0) {
    const doc = nlp(head.slice(0, 5_000));
    const names = [
      ...(doc.organizations().out('array') as string[]),
      ...(doc.people().out('array') as string[]),
    ];
    const counts = new Map<string, number>();
    for (const name of names) {
      const clean = cleanParty(name.replace(/[.,;:]+$/, ''));
      if (clean && clean.split(' ').length >= 2) counts.set(clean, (counts.get(clean) ?? 0) + 1);
    }
    for (const [name] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4)) add(name);
  }
  return parties.slice(0, 10);
}

// ---------- all together ----------
export function extractFactsFromText(input: string): ExtractedFacts {
  const text = input.slice(0, MAX_CHARS);
  const dates = extractDates(text);
  const effectiveDate =
    dates.find((d) => d.label === 'effective')?.date ??
    dates.find((d) => d.label === 'signed')?.date ??
    null;
  const expiryDate =
    dates.find((d) => d.label === 'expiry')?.date ?? expiryFromTerm(text, effectiveDate);
  return {
    parties: extractParties(text),
    effectiveDate,
    expiryDate,
    amounts: extractAmounts(text),
    dates,
    emails: extractEmails(text),
    other: null,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
