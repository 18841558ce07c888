import type { EntityManager } from 'typeorm';

/**
 * The rows a statement returns. TypeORM's PostgreSQL driver answers UPDATE and DELETE with
 * `[rows, rowCount]` and every other statement with the rows; this hides the difference.
 */
export async function queryRows<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

export async function queryOne<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<T | null> {
  const rows = await queryRows<T>(manager, sql, parameters);
  return rows[0] ?? null;
}
