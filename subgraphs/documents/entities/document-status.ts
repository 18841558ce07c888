/** Where a document is in its life; the database CHECK lists the same values. */
export enum DocumentStatus {
  AWAITING_UPLOAD = 'AWAITING_UPLOAD',
  QUEUED = 'QUEUED',
  PROCESSING = 'PROCESSING',
  PROCESSED = 'PROCESSED',
  FAILED = 'FAILED',
}
