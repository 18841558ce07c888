import { RuleKind } from '../entities/rule-kind.enum';
import { evaluateRule, policyApplies } from './evaluate-rule';
import type { EvaluatedDocument } from './evaluated-document';
import { parseRuleParams } from './rule-params';

const NOW = new Date('2026-11-25T12:00:00Z');

function doc(overrides: Partial<EvaluatedDocument> = {}): EvaluatedDocument {
  return {
    id: 'd1',
    organizationId: 'o1',
    title: 'Master services agreement',
    category: 'contract',
    categoryConfidence: 0.9,
    tags: [],
    facts: {
      parties: ['Acme Corp', 'Globex Ltd'],
      effectiveDate: '2025-01-01',
      expiryDate: '2027-12-31',
      amounts: [],
      dates: [],
      emails: [],
      other: null,
    },
    expiresOn: '2027-12-31',
    createdAt: new Date('2026-01-10T09:00:00Z'),
    text: 'This Agreement is made between Acme Corp and Globex Ltd. Governing law: the laws of England.',
    ...overrides,
  };
}

function policy(kind: RuleKind, params: Record<string, unknown>, categories: string[] = []) {
  const parsed = parseRuleParams(kind, params);
  if (!parsed.ok) throw new Error(parsed.message);
  return { kind, params: parsed.params, categories };
}

describe('REQUIRED_FACT', () => {
  const p = policy(RuleKind.REQUIRED_FACT, { facts: ['parties', 'expiryDate'] });
  it('is clear when the facts are there', () => {
    expect(evaluateRule(p, doc(), NOW)).toEqual({ breached: false });
  });
  it('names the missing facts', () => {
    const d = doc({ facts: { ...doc().facts!, parties: [], expiryDate: null }, expiresOn: null });
    expect(evaluateRule(p, d, NOW)).toMatchObject({
      breached: true,
      message: 'Missing required facts: parties, expiryDate',
    });
  });
});

describe('EXPIRES_WITHIN', () => {
  const p = policy(RuleKind.EXPIRES_WITHIN, { days: 30 });
  it('flags a contract expiring in 10 days', () => {
    expect(evaluateRule(p, doc({ expiresOn: '2026-12-05' }), NOW)).toEqual({
      breached: true,
      message: 'Expires on 2026-12-05, in 10 days (within 30)',
      evidence: '2026-12-05',
    });
  });
  it('flags one already expired', () => {
    expect(evaluateRule(p, doc({ expiresOn: '2026-11-20' }), NOW)).toMatchObject({
      breached: true,
      message: 'Expired on 2026-11-20, 5 days ago',
    });
  });
  it('is clear beyond the window, and when there is no expiry date', () => {
    expect(evaluateRule(p, doc({ expiresOn: '2027-01-01' }), NOW).breached).toBe(false);
    expect(
      evaluateRule(p, doc({ expiresOn: null, facts: { ...doc().facts!, expiryDate: null } }), NOW)
        .breached,
    ).toBe(false);
  });
});

describe('RETENTION', () => {
  const p = policy(RuleKind.RETENTION, { maxAgeDays: 365, exemptTags: ['legal-hold'] });
  it('flags a document kept longer than the period', () => {
    expect(
      evaluateRule(p, doc({ createdAt: new Date('2025-01-01T00:00:00Z') }), NOW),
    ).toMatchObject({
      breached: true,
      message: 'Kept 693 days, longer than the 365-day retention period',
    });
  });
  it('is clear for a recent document and for one under a legal hold', () => {
    expect(evaluateRule(p, doc(), NOW).breached).toBe(false);
    const old = doc({ createdAt: new Date('2020-01-01T00:00:00Z'), tags: ['Legal-Hold'] });
    expect(evaluateRule(p, old, NOW).breached).toBe(false);
  });
});

describe('PII', () => {
  const p = policy(RuleKind.PII, { types: ['CARD', 'IBAN', 'SSN'] });
  it('flags a real card number with masked evidence', () => {
    const verdict = evaluateRule(
      p,
      doc({ text: 'Please charge the deposit to my Visa 4111 1111 1111 1111, exp 08/27.' }),
      NOW,
    );
    expect(verdict).toEqual({
      breached: true,
      message: 'Personal data found: 1 card number',
      evidence: 'Visa ending 1111',
    });
  });
  it('is clear when numbers fail their checksums', () => {
    const text = 'Order 4111 1111 1111 1112 paid from GB82 WEST 1234 5698 7654 31.';
    expect(evaluateRule(p, doc({ text }), NOW).breached).toBe(false);
  });
});

describe('FORBIDDEN_TERM and REQUIRED_TERM', () => {
  it('matches whole words only, case-insensitively by default', () => {
    const p = policy(RuleKind.FORBIDDEN_TERM, { terms: ['confidential', 'side letter'] });
    const hit = evaluateRule(
      p,
      doc({ text: 'This is CONFIDENTIAL.\nSee the side\n letter attached.' }),
      NOW,
    );
    expect(hit).toMatchObject({
      breached: true,
      message: 'Forbidden terms found: "confidential", "side letter"',
    });
    expect(
      evaluateRule(p, doc({ text: 'Confidentiality obligations survive termination.' }), NOW)
        .breached,
    ).toBe(false);
  });
  it('respects caseSensitive', () => {
    const p = policy(RuleKind.FORBIDDEN_TERM, { terms: ['ACME'], caseSensitive: true });
    expect(evaluateRule(p, doc({ text: 'acme is lower case here' }), NOW).breached).toBe(false);
    expect(evaluateRule(p, doc({ text: 'ACME signs' }), NOW).breached).toBe(true);
  });
  it('requires every term (ALL) or one (ANY)', () => {
    const all = policy(RuleKind.REQUIRED_TERM, { terms: ['governing law', 'termination'] });
    expect(evaluateRule(all, doc(), NOW)).toMatchObject({
      breached: true,
      message: 'Missing: "termination"',
    });
    const any = policy(RuleKind.REQUIRED_TERM, {
      terms: ['governing law', 'termination'],
      match: 'ANY',
    });
    expect(evaluateRule(any, doc(), NOW).breached).toBe(false);
  });
});

describe('CLASSIFICATION', () => {
  const p = policy(RuleKind.CLASSIFICATION, {
    categories: ['contract', 'invoice'],
    minConfidence: 0.6,
  });
  it('is clear for an allowed category with enough confidence', () => {
    expect(evaluateRule(p, doc(), NOW).breached).toBe(false);
  });
  it('flags low confidence, another category, and no category', () => {
    expect(evaluateRule(p, doc({ categoryConfidence: 0.4 }), NOW).breached).toBe(true);
    expect(evaluateRule(p, doc({ category: 'report' }), NOW)).toMatchObject({
      breached: true,
      message: 'Classified as "report", not one of "contract", "invoice"',
    });
    expect(evaluateRule(p, doc({ category: null }), NOW).breached).toBe(true);
  });
});

describe('categories scope', () => {
  it('applies a policy only to documents of its categories (case-insensitive)', () => {
    expect(policyApplies({ categories: ['Contract'] }, doc())).toBe(true);
    expect(policyApplies({ categories: ['invoice'] }, doc())).toBe(false);
    expect(policyApplies({ categories: [] }, doc({ category: null }))).toBe(true);
    const p = policy(RuleKind.EXPIRES_WITHIN, { days: 30 }, ['invoice']);
    expect(evaluateRule(p, doc({ expiresOn: '2026-12-01' }), NOW).breached).toBe(false);
  });
});

describe('parseRuleParams', () => {
  it('fills defaults and names the faulty field', () => {
    expect(parseRuleParams(RuleKind.PII, {})).toEqual({
      ok: true,
      params: { types: ['EMAIL', 'PHONE', 'IBAN', 'CARD', 'SSN'], phoneRegion: 'US' },
    });
    expect(parseRuleParams(RuleKind.EXPIRES_WITHIN, { days: -3 })).toMatchObject({
      ok: false,
      path: 'params.days',
    });
    expect(parseRuleParams(RuleKind.FORBIDDEN_TERM, { terms: [] })).toMatchObject({
      ok: false,
      path: 'params.terms',
    });
    expect(parseRuleParams(RuleKind.REQUIRED_FACT, { facts: ['salary'] })).toMatchObject({
      ok: false,
      path: 'params.facts.0',
    });
    expect(parseRuleParams(RuleKind.RETENTION, { maxAgeDays: 30, typo: 1 })).toMatchObject({
      ok: false,
      path: 'params',
    });
  });
});
