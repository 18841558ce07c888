import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { GraphQLError } from 'graphql';
import { operationId, type PersistedQueryManifest } from './manifest';

export const OPERATION_NOT_IN_SAFELIST = 'OPERATION_NOT_IN_SAFELIST';

/**
 * The operations of a persisted-query manifest, and which clients may run nothing else.
 * Clients are told apart by `apollographql-client-name`; `*` holds every client to the list.
 */
export class Safelist {
  private readonly bodies = new Map<string, string>();
  private readonly clients: Set<string>;

  constructor(manifest: PersistedQueryManifest | null, clients: string) {
    for (const operation of manifest?.operations ?? [])
      this.bodies.set(operation.id, operation.body);
    this.clients = new Set(
      clients
        .split(',')
        .map((client) => client.trim())
        .filter(Boolean),
    );
  }

  get size(): number {
    return this.bodies.size;
  }

  body(id: string): string | undefined {
    return this.bodies.get(id);
  }

  /** Whether this client may run only listed operations. */
  enforcedFor(clientName: string | undefined): boolean {
    return this.clients.has('*') || (clientName !== undefined && this.clients.has(clientName));
  }

  allows(query: string): boolean {
    return this.bodies.has(operationId(query));
  }

  /** The same for a query known by its hash (a manifest id is the SHA-256 of its body). */
  allowsHash(queryHash: string): boolean {
    return this.bodies.has(queryHash);
  }
}

/**
 * APQ storage that answers a manifest's ids from the manifest (a listed operation runs by id
 * on a fresh gateway, with nothing registered) and everything else from the shared cache.
 */
export class ManifestBackedApqCache implements KeyValueCache<string> {
  constructor(
    private readonly safelist: Safelist,
    private readonly cache: KeyValueCache<string>,
  ) {}

  async get(key: string): Promise<string | undefined> {
    // Apollo prefixes APQ keys ("apq:"); manifest ids are bare hashes.
    const id = key.slice(key.lastIndexOf(':') + 1);
    return this.safelist.body(id) ?? this.cache.get(key);
  }

  set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    return this.cache.set(key, value, options);
  }

  delete(key: string): Promise<boolean | void> {
    return this.cache.delete(key);
  }
}

/**
 * Rejects, before anything executes, an operation that a safelisted client sends and the
 * manifest does not list: by id or as text, registered through APQ or not.
 */
export function safelistPlugin(safelist: Safelist): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const clientName = request.http?.headers.get('apollographql-client-name');
      if (!safelist.enforcedFor(clientName)) return;
      return {
        async didResolveOperation({ source }) {
          if (safelist.allows(source)) return;
          throw new GraphQLError(
            `This client may run only the operations of its persisted-query manifest; "${clientName ?? 'every client'}" is safelisted`,
            {
              extensions: {
                code: OPERATION_NOT_IN_SAFELIST,
                http: { status: 403 },
              },
            },
          );
        },
      };
    },
  };
}
