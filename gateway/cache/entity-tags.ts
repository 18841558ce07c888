import { isId } from '../../core/graphql/ids';

/** More ids than this in one answer: treat it as a list (organization-wide invalidation). */
export const MAX_TAGS = 64;

/**
 * What a cached answer depends on, for invalidation: the ids of the entities in it (Docent's ids
 * are UUIDs, unique across types, the same values events carry as `aggregateId`), or `null` when
 * it is a list — any array of objects, or an empty array, whose membership an event about
 * another entity may change — or names no entity at all. Lists and id-less answers fall back to the organization's generation.
 */
export function entityTags(data: unknown): string[] | null {
  const ids = new Set<string>();
  let list = false;
  const visit = (value: unknown): void => {
    if (list) return;
    if (Array.isArray(value)) {
      // An empty array may be an empty list of entities that an event about another one fills.
      if (value.length === 0 || value.some((item) => item !== null && typeof item === 'object'))
        list = true;
      else for (const item of value) visit(item);
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const field of Object.values(value)) visit(field);
      return;
    }
    if (isId(value)) ids.add(value.toLowerCase());
  };
  visit(data);
  if (list || ids.size === 0 || ids.size > MAX_TAGS) return null;
  return [...ids];
}

/** Every id anywhere in a value (an event's aggregate and payload, a mutation's variables). */
export function idsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (found.size > MAX_TAGS * 4) return found;
  if (Array.isArray(value)) for (const item of value) idsIn(item, found);
  else if (value !== null && typeof value === 'object')
    for (const field of Object.values(value)) idsIn(field, found);
  else if (isId(value)) found.add(value.toLowerCase());
  return found;
}
