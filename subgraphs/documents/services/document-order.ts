import type { KeysetOrder } from '../../../core/db/keyset-page';
import { BadUserInputError } from '../../../core/errors';
import { OrderDirection } from '../../../core/graphql/order-direction';
import type { DocumentRecord } from '../entities/document.entity';

export enum DocumentOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  TITLE = 'TITLE',
}

export const DEFAULT_DOCUMENT_ORDER = {
  field: DocumentOrderField.CREATED_AT,
  direction: OrderDirection.DESC,
} as const;

const SORT_KEYS: Record<
  DocumentOrderField,
  { column: string; kind: 'time' | 'text'; read: (d: DocumentRecord) => string }
> = {
  [DocumentOrderField.CREATED_AT]: {
    column: 'd.created_at',
    kind: 'time',
    read: (d) => d.createdAt.toISOString(),
  },
  [DocumentOrderField.UPDATED_AT]: {
    column: 'd.updated_at',
    kind: 'time',
    read: (d) => d.updatedAt.toISOString(),
  },
  [DocumentOrderField.TITLE]: { column: 'd.title', kind: 'text', read: (d) => d.title },
};

function notOurCursor(): BadUserInputError {
  return new BadUserInputError('after is not a cursor this list gave out for this order', 'after');
}

/**
 * The keyset order of the documents list. Each cursor's key carries the order it was made
 * for, so a cursor from one order given to another is refused instead of skipping rows.
 */
export function documentOrder(
  field: DocumentOrderField = DEFAULT_DOCUMENT_ORDER.field,
  direction: OrderDirection = DEFAULT_DOCUMENT_ORDER.direction,
): KeysetOrder<DocumentRecord> {
  const key = SORT_KEYS[field];
  if (!key) throw new BadUserInputError(`cannot order by ${String(field)}`, 'orderBy');
  const tag = `${field}.${direction}:`;
  return {
    column: key.column,
    direction: direction === OrderDirection.ASC ? 'ASC' : 'DESC',
    value: (document) => tag + key.read(document),
    parse: (raw) => {
      if (typeof raw !== 'string' || !raw.startsWith(tag)) throw notOurCursor();
      const value = raw.slice(tag.length);
      if (key.kind === 'text') return value;
      const time = new Date(value);
      if (Number.isNaN(time.getTime()) || time.toISOString() !== value) throw notOurCursor();
      return time;
    },
  };
}
