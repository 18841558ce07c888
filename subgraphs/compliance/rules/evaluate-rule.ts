import { RuleKind } from '../entities/rule-kind.enum';
import { breached, CLEAR, type EvaluatedDocument, type Verdict } from './evaluated-document';
import { findPii, type PiiMatch } from './pii-detectors';
import { RULE_PARAMS, type FactName, type PiiType, type RuleParams } from './rule-params';
import { findTerm, snippet } from './term-match';

/** What a rule needs of a policy. */
export interface RulePolicy {
  kind: RuleKind;
  params: Record<string, unknown>;
  categories: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

// One collator: localeCompare with options builds a new one on every call.
const CASE_INSENSITIVE = new Intl.Collator(undefined, { sensitivity: 'accent' });

function sameCategory(a: string, b: string): boolean {
  return CASE_INSENSITIVE.compare(a, b) === 0;
}

/** A policy applies to documents of its categories; with none named, to every document. */
export function policyApplies(policy: Pick<RulePolicy, 'categories'>, document: EvaluatedDocument) {
  if (policy.categories.length === 0) return true;
  const category = document.category;
  return category !== null && policy.categories.some((c) => sameCategory(c, category));
}

function utcDay(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

function requiredFact(params: RuleParams<RuleKind.REQUIRED_FACT>, doc: EvaluatedDocument): Verdict {
  const facts = doc.facts;
  const missing = params.facts.filter((name: FactName) => {
    const value = facts?.[name];
    return value == null || (Array.isArray(value) && value.length === 0) || value === '';
  });
  if (missing.length === 0) return CLEAR;
  return breached(`Missing required facts: ${missing.join(', ')}`);
}

function expiresWithin(
  params: RuleParams<RuleKind.EXPIRES_WITHIN>,
  doc: EvaluatedDocument,
  now: Date,
): Verdict {
  const expiry = doc.expiresOn ?? doc.facts?.expiryDate ?? null;
  if (!expiry) return CLEAR;
  const expiryDay = utcDay(new Date(`${expiry}T00:00:00Z`));
  if (Number.isNaN(expiryDay)) return CLEAR;
  const left = expiryDay - utcDay(now);
  if (left > params.days) return CLEAR;
  if (left < 0)
    return breached(`Expired on ${expiry}, ${-left} day${left === -1 ? '' : 's'} ago`, expiry);
  return breached(
    left === 0
      ? `Expires today (${expiry})`
      : `Expires on ${expiry}, in ${left} day${left === 1 ? '' : 's'} (within ${params.days})`,
    expiry,
  );
}

function retention(
  params: RuleParams<RuleKind.RETENTION>,
  doc: EvaluatedDocument,
  now: Date,
): Verdict {
  const exempt = doc.tags.find((tag) => params.exemptTags.some((t) => sameCategory(t, tag)));
  if (exempt) return CLEAR;
  const age = utcDay(now) - utcDay(doc.createdAt);
  if (age <= params.maxAgeDays) return CLEAR;
  return breached(
    `Kept ${age} days, longer than the ${params.maxAgeDays}-day retention period`,
    `created ${doc.createdAt.toISOString().slice(0, 10)}`,
  );
}

const PII_NAMES: Record<PiiType, [string, string]> = {
  EMAIL: ['e-mail address', 'e-mail addresses'],
  PHONE: ['phone number', 'phone numbers'],
  IBAN: ['IBAN', 'IBANs'],
  CARD: ['card number', 'card numbers'],
  SSN: ['US social security number', 'US social security numbers'],
};

function describePii(matches: PiiMatch[]): { message: string; evidence: string } {
  const byType = new Map<PiiType, PiiMatch[]>();
  for (const m of matches) byType.set(m.type, [...(byType.get(m.type) ?? []), m]);
  const counts = [...byType].map(
    ([type, found]) => `${found.length} ${PII_NAMES[type][found.length === 1 ? 0 : 1]}`,
  );
  const shown = matches.slice(0, 10).map((m) => m.masked);
  const more = matches.length > shown.length ? ` and ${matches.length - shown.length} more` : '';
  return {
    message: `Personal data found: ${counts.join(', ')}`,
    evidence: `${shown.join('; ')}${more}`,
  };
}

function pii(params: RuleParams<RuleKind.PII>, doc: EvaluatedDocument): Verdict {
  const matches = findPii(doc.text, params.types, params.phoneRegion);
  if (matches.length === 0) return CLEAR;
  const { message, evidence } = describePii(matches);
  return breached(message, evidence);
}

function forbiddenTerm(params: RuleParams<RuleKind.FORBIDDEN_TERM>, doc: EvaluatedDocument) {
  const found = params.terms
    .map((term) => ({ term, at: findTerm(doc.text, term, params.caseSensitive) }))
    .filter((f) => f.at >= 0);
  if (found.length === 0) return CLEAR;
  return breached(
    `Forbidden term${found.length === 1 ? '' : 's'} found: ${found.map((f) => `"${f.term}"`).join(', ')}`,
    snippet(doc.text, found[0].at),
  );
}

function requiredTerm(params: RuleParams<RuleKind.REQUIRED_TERM>, doc: EvaluatedDocument) {
  const missing = params.terms.filter((term) => findTerm(doc.text, term, params.caseSensitive) < 0);
  const satisfied = params.match === 'ANY' ? missing.length < params.terms.length : !missing.length;
  if (satisfied) return CLEAR;
  const list = missing.map((t) => `"${t}"`).join(', ');
  return breached(
    params.match === 'ANY' ? `None of the required terms appears: ${list}` : `Missing: ${list}`,
  );
}

function classification(params: RuleParams<RuleKind.CLASSIFICATION>, doc: EvaluatedDocument) {
  const category = doc.category;
  const confidence = doc.categoryConfidence ?? 0;
  if (category === null) return breached('The document is not classified');
  if (!params.categories.some((c) => sameCategory(c, category)))
    return breached(
      `Classified as "${category}", not one of ${params.categories.map((c) => `"${c}"`).join(', ')}`,
      `${category} (${confidence.toFixed(2)})`,
    );
  if (confidence < params.minConfidence)
    return breached(
      `Classified as "${category}" with confidence ${confidence.toFixed(2)}, below ${params.minConfidence}`,
      `${category} (${confidence.toFixed(2)})`,
    );
  return CLEAR;
}

// Parsed once per params object: a batch evaluates the same policies on hundreds of documents.
const parsedCache = new WeakMap<object, Record<string, unknown> | null>();

function parsedParams(policy: RulePolicy): Record<string, unknown> | null {
  if (!parsedCache.has(policy.params)) {
    const parsed = RULE_PARAMS[policy.kind].safeParse(policy.params);
    parsedCache.set(
      policy.params,
      parsed.success ? (parsed.data as Record<string, unknown>) : null,
    );
  }
  return parsedCache.get(policy.params)!;
}

/**
 * One policy's verdict on one document. The params were validated when the policy was written;
 * they are parsed again here so defaults apply to rows written before a default was added.
 */
export function evaluateRule(policy: RulePolicy, doc: EvaluatedDocument, now: Date): Verdict {
  if (!policyApplies(policy, doc)) return CLEAR;
  const params = parsedParams(policy);
  if (!params) return CLEAR;
  switch (policy.kind) {
    case RuleKind.REQUIRED_FACT:
      return requiredFact(params as RuleParams<RuleKind.REQUIRED_FACT>, doc);
    case RuleKind.EXPIRES_WITHIN:
      return expiresWithin(params as RuleParams<RuleKind.EXPIRES_WITHIN>, doc, now);
    case RuleKind.RETENTION:
      return retention(params as RuleParams<RuleKind.RETENTION>, doc, now);
    case RuleKind.PII:
      return pii(params as RuleParams<RuleKind.PII>, doc);
    case RuleKind.FORBIDDEN_TERM:
      return forbiddenTerm(params as RuleParams<RuleKind.FORBIDDEN_TERM>, doc);
    case RuleKind.REQUIRED_TERM:
      return requiredTerm(params as RuleParams<RuleKind.REQUIRED_TERM>, doc);
    case RuleKind.CLASSIFICATION:
      return classification(params as RuleParams<RuleKind.CLASSIFICATION>, doc);
  }
}
