import { Client } from 'pg';
import type { DataSource } from 'typeorm';

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * Counts and records the SQL statements every pg client of this process sends (the bench runs
 * the gateway and search in-process): round trips per request, and the statements to EXPLAIN.
 */
export class StatementCapture {
  private statements: Statement[] | null = null;
  private count = 0;

  install(): void {
    const original = Client.prototype.query;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const capture = this;
    Client.prototype.query = function (this: Client, ...args: unknown[]): unknown {
      const [first, second] = args;
      capture.count++;
      if (capture.statements) {
        const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
        if (text) capture.statements.push({ text, values: Array.isArray(second) ? second : [] });
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  /** Statements sent so far (a counter: subtract two readings). */
  get sent(): number {
    return this.count;
  }

  async record<T>(work: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
    this.statements = [];
    try {
      const result = await work();
      return { result, statements: this.statements };
    } finally {
      this.statements = null;
    }
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of each SELECT a request sent, with its own parameters; prints the
 * execution time and the plan's top nodes. Settings the request made with set_config are made
 * again first (in a transaction) so the plan is the one the request got.
 */
export async function explainStatements(
  dataSource: DataSource,
  label: string,
  statements: Statement[],
  planLines = 14,
): Promise<void> {
  const settings = statements.filter((s) => /set_config\(/i.test(s.text));
  const selects = statements.filter(
    (s) =>
      /^\s*(WITH|SELECT)/i.test(s.text) && !/set_config\(|pg_advisory|^\s*SELECT 1\b/i.test(s.text),
  );
  console.log(
    `\n${label}: ${statements.length} statements (round trips) for one request, ${selects.length} reads explained`,
  );
  for (const statement of selects) {
    await dataSource.transaction(async (manager) => {
      for (const setting of settings) await manager.query(setting.text, setting.values);
      const plan = await manager.query<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
        statement.values,
      );
      const lines = plan.map((row) => row['QUERY PLAN']);
      const time = lines.find((l) => l.startsWith('Execution Time')) ?? '';
      const first = statement.text.replace(/\s+/g, ' ').trim().slice(0, 90);
      console.log(`  ${time.padEnd(28)} ${first}…`);
      // Vector and id-list literals make lines of kilobytes: the shape is what matters.
      for (const line of lines.slice(0, planLines)) console.log(`      ${line.slice(0, 200)}`);
    });
  }
}
