import { ErrorCode } from '../../../core/errors';
import { OrderDirection } from '../../../core/graphql/order-direction';
import type { DocumentRecord } from '../entities/document.entity';
import { documentOrder, DocumentOrderField } from './document-order';

const row = {
  id: '00000000-0000-4000-8000-000000000001',
  title: 'Lease: 12 Main St',
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  updatedAt: new Date('2026-02-03T04:05:06.789Z'),
} as DocumentRecord;

function code(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    return `${String(extensions.code)} ${String(extensions.field)}`;
  }
  return 'ok';
}

describe('documentOrder', () => {
  it('orders by creation, newest first, unless told otherwise', () => {
    const order = documentOrder();
    expect(order).toMatchObject({ column: 'd.created_at', direction: 'DESC' });
    expect(order.parse!(order.value(row))).toEqual(row.createdAt);
  });

  it('round-trips the key of every order', () => {
    for (const field of Object.values(DocumentOrderField)) {
      for (const direction of Object.values(OrderDirection)) {
        const order = documentOrder(field, direction);
        expect(order.direction).toBe(direction);
        const parsed = order.parse!(order.value(row));
        const expected = { CREATED_AT: row.createdAt, UPDATED_AT: row.updatedAt, TITLE: row.title }[
          field
        ];
        expect(parsed).toEqual(expected);
      }
    }
  });

  it('refuses a cursor made for another order, or one that is not ours', () => {
    const byTitle = documentOrder(DocumentOrderField.TITLE, OrderDirection.ASC);
    const byTitleDesc = documentOrder(DocumentOrderField.TITLE, OrderDirection.DESC);
    const byCreation = documentOrder(DocumentOrderField.CREATED_AT, OrderDirection.DESC);
    const bad = `${ErrorCode.BAD_USER_INPUT} after`;
    expect(code(() => byCreation.parse!(byTitle.value(row)))).toBe(bad);
    expect(code(() => byTitleDesc.parse!(byTitle.value(row)))).toBe(bad);
    expect(code(() => byCreation.parse!('CREATED_AT.DESC:not a time'))).toBe(bad);
    expect(code(() => byCreation.parse!('CREATED_AT.DESC:2026-01-02'))).toBe(bad);
    expect(code(() => byCreation.parse!(42))).toBe(bad);
    expect(code(() => byTitle.parse!({}))).toBe(bad);
  });
});
