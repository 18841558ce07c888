/** The gateway's own figures, read from its `GET /metrics` (Prometheus text). */
export interface GatewaySnapshot {
  /** Series name with labels → value. */
  values: Map<string, number>;
}

export async function scrapeMetrics(metricsUrl: string): Promise<GatewaySnapshot> {
  const text = await (await fetch(metricsUrl)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return { values };
}

export function value(snapshot: GatewaySnapshot, series: string): number {
  return snapshot.values.get(series) ?? 0;
}

/**
 * One stage of `gateway_subscription_event_stage_seconds` between two snapshots: count, mean
 * and the bucket bound under which 50 % and 99 % of the observations fall (in ms).
 */
export function stageBetween(before: GatewaySnapshot, after: GatewaySnapshot, stage: string) {
  return histogramBetween(before, after, 'gateway_subscription_event_stage_seconds', {
    stage,
  });
}

/** A histogram's observations between two snapshots, over the series with these labels. */
export function histogramBetween(
  before: GatewaySnapshot,
  after: GatewaySnapshot,
  name: string,
  labels: Record<string, string>,
): { count: number; meanMs: number; p50LeMs: number; p99LeMs: number } {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const matches = (series: string, suffix: string) =>
    series.startsWith(`${name}_${suffix}{`) && wanted.every((label) => series.includes(label));
  const total = (snapshot: GatewaySnapshot, suffix: string) => {
    let n = 0;
    for (const [series, v] of snapshot.values) if (matches(series, suffix)) n += v;
    return n;
  };
  const count = total(after, 'count') - total(before, 'count');
  const sum = total(after, 'sum') - total(before, 'sum');
  const byBound = new Map<number, number>();
  for (const [series, v] of after.values) {
    if (!matches(series, 'bucket')) continue;
    const le = Number(/le="([^"]+)"/.exec(series)?.[1]);
    byBound.set(le, (byBound.get(le) ?? 0) + v - (before.values.get(series) ?? 0));
  }
  const buckets = [...byBound].map(([le, n]) => ({ le, n }));
  buckets.sort((a, b) => a.le - b.le);
  const bound = (q: number) => {
    const hit = buckets.find((b) => b.n >= q * count);
    return hit ? hit.le * 1000 : NaN;
  };
  return {
    count,
    meanMs: count ? Number(((sum / count) * 1000).toFixed(1)) : NaN,
    p50LeMs: bound(0.5),
    p99LeMs: bound(0.99),
  };
}
