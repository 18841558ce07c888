import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * Runs one Docent role as its own process, as production does, and waits for /health.
 * `nodeArgs` go to node before the script (e.g. `--inspect` for a bench that reads the heap).
 */
export async function startRoleProcess(
  role: string,
  env: Record<string, string>,
  healthPort: number,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      ...nodeArgs,
      '-r',
      'ts-node/register/transpile-only',
      join(ROOT, 'ops/role.ts'),
      role,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  // ts-node compiles each role on start: on a loaded machine that can take over a minute.
  const deadline = Date.now() + Number(process.env.BENCH_START_TIMEOUT_MS ?? 180_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${role} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${healthPort}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${role} did not become healthy`);
}

export async function stopProcesses(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}
