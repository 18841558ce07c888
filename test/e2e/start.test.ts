import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase } from '../support/database';
import { graphql } from '../support/graphql-client';
import { signUpOwner } from '../support/actors';

const ROOT = join(__dirname, '../..');
// Below the kernel's ephemeral range and clear of well-known ports (4369 is RabbitMQ's epmd here).
const BASE = 21_000 + 10 * Math.floor(Math.random() * 1_000);
const ports = {
  GATEWAY_PORT: BASE,
  ACCOUNTS_PORT: BASE + 1,
  DOCUMENTS_PORT: BASE + 2,
  SEARCH_PORT: BASE + 3,
  COMPLIANCE_PORT: BASE + 4,
  NOTIFICATIONS_PORT: BASE + 5,
  WORKER_PORT: BASE + 6,
  SCHEDULER_PORT: BASE + 7,
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let supervisor: ChildProcess;
let output = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATABASE_URL: database.url, REDIS_PREFIX: `test-start-${BASE}`, LOG_LEVEL: 'info', NODE_ENV: 'development' };
  for (const [key, port] of Object.entries(ports)) env[key] = String(port);
  for (const name of ['ACCOUNTS', 'DOCUMENTS', 'SEARCH', 'COMPLIANCE', 'NOTIFICATIONS']) {
    env[`${name}_URL`] = `http://127.0.0.1:${ports[`${name}_PORT` as keyof typeof ports]}/graphql`;
  }
  // What `npm start` runs: the build (its prestart), then the compiled supervisor.
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  supervisor = spawn(process.execPath, ['dist/ops/supervisor.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  supervisor.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Generous: at a load average of 10 the roles took over 90 s to come up (seen in a CI run).
  const deadline = Date.now() + 180_000;
  while (!output.includes('Docent is up')) {
    if (supervisor.exitCode !== null || Date.now() > deadline) throw new Error(`supervisor did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 420_000);

afterAll(async () => {
  if (supervisor && supervisor.exitCode === null && supervisor.signalCode === null) {
    // SIGTERM first: the supervisor stops its roles (each in its own process group).
    const exited = new Promise((resolve) => supervisor.once('exit', resolve));
    supervisor.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (supervisor.exitCode === null && supervisor.signalCode === null) supervisor.kill('SIGKILL');
  }
  await database?.drop();
}, 60_000);

describe('npm start', () => {
  it('runs every role with labelled logs and prints the URLs', async () => {
    expect(output).toContain(`http://localhost:${BASE}/graphql`);
    for (const role of ['accounts', 'documents', 'search', 'compliance', 'notifications', 'gateway', 'worker', 'scheduler']) {
      expect(output).toMatch(new RegExp(`^${role}\\s*\\|`, 'm'));
    }
    for (const port of Object.values(ports)) {
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect([port, ready.status]).toEqual([port, 200]);
    }
  });

  it('answers sign-up and `me` through http://localhost:<gateway>/graphql', async () => {
    const url = `http://localhost:${BASE}/graphql`;
    const owner = await signUpOwner(url, 'Started Inc');
    const me = await graphql<{ me: { user: { email: string }; organization: { name: string }; role: string } }>(
      url,
      '{ me { user { email } organization { name } role } }',
      {},
      owner.accessToken,
    );
    expect(me.data!.me).toEqual({ user: { email: owner.email }, organization: { name: 'Started Inc' }, role: 'OWNER' });
  });

  it('stops every role cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('all roles stopped');
    expect(output).not.toContain('second signal'); // each role was asked once and finished its work
    for (const port of Object.values(ports)) {
      const answered = await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false);
      expect([port, answered]).toEqual([port, false]);
    }
  }, 60_000);
});
