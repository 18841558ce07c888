import { registerEnumType } from 'type-graphql';

/** Where a finding stands; at most one finding per policy × document is not RESOLVED. */
export enum FindingStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(FindingStatus, { name: 'FindingStatus' });
