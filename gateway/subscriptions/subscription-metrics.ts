import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '../../core/observability/metrics';

/** Finer than the request buckets: the real-time budget is tens of milliseconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Where an event's time goes inside a gateway, per stage:
 * - `relay_to_hub`: from the relay's publish to the hub reading it off Redis;
 * - `hydration`: one execution of a visibility group's query through the gateway;
 * - `hub_to_push`: from the hub reading the event to its results handed to the sockets.
 */
export const subscriptionEventStage = new Histogram({
  name: 'gateway_subscription_event_stage_seconds',
  help: 'Subscription event latency inside the gateway, by stage',
  labelNames: ['stage'] as const,
  buckets: BUCKETS,
  registers: [registry],
});

export const subscriptionDeliveries = new Counter({
  name: 'gateway_subscription_deliveries_total',
  help: 'Subscription results handed to sockets',
  registers: [registry],
});

export const subscriptionHydrations = new Counter({
  name: 'gateway_subscription_hydrations_total',
  help: 'Executions that hydrate events (one per visibility group and event)',
  registers: [registry],
});

/** The live subscription counts of this process's hubs (tests run several gateways in one). */
const liveCounts = new Set<() => number>();

export const activeSubscriptions = new Gauge({
  name: 'gateway_subscriptions_active',
  help: 'Subscriptions registered with the hub, across this process',
  registers: [registry],
  collect() {
    let n = 0;
    for (const count of liveCounts) n += count();
    this.set(n);
  },
});

/** Counts a hub's subscriptions into the gauge until the returned function is called. */
export function countSubscriptions(count: () => number): () => void {
  liveCounts.add(count);
  return () => liveCounts.delete(count);
}
