import { EventType } from '../../core/events/catalogue';
import type { RelayedEvent } from '../../core/events/relayed-event';
import type { Principal } from '../../core/auth/principal';

/**
 * How the gateway serves one Subscription root field: which events wake it, which public lookup
 * field resolves the event's entity, and which subscriber it concerns (who shares a hydration is the
 * lookup field's and selection's marks: ./shared-selection.ts).
 */
export interface SubscriptionField {
  /** The public query field that resolves the event's entity by id, e.g. `document`. */
  lookupField: string;
  /** The lookup field's argument that takes the entity id. */
  lookupArgument: string;
  /** Whether an event concerns this subscription (the field's own arguments filter it). */
  matches: (event: RelayedEvent, args: Record<string, unknown>, principal: Principal) => boolean;
  /** The entity id the lookup field is called with. */
  entityId: (event: RelayedEvent) => string;
}

const DOCUMENT_EVENTS: ReadonlySet<string> = new Set([
  EventType.DocumentUploaded,
  EventType.DocumentProcessing,
  EventType.DocumentProcessed,
  EventType.DocumentFailed,
  EventType.DocumentUpdated,
]);

export const SUBSCRIPTION_FIELDS: Record<string, SubscriptionField> = {
  documentUpdated: {
    lookupField: 'document',
    lookupArgument: 'id',
    matches: (event, args) =>
      DOCUMENT_EVENTS.has(event.type) && (args.id == null || args.id === event.aggregateId),
    entityId: (event) => event.aggregateId,
  },
  findingRaised: {
    lookupField: 'finding',
    lookupArgument: 'id',
    matches: (event) => event.type === EventType.FindingOpened,
    entityId: (event) => event.aggregateId,
  },
  notificationReceived: {
    lookupField: 'notification',
    lookupArgument: 'id',
    matches: (event, _args, principal) =>
      event.type === EventType.NotificationCreated && event.payload.userId === principal.userId,
    entityId: (event) => event.aggregateId,
  },
};
