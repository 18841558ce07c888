import type { CategoryDefinition, ClassificationResult } from '../ai-provider';
import { stem, terms, words } from './text';

/**
 * Keyword-evidence classification. Each category has a profile of weighted terms and phrases:
 * the six default categories come with vocabularies written for them; any category's own name
 * and description add to its profile (so a custom "Lease — rental agreements for premises"
 * category is recognised from its description). A document scores the weighted, damped
 * frequency of each profile term it contains; the confidence grows with the amount of evidence
 * and with the margin over the runner-up. Without enough evidence the document goes to `other`
 * when the organization has such a category, with a low confidence.
 */

type Vocabulary = Record<string, number>;

/** Phrases (several words) match as written, on word boundaries; single words match stemmed. */
export const DEFAULT_VOCABULARIES: Record<string, Vocabulary> = {
  contract: {
    agreement: 2,
    contract: 2.5,
    'this agreement': 3,
    party: 1.5,
    parties: 1.5,
    hereinafter: 2,
    whereas: 2.5,
    'in witness whereof': 4,
    'governing law': 3,
    indemnify: 2,
    indemnification: 2,
    warranty: 1,
    warranties: 1,
    termination: 1.5,
    terminate: 1,
    term: 0.5,
    clause: 1.5,
    obligations: 1,
    'entered into': 2.5,
    licensor: 2,
    licensee: 2,
    lessor: 2,
    lessee: 2,
    landlord: 1.5,
    tenant: 1.5,
    'confidential information': 2,
    'force majeure': 3,
    'effective date': 2,
    signature: 1,
    signed: 0.5,
    executed: 1,
    counterparts: 2,
    'by and between': 3,
    severability: 2.5,
    covenant: 2,
    'sole discretion': 1.5,
  },
  invoice: {
    invoice: 3,
    'invoice number': 4,
    'invoice no': 4,
    'bill to': 3,
    'ship to': 2,
    subtotal: 3,
    'sub-total': 3,
    total: 1,
    'amount due': 3.5,
    'balance due': 3.5,
    'due date': 2,
    vat: 2,
    tax: 0.5,
    qty: 3,
    quantity: 1.5,
    'unit price': 3,
    remit: 2.5,
    'payment terms': 2,
    'net 30': 3,
    iban: 2,
    swift: 2,
    'purchase order': 1.5,
    'po number': 2.5,
    billed: 2,
    receipt: 1.5,
    'please pay': 2.5,
    'payable within': 1.5,
  },
  policy: {
    policy: 2.5,
    'this policy': 3.5,
    procedure: 1.5,
    procedures: 1.5,
    employees: 1.5,
    employee: 1,
    staff: 1,
    'must not': 1.5,
    must: 0.5,
    prohibited: 2,
    compliance: 1.5,
    'applies to': 2,
    scope: 1.5,
    purpose: 1,
    responsibilities: 1.5,
    'code of conduct': 3,
    guidelines: 1.5,
    violation: 1.5,
    'disciplinary action': 3,
    'acceptable use': 3,
    retention: 1,
    'data protection': 1.5,
    'is required to': 1,
    approved: 0.5,
    'reviewed annually': 2.5,
  },
  report: {
    report: 2.5,
    'this report': 3.5,
    analysis: 1.5,
    findings: 2,
    results: 1.5,
    quarter: 1.5,
    quarterly: 2,
    annual: 1,
    revenue: 1.5,
    growth: 1.5,
    'executive summary': 3.5,
    summary: 1,
    recommendations: 2,
    conclusion: 1.5,
    metrics: 1.5,
    performance: 1,
    'year over year': 2.5,
    percent: 1,
    increase: 0.75,
    decrease: 0.75,
    compared: 1,
    survey: 1.5,
    methodology: 2,
    figure: 1,
    table: 0.5,
    kpi: 2,
  },
  correspondence: {
    dear: 3,
    sincerely: 3.5,
    regards: 3,
    'kind regards': 3.5,
    'best regards': 3.5,
    'yours faithfully': 3.5,
    'thank you for': 2,
    'i am writing': 3,
    'we are writing': 3,
    'please find attached': 3,
    'please let me know': 2.5,
    'look forward': 2,
    letter: 1.5,
    'your letter': 2.5,
    'following up': 2,
    hi: 1.5,
    hello: 1.5,
    subject: 1,
    re: 1,
    cc: 1,
  },
  other: {},
};

const OTHER = 'other';
/** Below this much evidence a document is not filed under a specific category. */
const MIN_EVIDENCE = 2.5;

interface Profile {
  name: string;
  single: Map<string, number>;
  phrases: Array<{ words: string[]; weight: number }>;
}

function buildProfile(category: CategoryDefinition): Profile {
  const single = new Map<string, number>();
  const phrases: Profile['phrases'] = [];
  const addTerm = (term: string, weight: number): void => {
    const tokens = words(term);
    if (tokens.length === 0) return;
    if (tokens.length === 1) {
      const key = stem(tokens[0]);
      single.set(key, Math.max(single.get(key) ?? 0, weight));
    } else phrases.push({ words: tokens, weight });
  };
  const vocabulary = DEFAULT_VOCABULARIES[category.name.trim().toLowerCase()];
  if (vocabulary) for (const [term, weight] of Object.entries(vocabulary)) addTerm(term, weight);
  // The category's own words: its name counts most, its description's content words a little.
  for (const term of terms(category.name)) single.set(term, Math.max(single.get(term) ?? 0, 2.5));
  for (const term of new Set(terms(category.description ?? '')))
    if (!single.has(term)) single.set(term, 1);
  return { name: category.name, single, phrases };
}

function countPhrase(tokens: string[], phrase: string[]): number {
  let count = 0;
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    count++;
  }
  return count;
}

/** Every category's evidence score for the text (exported for tests and tuning). */
export function categoryScores(
  text: string,
  categories: readonly CategoryDefinition[],
): Array<{ name: string; score: number }> {
  // The opening of a document says most about what it is: the first 4,000 characters count
  // double, and very long documents are read up to 60,000 characters.
  const head = words(text.slice(0, 4_000));
  const body = words(text.slice(0, 60_000));
  const stems = (list: string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const w of list) counts.set(stem(w), (counts.get(stem(w)) ?? 0) + 1);
    return counts;
  };
  const headStems = stems(head);
  const bodyStems = stems(body);
  const damp = (n: number): number => (n > 0 ? 1 + Math.log(n) : 0);
  return categories.map((category) => {
    const profile = buildProfile(category);
    let score = 0;
    for (const [term, weight] of profile.single)
      score += (weight * (damp(headStems.get(term) ?? 0) + damp(bodyStems.get(term) ?? 0))) / 2;
    for (const { words: phrase, weight } of profile.phrases)
      score += (weight * (damp(countPhrase(head, phrase)) + damp(countPhrase(body, phrase)))) / 2;
    return { name: category.name, score };
  });
}

export function classifyText(
  text: string,
  categories: readonly CategoryDefinition[],
): ClassificationResult {
  if (categories.length === 0) return { label: OTHER, confidence: 0 };
  const fallback = categories.find((c) => c.name.trim().toLowerCase() === OTHER)?.name ?? null;
  const ranked = categoryScores(text, categories)
    .filter((s) => s.name !== fallback)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const best = ranked[0];
  const second = ranked[1]?.score ?? 0;
  if (!best || best.score < MIN_EVIDENCE) {
    if (fallback) return { label: fallback, confidence: round(0.6 - (best?.score ?? 0) / 10) };
    return { label: best?.name ?? categories[0].name, confidence: 0.1 };
  }
  // Evidence saturates (1 − e^(−s/8)); the share over the runner-up says how clear-cut it is.
  const evidence = 1 - Math.exp(-best.score / 8);
  const margin = best.score / (best.score + second);
  return { label: best.name, confidence: round(Math.min(0.99, Math.max(0.05, evidence * margin))) };
}

function round(value: number): number {
  return Math.round(Math.max(0, Math.min(1, value)) * 100) / 100;
}
