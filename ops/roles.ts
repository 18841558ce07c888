import type { Config } from '../core/config/config';
import type { SubgraphName } from '../core/graphql/subgraph';
import { startSubgraph } from '../core/graphql/subgraph';
import type { Logger } from '../core/logging/logger';
import { startGateway } from '../gateway/server';
import { startScheduler } from '../workers/scheduler';
import { startWorker } from '../workers/worker';
import { SUBGRAPHS, subgraphByName } from './subgraphs';

export const ROLES = [
  'accounts',
  'documents',
  'search',
  'compliance',
  'notifications',
  'gateway',
  'worker',
  'scheduler',
] as const;
export type RoleName = (typeof ROLES)[number];

export function isRoleName(value: string): value is RoleName {
  return (ROLES as readonly string[]).includes(value);
}

export interface StartedRole {
  port: number;
  stop: () => Promise<void>;
}

/** Starts one role in this process: what `npm run start:role -- <role>` and the supervisor run. */
export async function startRole(
  role: RoleName,
  config: Config,
  logger: Logger,
): Promise<StartedRole> {
  if (role === 'gateway') return startGateway(config, logger);
  if (role === 'worker') return startWorker(config, logger);
  if (role === 'scheduler') return startScheduler(config, logger);
  if (!SUBGRAPHS.some((s) => s.name === role))
    throw new Error(`Subgraph ${role} is not registered`);
  return startSubgraph(subgraphByName(role as SubgraphName), config, logger);
}
