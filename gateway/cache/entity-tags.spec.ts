import { entityTags, idsIn, MAX_TAGS } from './entity-tags';

const A = '6f1c1d2e-8a1b-4c3d-9e0f-111111111111';
const B = '6f1c1d2e-8a1b-4c3d-9e0f-222222222222';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('entityTags', () => {
  it('tags an entity answer with every id in it, nested ones included', () => {
    const data = { document: { id: A.toUpperCase(), title: 'Lease', uploadedBy: { id: B } } };
    expect(entityTags(data)?.sort()).toEqual([A, B].sort());
  });

  it('treats any array of objects as a list (organization-wide)', () => {
    expect(entityTags({ documents: { edges: [{ node: { id: A } }] } })).toBeNull();
    expect(entityTags({ document: { id: A, findings: [{ id: B }] } })).toBeNull();
    expect(entityTags({ document: { id: A, findings: [] } })).toBeNull();
  });

  it('keeps scalar arrays as fields of the entity', () => {
    expect(entityTags({ document: { id: A, tags: ['lease', 'nda'] } })).toEqual([A]);
  });

  it('falls back when no entity is named or too many are', () => {
    expect(entityTags({ me: { role: 'OWNER' } })).toBeNull();
    const many = Object.fromEntries(
      Array.from({ length: MAX_TAGS + 1 }, (_, i) => [`d${i}`, { id: uuid(i) }]),
    );
    expect(entityTags(many)).toBeNull();
  });
});

describe('idsIn', () => {
  it('finds ids at any depth of an event payload or variables, ignoring other strings', () => {
    const found = idsIn({
      aggregateId: A,
      payload: { documentId: B, title: 'x', n: 3, list: [A] },
    });
    expect([...found].sort()).toEqual([A, B].sort());
  });
});
