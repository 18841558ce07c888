import { registerEnumType } from 'type-graphql';

/** What a compliance policy checks; `Policy.params` holds the kind's settings. */
export enum RuleKind {
  REQUIRED_FACT = 'REQUIRED_FACT',
  EXPIRES_WITHIN = 'EXPIRES_WITHIN',
  RETENTION = 'RETENTION',
  PII = 'PII',
  FORBIDDEN_TERM = 'FORBIDDEN_TERM',
  REQUIRED_TERM = 'REQUIRED_TERM',
  CLASSIFICATION = 'CLASSIFICATION',
}
registerEnumType(RuleKind, { name: 'RuleKind', description: 'What a compliance policy checks' });
