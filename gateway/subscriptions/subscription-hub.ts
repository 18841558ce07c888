import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { eventChannel } from '../../core/events/channels';
import type { RelayedEvent } from '../../core/events/relayed-event';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../gateway-context';
import { FRESH_READ_REQUEST_PREFIX } from '../subgraph-fetcher';
import { HydrationQueue } from './hydration-queue';
import { EVENT_ENTITY_VARIABLE, type RewrittenSubscription } from './rewrite-subscription';
import {
  subscriptionDeliveries,
  subscriptionEventStage,
  subscriptionHydrations,
} from './subscription-metrics';

/** Runs one operation through the gateway's own executor (planner, plan cache, subgraph auth). */
export type GatewayExecutor = (
  query: string,
  variables: Record<string, unknown>,
  context: GatewayContext,
) => Promise<FormattedExecutionResult>;

/** One live subscription of one connection. */
export interface ActiveSubscription {
  context: GatewayContext & { principal: NonNullable<GatewayContext['principal']> };
  rewritten: RewrittenSubscription;
  push: (result: FormattedExecutionResult) => void;
  /** The credential expired: the connection is closed with 4403. */
  expire: () => void;
}

const RECENT_EVENTS = 10_000;

/**
 * The sharing key: exactly what decides what a subscriber may see, plus the normalized selection
 * and variables. A selection whose every field is `@sameForOrganization` is shared by the whole
 * organization; any other is the caller's own (role and user: an unmarked field may read either,
 * e.g. `Document.viewerCan` reads both). Nothing is shared across organizations: the
 * organization leads the key and events arrive per organization.
 */
export function visibilityKey(subscription: ActiveSubscription): string {
  const { principal } = subscription.context;
  const { rewritten } = subscription;
  const shared = rewritten.sameForOrganization;
  return [
    principal.organizationId,
    shared ? '' : principal.role,
    shared ? '' : principal.userId,
    rewritten.fieldName,
    rewritten.selectionKey,
  ].join('\u0000');
}

/**
 * One per gateway instance: listens to the organization channels its subscribers need (Redis
 * pub/sub, so any instance serves any subscriber) and, per event, resolves it once per
 * visibility key through the gateway's executor with a subscriber's identity.
 */
export class SubscriptionHub {
  private readonly byOrganization = new Map<string, Set<ActiveSubscription>>();
  private readonly recent = new Set<string>();
  private readonly channels = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly hydrations: HydrationQueue;
  executions = 0;

  constructor(
    private readonly options: {
      subscriber: Redis;
      redisPrefix: string;
      execute: GatewayExecutor;
      logger: Logger;
      /** Hydrations running at once (the rest wait their turn, in arrival order). */
      maxConcurrentHydrations?: number;
    },
  ) {
    this.hydrations = new HydrationQueue(options.maxConcurrentHydrations ?? 64);
    options.subscriber.on('message', (channel: string, message: string) => {
      const run = this.onMessage(message).catch((error: unknown) =>
        options.logger.warn({ err: error, channel }, 'subscription event failed'),
      );
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    });
  }

  get size(): number {
    let n = 0;
    for (const set of this.byOrganization.values()) n += set.size;
    return n;
  }

  /** Registers a subscription; resolves once its channel is subscribed. Returns the remover. */
  async add(subscription: ActiveSubscription): Promise<() => void> {
    const organizationId = subscription.context.principal.organizationId;
    let set = this.byOrganization.get(organizationId);
    if (!set) {
      set = new Set();
      this.byOrganization.set(organizationId, set);
    }
    set.add(subscription);
    await this.channelOf(organizationId);
    return () => this.remove(organizationId, subscription);
  }

  /**
   * The organization's channel, subscribed once for all its subscribers (a connection storm
   * would otherwise send Redis one SUBSCRIBE per subscription). A failed SUBSCRIBE is forgotten
   * so the next subscriber tries again.
   */
  private channelOf(organizationId: string): Promise<unknown> {
    let subscribed = this.channels.get(organizationId);
    if (!subscribed) {
      subscribed = this.options.subscriber.subscribe(
        eventChannel(this.options.redisPrefix, organizationId),
      );
      this.channels.set(organizationId, subscribed);
      subscribed.catch(() => {
        if (this.channels.get(organizationId) === subscribed) this.channels.delete(organizationId);
      });
    }
    return subscribed;
  }

  private remove(organizationId: string, subscription: ActiveSubscription): void {
    const set = this.byOrganization.get(organizationId);
    if (!set?.delete(subscription) || set.size > 0) return;
    this.byOrganization.delete(organizationId);
    this.channels.delete(organizationId);
    this.options.subscriber
      .unsubscribe(eventChannel(this.options.redisPrefix, organizationId))
      .catch(() => undefined);
  }

  private async onMessage(message: string): Promise<void> {
    const receivedAt = Date.now();
    const event = JSON.parse(message) as RelayedEvent;
    if (event.publishedAt) {
      const lag = (receivedAt - Date.parse(event.publishedAt)) / 1000;
      subscriptionEventStage.observe({ stage: 'relay_to_hub' }, Math.max(0, lag));
    }
    // At-least-once upstream: the relay may publish an event twice; subscribers see it once.
    if (this.recent.has(event.id)) return;
    this.recent.add(event.id);
    if (this.recent.size > RECENT_EVENTS) this.recent.delete(this.recent.values().next().value!);

    const subscribers = this.byOrganization.get(event.organizationId);
    if (!subscribers) return;
    const now = Date.now();
    const groups = new Map<string, ActiveSubscription[]>();
    for (const subscription of subscribers) {
      const { principal } = subscription.context;
      if (principal.organizationId !== event.organizationId) continue;
      if (principal.expiresAt !== undefined && principal.expiresAt * 1000 <= now) {
        subscription.expire();
        continue;
      }
      if (!subscription.rewritten.field.matches(event, subscription.rewritten.args, principal))
        continue;
      const key = visibilityKey(subscription);
      const group = groups.get(key);
      if (group) group.push(subscription);
      else groups.set(key, [subscription]);
    }
    await Promise.all([...groups.values()].map((group) => this.resolve(event, group, receivedAt)));
  }

  private async resolve(
    event: RelayedEvent,
    group: ActiveSubscription[],
    receivedAt: number,
  ): Promise<void> {
    const [first] = group;
    const { rewritten } = first;
    const result = await this.hydrations.run(async () => {
      this.executions++;
      subscriptionHydrations.inc();
      const end = subscriptionEventStage.startTimer({ stage: 'hydration' });
      try {
        return await this.options.execute(
          rewritten.query,
          { ...rewritten.variables, [EVENT_ENTITY_VARIABLE]: rewritten.field.entityId(event) },
          // A read of its own, started after the event (never an in-flight one merged).
          { ...first.context, requestId: `${FRESH_READ_REQUEST_PREFIX}${randomUUID()}` },
        );
      } finally {
        end();
      }
    });
    // A null entity without errors: this subscriber may not see it. Send nothing.
    if (!result.errors?.length && result.data?.[rewritten.responseKey] == null) return;
    for (const subscription of group) subscription.push(result);
    subscriptionDeliveries.inc(group.length);
    subscriptionEventStage.observe({ stage: 'hub_to_push' }, (Date.now() - receivedAt) / 1000);
  }

  /** Waits for the events being resolved (tests, shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
