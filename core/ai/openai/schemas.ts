import { z } from 'zod';
import type { CategoryDefinition } from '../ai-provider';

/**
 * JSON schemas for structured outputs (`response_format: { type: 'json_schema', strict: true }`)
 * and the zod schemas that check what comes back: an OpenAI-compatible server may not enforce
 * the schema, so its answer is validated before anyone stores it.
 */
export function classificationJsonSchema(
  categories: CategoryDefinition[],
): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      label: { type: 'string', enum: categories.map((c) => c.name) },
      confidence: { type: 'number', description: 'Probability (0 to 1) that the label is right.' },
    },
    required: ['label', 'confidence'],
    additionalProperties: false,
  };
}

export const classificationAnswer = z.object({
  label: z.string(),
  confidence: z.number().min(0).max(1),
});

const nullableString = { type: ['string', 'null'] };
const isoDateDescription = 'ISO date YYYY-MM-DD, or null when the document does not state it';

export const FACTS_JSON_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    parties: {
      type: 'array',
      items: { type: 'string' },
      description: 'Legal names of the organizations and people who are parties to the document',
    },
    effectiveDate: { ...nullableString, description: isoDateDescription },
    expiryDate: { ...nullableString, description: isoDateDescription },
    amounts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          amount: { type: 'number' },
          currency: { type: 'string', description: 'ISO 4217 code, e.g. USD' },
          text: { type: 'string', description: 'The phrase exactly as written' },
        },
        required: ['amount', 'currency', 'text'],
        additionalProperties: false,
      },
    },
    dates: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          date: { type: 'string', description: 'ISO date YYYY-MM-DD' },
          label: {
            ...nullableString,
            description: 'effective, expiry, due, signed, issued or null',
          },
          text: { type: 'string' },
        },
        required: ['date', 'label', 'text'],
        additionalProperties: false,
      },
    },
    emails: { type: 'array', items: { type: 'string' } },
  },
  required: ['parties', 'effectiveDate', 'expiryDate', 'amounts', 'dates', 'emails'],
  additionalProperties: false,
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const factsAnswer = z.object({
  parties: z.array(z.string()),
  effectiveDate: isoDate.nullable(),
  expiryDate: isoDate.nullable(),
  amounts: z.array(
    z.object({ amount: z.number(), currency: z.string().min(3).max(3), text: z.string() }),
  ),
  dates: z.array(z.object({ date: isoDate, label: z.string().nullable(), text: z.string() })),
  emails: z.array(z.string()),
});
