import type { DataSource } from 'typeorm';
import { EventType } from '../../../core/events/catalogue';
import type { RelayedEvent } from '../../../core/events/relayed-event';
import type { ObjectStorage } from '../../../core/storage/object-storage';
import { ComplianceDocumentStore } from '../services/compliance-document.store';
import { PolicyStore } from '../services/policy.store';
import type { RunEngine } from '../services/run-engine';

/** The document events compliance keeps its copy from and evaluates on. */
export const COMPLIANCE_EVENTS: ReadonlySet<string> = new Set([
  EventType.DocumentUploaded,
  EventType.DocumentProcessed,
  EventType.DocumentUpdated,
  EventType.DocumentDeleted,
]);

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * The durable consumer of document events (queue `compliance-events`): keeps
 * compliance.documents current and evaluates the document against every enabled policy, as one
 * run keyed by the event id (a redelivered event changes nothing).
 */
export class DocumentEventsJob {
  private readonly documents = new ComplianceDocumentStore();
  private readonly policies = new PolicyStore();

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: RunEngine,
    private readonly storage: ObjectStorage,
  ) {}

  async handle(event: RelayedEvent): Promise<string | null> {
    const p = event.payload ?? {};
    const base = {
      documentId: event.aggregateId,
      organizationId: event.organizationId,
      title: str(p.title) ?? '',
      tags: strings(p.tags),
      occurredAt: event.occurredAt,
    };
    switch (event.type) {
      case EventType.DocumentUploaded:
        await this.dataSource.transaction(async (manager) => {
          await this.policies.ensureDefaults(manager, event.organizationId);
          await this.documents.recordUpload(manager, {
            ...base,
            uploadedById: str(p.uploadedById),
          });
        });
        return null;
      case EventType.DocumentProcessed: {
        const facts =
          p.facts && typeof p.facts === 'object' ? (p.facts as Record<string, unknown>) : null;
        const text = await this.readText(str(p.extractedKey));
        return this.engine.evaluateDocuments(
          event.organizationId,
          [event.aggregateId],
          event.type,
          event.id,
          async (manager) => {
            await this.documents.recordProcessed(manager, {
              ...base,
              category: str(p.category),
              categoryConfidence: num(p.categoryConfidence),
              facts,
              expiresOn: str(p.expiresOn) ?? str(facts?.expiryDate),
              text,
              createdAt: str(p.createdAt) ?? event.occurredAt,
            });
          },
        );
      }
      case EventType.DocumentUpdated:
        return this.engine.evaluateDocuments(
          event.organizationId,
          [event.aggregateId],
          event.type,
          event.id,
          async (manager) => {
            await this.documents.recordFacets(manager, {
              ...base,
              category: str(p.category),
              categoryConfidence: num(p.categoryConfidence),
              createdAt: str(p.createdAt) ?? event.occurredAt,
            });
          },
        );
      case EventType.DocumentDeleted:
        await this.dataSource.transaction((manager) =>
          this.documents.remove(manager, event.organizationId, event.aggregateId),
        );
        return null;
      default:
        return null;
    }
  }

  /** The extracted pages' text, joined; empty when the pipeline stored none. */
  private async readText(key: string | null): Promise<string> {
    if (!key || (await this.storage.head(key)) === null) return '';
    const parts: Buffer[] = [];
    for await (const part of await this.storage.read(key)) parts.push(Buffer.from(part as Buffer));
    const parsed = JSON.parse(Buffer.concat(parts).toString('utf8')) as { pages?: unknown };
    if (!Array.isArray(parsed.pages)) return '';
    return parsed.pages
      .map((page: { text?: unknown }) => (typeof page?.text === 'string' ? page.text : ''))
      .join('\n\n');
  }
}
