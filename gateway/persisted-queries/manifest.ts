import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One entry of an Apollo persisted-query manifest (`apollo-persisted-query-manifest`, version 1). */
export interface PersistedQueryOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedQueryOperation[];
}

/** Apollo's operation id: the SHA-256 of the body, which is also the APQ hash of that text. */
export function operationId(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function parseManifest(text: string, source = 'manifest'): PersistedQueryManifest {
  const manifest = JSON.parse(text) as Partial<PersistedQueryManifest>;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1)
    throw new Error(`${source}: not an apollo-persisted-query-manifest of version 1`);
  if (!Array.isArray(manifest.operations)) throw new Error(`${source}: operations missing`);
  for (const operation of manifest.operations) {
    if (typeof operation.id !== 'string' || typeof operation.body !== 'string')
      throw new Error(`${source}: every operation needs an id and a body`);
    // The safelist allows by id what it allows by text: they must be the same thing.
    if (operation.id !== operationId(operation.body))
      throw new Error(`${source}: operation ${operation.id} is not the SHA-256 of its body`);
  }
  return manifest as PersistedQueryManifest;
}

export function loadManifest(path: string): PersistedQueryManifest {
  return parseManifest(readFileSync(path, 'utf8'), path);
}
