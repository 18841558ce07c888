import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROLE_NODE_FLAGS } from '../../ops/role-node-flags';

const ROOT = join(__dirname, '../..');

/**
 * Roles run compiled, as `npm start` and production run them, unless BENCH_ROLES_FROM=source.
 * Under ts-node every role also holds the TypeScript compiler: about 290 MB of heap after start,
 * which V8's memory reducer collects 35–50 s later in full pauses of 100–300 ms per role
 * (`--trace-gc`), landing in bench:realtime's rounds as its p99 — a cost production never pays.
 */
const FROM_SOURCE = process.env.BENCH_ROLES_FROM === 'source';
let compiled: Promise<void> | undefined;

/** `tsc -p tsconfig.build.json` (what `npm run build` compiles), once per bench process. */
function compileRoles(): Promise<void> {
  compiled ??= new Promise<void>((resolve, reject) => {
    const tsc = spawn(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
      { cwd: ROOT, stdio: 'inherit' },
    );
    tsc.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`)),
    );
  });
  return compiled;
}

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
  if (!FROM_SOURCE) await compileRoles();
  const script = FROM_SOURCE
    ? ['-r', 'ts-node/register/transpile-only', join(ROOT, 'ops/role.ts')]
    : [join(ROOT, 'dist/ops/role.js')];
  const child = spawn(
    process.execPath,
    [...profile, ...ROLE_NODE_FLAGS, ...nodeArgs, ...script, role],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  // From source, ts-node compiles each role on start: on a loaded machine, over a minute.
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
