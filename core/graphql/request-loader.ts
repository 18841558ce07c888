import DataLoader from 'dataloader';

const perRequest = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/**
 * One DataLoader per request and purpose. Apollo resolves `_entities` one representation at a
 * time; a field resolver that loads through this answers the whole list with one batched query.
 * Keyed by the request's GraphQL context object, so nothing is cached or batched across callers
 * or across requests: the batch function may close over the caller's principal.
 */
export function requestLoader<K, V>(
  context: object,
  purpose: string,
  batch: DataLoader.BatchLoadFn<K, V>,
): DataLoader<K, V> {
  let loaders = perRequest.get(context);
  if (!loaders) {
    loaders = new Map();
    perRequest.set(context, loaders);
  }
  let loader = loaders.get(purpose) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch);
    loaders.set(purpose, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}
