import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, loadEnvFile, type Config } from '../core/config/config';
import { migrateAll } from '../core/db/migrate';
import { formatLogLine } from './log-format';
import { ROLES, type RoleName } from './roles';
import { SUBGRAPHS } from './subgraphs';
import { ROLE_NODE_FLAGS } from './role-node-flags';

/**
 * `npm start`: checks the services, migrates, then runs every role as its own process with
 * labelled logs; restarts a role that crashes; on Ctrl-C / SIGTERM stops the gateway first
 * (its in-flight requests finish against live subgraphs), then the rest.
 */
const RESTART_LIMIT = 5;
const RESTART_WINDOW_MS = 60_000;
const color = process.stdout.isTTY ?? false;

interface Supervised {
  role: RoleName;
  child: ChildProcess | null;
  restarts: number[];
}

function say(message: string): void {
  console.log(formatLogLine('supervisor', message, 7, color));
}

function healthUrl(role: RoleName, config: Config): string {
  const ports: Record<RoleName, number> = {
    gateway: config.GATEWAY_PORT,
    accounts: config.ACCOUNTS_PORT,
    documents: config.DOCUMENTS_PORT,
    search: config.SEARCH_PORT,
    compliance: config.COMPLIANCE_PORT,
    notifications: config.NOTIFICATIONS_PORT,
    worker: config.WORKER_PORT,
    scheduler: config.SCHEDULER_PORT,
  };
  return `http://127.0.0.1:${ports[role]}`;
}

async function waitUntilHealthy(
  url: string,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`exited with code ${child.exitCode} before it was healthy`);
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not healthy after ${timeoutMs} ms`);
}

function roleCommand(role: RoleName): string[] {
  const script = join(__dirname, compiled() ? 'role.js' : 'role.ts');
  return compiled()
    ? [...ROLE_NODE_FLAGS, script, role]
    : [...ROLE_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', script, role];
}

async function main(): Promise<void> {
  loadEnvFile();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }

  if (process.env.DOCENT_SKIP_SERVICE_CHECK !== 'true') {
    say('checking PostgreSQL, Redis and pgvector (ops/ensure-services.sh)');
    const check = spawnSync(
      'bash',
      [resolve(__dirname, compiled() ? '../../ops/ensure-services.sh' : 'ensure-services.sh')],
      { stdio: 'inherit' },
    );
    if (check.status !== 0) {
      say('services are not ready: see the lines above');
      process.exit(1);
    }
  }
  say('applying database migrations');
  await migrateAll(config.DATABASE_URL, SUBGRAPHS);

  const supervised = new Map<RoleName, Supervised>();
  let stopping = false;

  const launch = (entry: Supervised, index: number): ChildProcess => {
    // Each role gets its own process group, so a terminal's Ctrl-C reaches only the supervisor,
    // which stops the roles in order; the IPC channel lets a role notice the supervisor is gone.
    const child = spawn(process.execPath, roleCommand(entry.role), {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) =>
        console.log(formatLogLine(entry.role, line, index, color)),
      );
    }
    child.on('exit', (code, signal) => {
      entry.child = null;
      if (stopping) return;
      const now = Date.now();
      entry.restarts = entry.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
      if (entry.restarts.length >= RESTART_LIMIT) {
        say(
          `${entry.role} keeps crashing (${RESTART_LIMIT} times in a minute): stopping everything`,
        );
        void shutdown(1);
        return;
      }
      entry.restarts.push(now);
      const delay = 500 * 2 ** (entry.restarts.length - 1);
      say(`${entry.role} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (!stopping) entry.child = launch(entry, index);
      }, delay);
    });
    entry.child = child;
    return child;
  };

  const stopRole = async (entry: Supervised): Promise<void> => {
    const child = entry.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), config.SHUTDOWN_GRACE_MS + 5_000);
    await exited;
    clearTimeout(timer);
  };

  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('stopping: gateway first, then the other roles');
    const gateway = supervised.get('gateway');
    if (gateway) await stopRole(gateway);
    await Promise.all([...supervised.values()].filter((e) => e.role !== 'gateway').map(stopRole));
    say('all roles stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  // accounts first (the others verify API keys through it), the gateway after every subgraph.
  const waves: RoleName[][] = [
    ['accounts'],
    ROLES.filter((r) => r !== 'accounts' && r !== 'gateway'),
    ['gateway'],
  ];
  const order = waves.flat();
  for (const wave of waves) {
    const started = wave.map((role) => {
      const entry: Supervised = { role, child: null, restarts: [] };
      supervised.set(role, entry);
      const child = launch(entry, order.indexOf(role));
      return waitUntilHealthy(healthUrl(role, config), child).catch((error: Error) => {
        throw new Error(`${role} did not start: ${error.message}`);
      });
    });
    try {
      await Promise.all(started);
    } catch (error) {
      say((error as Error).message);
      await shutdown(1);
      return;
    }
  }

  const host = 'http://localhost';
  say('Docent is up:');
  say(`  GraphQL API      ${host}:${config.GATEWAY_PORT}/graphql`);
  say(
    `  health / ready   ${host}:${config.GATEWAY_PORT}/health  ${host}:${config.GATEWAY_PORT}/ready`,
  );
  for (const role of order.filter((r) => r !== 'gateway'))
    say(`  ${role.padEnd(15)}  ${healthUrl(role, config).replace('http://127.0.0.1', host)}`);
  say('Ctrl-C stops everything');
}

function compiled(): boolean {
  return __filename.endsWith('.js');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
