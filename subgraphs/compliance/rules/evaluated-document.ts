import type { ExtractedFacts } from '../../../core/ai/ai-provider';

/**
 * What compliance judges a document by: its own copy, kept from document events
 * (compliance.documents), never read from the documents schema.
 */
export interface EvaluatedDocument {
  id: string;
  organizationId: string;
  title: string;
  category: string | null;
  categoryConfidence: number | null;
  tags: string[];
  facts: ExtractedFacts | null;
  /** YYYY-MM-DD: the document's expiry date as the pipeline read it. */
  expiresOn: string | null;
  createdAt: Date;
  text: string;
}

/** A rule's answer for one document: clear, or breached with what to show a person. */
export type Verdict =
  { breached: false } | { breached: true; message: string; evidence: string | null };

export const CLEAR: Verdict = { breached: false };

export function breached(message: string, evidence: string | null = null): Verdict {
  return { breached: true, message, evidence };
}
