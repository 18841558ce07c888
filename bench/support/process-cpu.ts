import { readFileSync } from 'node:fs';
import type { Client } from 'pg';

/** Clock ticks per second of /proc's CPU times (Linux's USER_HZ, 100 on every common build). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat; 0 when
 * the process is gone or /proc is not there (then the bench prints no figure for it).
 */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * The PostgreSQL backends serving clients of one database (the pools of the processes under
 * test) and their parallel workers; autovacuum workers, which a retraining's 100,000 deleted and
 * inserted rows start, are not the requests' work.
 */
export async function databaseBackends(admin: Client, database: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid()
        AND backend_type IN ('client backend', 'parallel worker')`,
    [database],
  );
  return rows.map((r) => r.pid);
}

/**
 * CPU used by a set of processes between two readings: the Node roles by pid, and every
 * PostgreSQL backend of the bench database (backends opened during the run count whole).
 */
export class CpuMeter {
  private before = new Map<number, number>();

  constructor(
    private readonly admin: Client,
    private readonly database: string,
    private readonly roles: ReadonlyMap<string, number>,
  ) {}

  async start(): Promise<void> {
    this.before = new Map();
    for (const pid of [...this.roles.values(), ...(await this.backends())])
      this.before.set(pid, processCpuMs(pid));
  }

  /** ms of CPU per role name and for PostgreSQL ('postgres') since start(). */
  async stop(): Promise<Map<string, number>> {
    const used = new Map<string, number>();
    for (const [name, pid] of this.roles)
      used.set(name, processCpuMs(pid) - (this.before.get(pid) ?? 0));
    let postgres = 0;
    for (const pid of await this.backends())
      postgres += processCpuMs(pid) - (this.before.get(pid) ?? 0);
    used.set('postgres', postgres);
    return used;
  }

  private backends(): Promise<number[]> {
    return databaseBackends(this.admin, this.database);
  }
}
