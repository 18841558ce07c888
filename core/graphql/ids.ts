import { BadUserInputError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs are opaque to clients; a malformed one is bad input, never a database error. */
export function parseId(id: string, field = 'id'): string {
  if (!UUID.test(id)) throw new BadUserInputError(`${field} is not a valid ID`, field);
  return id.toLowerCase();
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
