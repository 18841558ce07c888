/**
 * Every BullMQ queue name, in one place (STYLE.md). Domains add their queues here with the
 * processors that serve them (workers/processors.ts).
 */
export const QueueName = {
  /** Every committed event, enqueued by the outbox relay (job id = event id). */
  Events: 'events',
  /** Events handed to the notifications consumer by the events dispatcher. */
  NotificationEvents: 'notification-events',
  /** Events handed to the webhooks consumer, which records and queues deliveries. */
  WebhookEvents: 'webhook-events',
  /** Events handed to search, which removes a deleted document's chunks. */
  SearchEvents: 'search-events',
  /** One job per webhook delivery (job id = delivery id), retried with backoff. */
  WebhookDeliveries: 'webhook-deliveries',
  /**
   * The documents pipeline: extract, then a flow of classify / summarize / extract-facts with
   * finalize as parent (job ids `<documentId>_<runId>_<stage>`); served by
   * subgraphs/documents/jobs/document-pipeline.worker.ts, started by the worker role.
   */
  DocumentPipeline: 'document-pipeline',
  /**
   * Search's index (search owns its tables): `index-document` (job data IndexDocumentJobData:
   * organizationId, documentId, extractedKey — a child of the pipeline's analysis flow) and
   * `remove-document-chunks` (on document.deleted); served by
   * subgraphs/search/jobs/search-index.worker.ts, started by the worker role.
   */
  SearchIndex: 'search-index',
  /** Document events handed to compliance, which keeps its copy and evaluates the document. */
  ComplianceEvents: 'compliance-events',
  /**
   * Compliance runs: `schedule-runs` (the hourly expiry and daily full schedules), `plan-run`
   * (job id `plan-<runId>-…`), `run-batch` (job id `batch-<runId>-<index>`); served by
   * subgraphs/compliance/jobs/compliance.worker.ts, started by the worker role.
   */
  Compliance: 'compliance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
