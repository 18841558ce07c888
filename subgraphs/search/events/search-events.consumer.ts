import type { Config } from '../../../core/config/config';
import { openWorkerDataSource } from '../../../core/db/data-source';
import { EventType } from '../../../core/events/catalogue';
import type { RelayedEvent } from '../../../core/events/relayed-event';
import type { Logger } from '../../../core/logging/logger';
import { DocumentFacetRecord } from '../entities/document-facet.entity';
import type { SearchIndexQueue } from '../jobs/search-index.worker';
import { DocumentFacetsService } from '../services/document-facets.service';

/** The document events search reacts to. */
export const SEARCH_EVENTS: ReadonlySet<string> = new Set([
  EventType.DocumentProcessed,
  EventType.DocumentUpdated,
  EventType.DocumentDeleted,
]);

/** The facet fields document.processed and document.updated carry (document-events.ts). */
interface FacetsPayload {
  category?: unknown;
  tags?: unknown;
  createdAt?: unknown;
}

function facetsOf(event: RelayedEvent) {
  const payload = event.payload as FacetsPayload;
  const createdAt = typeof payload.createdAt === 'string' ? new Date(payload.createdAt) : null;
  if (!createdAt || Number.isNaN(createdAt.getTime()))
    throw new Error(`${event.type} ${event.id} carries no createdAt`);
  return {
    organizationId: event.organizationId,
    documentId: event.aggregateId,
    category: typeof payload.category === 'string' ? payload.category : null,
    tags: Array.isArray(payload.tags)
      ? payload.tags.filter((t): t is string => typeof t === 'string')
      : [],
    createdAt,
    eventAt: new Date(event.occurredAt),
  };
}

export interface SearchEventsConsumer {
  handle: (event: RelayedEvent) => Promise<unknown>;
  close: () => Promise<void>;
}

/**
 * Search's durable consumer of document events: document.processed / document.updated keep its
 * copy of the document's facets (category, tags, creation time) for search filters;
 * document.deleted drops that copy and hands the chunks' removal to search's index queue.
 */
export async function createSearchEventsConsumer(
  config: Config,
  logger: Logger,
  searchIndex: SearchIndexQueue,
): Promise<SearchEventsConsumer> {
  const dataSource = await openWorkerDataSource(config, 'search', logger, {
    entities: [DocumentFacetRecord],
    poolSize: 2,
  });
  const facets = new DocumentFacetsService(dataSource);
  return {
    handle: async (event) => {
      if (event.type === EventType.DocumentDeleted) {
        await facets.remove(event.organizationId, event.aggregateId);
        return searchIndex.removeDocument({
          organizationId: event.organizationId,
          documentId: event.aggregateId,
        });
      }
      if (event.type === EventType.DocumentProcessed || event.type === EventType.DocumentUpdated)
        return facets.upsert(facetsOf(event));
      return undefined;
    },
    close: () => dataSource.destroy(),
  };
}
