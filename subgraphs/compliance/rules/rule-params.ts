import { z } from 'zod';
import { RuleKind } from '../entities/rule-kind.enum';

const days = z.number().int().min(1).max(36_500);
const terms = z
  .array(z.string().trim().min(1, 'a term must not be empty').max(200))
  .min(1, 'give at least one term')
  .max(200);

export const FACT_NAMES = [
  'parties',
  'effectiveDate',
  'expiryDate',
  'amounts',
  'dates',
  'emails',
] as const;
export type FactName = (typeof FACT_NAMES)[number];

export const PII_TYPES = ['EMAIL', 'PHONE', 'IBAN', 'CARD', 'SSN'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** Each rule kind's `params`, validated on every write; unknown keys are refused (a typo is an error). */
export const RULE_PARAMS = {
  [RuleKind.REQUIRED_FACT]: z.strictObject({
    facts: z.array(z.enum(FACT_NAMES)).min(1, 'name at least one fact'),
  }),
  [RuleKind.EXPIRES_WITHIN]: z.strictObject({ days }),
  [RuleKind.RETENTION]: z.strictObject({
    maxAgeDays: days,
    /** Documents with one of these tags are kept as long as they carry it (e.g. a legal hold). */
    exemptTags: z.array(z.string().trim().min(1)).max(50).default([]),
  }),
  [RuleKind.PII]: z.strictObject({
    types: z
      .array(z.enum(PII_TYPES))
      .min(1)
      .default([...PII_TYPES]),
    /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2). */
    phoneRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a two-letter country code such as US')
      .default('US'),
  }),
  [RuleKind.FORBIDDEN_TERM]: z.strictObject({
    terms,
    caseSensitive: z.boolean().default(false),
  }),
  [RuleKind.REQUIRED_TERM]: z.strictObject({
    terms,
    caseSensitive: z.boolean().default(false),
    /** ALL: every term must appear; ANY: one is enough. */
    match: z.enum(['ALL', 'ANY']).default('ALL'),
  }),
  [RuleKind.CLASSIFICATION]: z.strictObject({
    categories: z.array(z.string().trim().min(1)).min(1, 'name at least one category'),
    minConfidence: z.number().min(0).max(1).default(0),
  }),
} satisfies Record<RuleKind, z.ZodType>;

export type RuleParams<K extends RuleKind> = z.output<(typeof RULE_PARAMS)[K]>;

export type ParsedParams =
  { ok: true; params: Record<string, unknown> } | { ok: false; message: string; path: string };

/** Validates and normalizes (defaults filled in) one kind's params. */
export function parseRuleParams(kind: RuleKind, params: unknown): ParsedParams {
  const result = RULE_PARAMS[kind].safeParse(params ?? {});
  if (result.success) return { ok: true, params: result.data as Record<string, unknown> };
  const issue = result.error.issues[0];
  const path = issue.path.map(String).join('.');
  return {
    ok: false,
    message: `params${path ? `.${path}` : ''}: ${issue.message}`,
    path: path ? `params.${path}` : 'params',
  };
}
