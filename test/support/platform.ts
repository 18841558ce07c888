import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AiProvider } from '../../core/ai/ai-provider';
import {
  startDocumentPipeline,
  type RunningPipeline,
} from '../../subgraphs/documents/jobs/document-pipeline.worker';
import { startSearchIndexer } from '../../subgraphs/search/jobs/search-index.worker';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../core/config/config';
import { startSubgraph, type RunningSubgraph } from '../../core/graphql/subgraph';
import { createLogger } from '../../core/logging/logger';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { composeSupergraph } from '../../schema/compose';
import { SUBGRAPHS } from '../../ops/subgraphs';
import { createTestDatabase } from './database';

export interface TestPlatform {
  config: Config;
  gateway: RunningGateway;
  subgraphs: Map<string, RunningSubgraph>;
  /** The gateway's GraphQL URL: what tests drive, as clients do. */
  url: string;
  /** The documents pipeline, when started with `{ pipeline: ... }`. */
  pipeline?: RunningPipeline;
  stop: () => Promise<void>;
}

const URL_SETTING = {
  accounts: 'ACCOUNTS_URL',
  documents: 'DOCUMENTS_URL',
  search: 'SEARCH_URL',
  compliance: 'COMPLIANCE_URL',
  notifications: 'NOTIFICATIONS_URL',
} as const;

/**
 * The whole API in one process: every subgraph and the real gateway on free ports, over a
 * fresh database and a Redis prefix of their own. The supergraph is composed from the code.
 */
/**
 * A port free now, for a server that must know its URL before it starts (the gateway's
 * PUBLIC_URL). Taken below the kernel's ephemeral range (32768+), so the subgraphs started on
 * port 0 in the meantime can never be handed the same one.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
}

export interface TestPlatformOptions {
  /** Also run the documents pipeline in this process, with this AI provider (the configured one when omitted). */
  pipeline?: { ai?: AiProvider; index?: boolean };
}

export async function startTestPlatform(
  overrides: Record<string, string> = {},
  options: TestPlatformOptions = {},
): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const gatewayPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'docent-data-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
    DATABASE_URL: database.url,
    REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '4',
    SHUTDOWN_GRACE_MS: '1000',
    // Tests that change data behind the gateway's back (workers, direct subgraph calls) run
    // without the response cache; its own tests turn it on (test/e2e/gateway-cache.test.ts).
    RESPONSE_CACHE: 'false',
    ...overrides,
  };
  const logger = createLogger('test', 'silent');
  const subgraphs = new Map<string, RunningSubgraph>();
  for (const definition of SUBGRAPHS) {
    const running = await startSubgraph(definition, loadConfig(env), logger, { port: 0 });
    subgraphs.set(definition.name, running);
    env[URL_SETTING[definition.name]] = running.url;
  }
  const supergraphPath = join(tmpdir(), `docent-supergraph-${env.REDIS_PREFIX}.graphql`);
  writeFileSync(supergraphPath, (await composeSupergraph(SUBGRAPHS)).supergraph);
  env.SUPERGRAPH_PATH = supergraphPath;
  const config = loadConfig(env);
  const gateway = await startGateway(config, logger, { port: gatewayPort });
  const pipeline = options.pipeline
    ? await startDocumentPipeline(config, logger, {
        ai: options.pipeline.ai,
        index: options.pipeline.index ?? false,
      })
    : undefined;
  // With `index: true` search's indexer runs too, so documents get their chunks.
  const searchIndexer = options.pipeline?.index
    ? await startSearchIndexer(config, logger, { ai: options.pipeline.ai })
    : undefined;
  return {
    config,
    gateway,
    subgraphs,
    url: gateway.url,
    pipeline,
    stop: async () => {
      await pipeline?.stop();
      await searchIndexer?.stop();
      await gateway.stop();
      for (const running of [...subgraphs.values()].reverse()) await running.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
