import type { AnySubgraphDefinition, SubgraphName } from '../core/graphql/subgraph';
import { documentsSubgraph } from '../subgraphs/documents';
import { searchSubgraph } from '../subgraphs/search';
import { complianceSubgraph } from '../subgraphs/compliance';
import { accountsSubgraph } from '../subgraphs/accounts';
import { notificationsSubgraph } from '../subgraphs/notifications';

/** Every subgraph of the platform, in start order: accounts first, the others verify API keys through it. */
export const SUBGRAPHS: AnySubgraphDefinition[] = [
  accountsSubgraph,
  documentsSubgraph,
  searchSubgraph,
  complianceSubgraph,
  notificationsSubgraph,
];

export function subgraphByName(name: SubgraphName): AnySubgraphDefinition {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`Unknown subgraph ${name}`);
  return found;
}
