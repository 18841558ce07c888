/**
 * TypeORM's PostgreSQL driver answers a raw UPDATE … RETURNING with `[rows, affectedCount]`
 * (INSERT and SELECT answer with the rows): this reads the rows either way.
 */
export function updatedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]))
    return result[0] as T[];
  return result as T[];
}
