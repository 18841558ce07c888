import { Severity } from '../../../core/graphql/severity';
import { RuleKind } from '../entities/rule-kind.enum';

export interface PolicyTemplate {
  name: string;
  description: string;
  severity: Severity;
  kind: RuleKind;
  params: Record<string, unknown>;
  categories: string[];
}

/**
 * What a new organization starts with: checks that hold for almost any business, on the
 * documents pipeline's default categories. Admins change or delete them like any policy.
 */
export const DEFAULT_POLICIES: readonly PolicyTemplate[] = [
  {
    name: 'Contracts name their parties and expiry date',
    description: 'A contract without parties or an end date cannot be tracked.',
    severity: Severity.MEDIUM,
    kind: RuleKind.REQUIRED_FACT,
    params: { facts: ['parties', 'expiryDate'] },
    categories: ['contract'],
  },
  {
    name: 'Contracts expiring within 30 days',
    description: 'Renew or terminate before the end date passes.',
    severity: Severity.HIGH,
    kind: RuleKind.EXPIRES_WITHIN,
    params: { days: 30 },
    categories: ['contract'],
  },
  {
    name: 'No payment card numbers, IBANs or social security numbers',
    description: 'Sensitive personal and payment data must not be stored in documents.',
    severity: Severity.HIGH,
    kind: RuleKind.PII,
    params: { types: ['CARD', 'IBAN', 'SSN'], phoneRegion: 'US' },
    categories: [],
  },
];
