import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../core/config/config';
import type { SubgraphName } from '../core/graphql/subgraph';

export function readSupergraph(config: Config): string {
  return readFileSync(resolve(config.SUPERGRAPH_PATH), 'utf8');
}

/** Where each subgraph runs: the supergraph holds development URLs, configuration wins. */
export function subgraphUrls(config: Config): Record<SubgraphName, string> {
  return {
    accounts: config.ACCOUNTS_URL,
    documents: config.DOCUMENTS_URL,
    search: config.SEARCH_URL,
    compliance: config.COMPLIANCE_URL,
    notifications: config.NOTIFICATIONS_URL,
  };
}
