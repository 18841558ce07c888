import { registerEnumType } from 'type-graphql';

/** How much something matters; shared by compliance findings and notifications. */
export enum Severity {
  INFO = 'INFO',
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}
registerEnumType(Severity, { name: 'Severity' });
