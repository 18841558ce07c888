import { randomUUID } from 'node:crypto';
import { Role } from '../../../core/auth/role';
import { DocumentsTestKit, failure, type Caller } from '../documents.test-kit';
import { GetDocumentService } from '../services/get-document.service';

const GET = `query ($id: ID!) { document(id: $id) { id title text } }`;
const LIST = `query ($filter: DocumentFilter) { documents(filter: $filter) { edges { node { id } } totalCount } }`;
const CREATE = `mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateDocumentInput!) { updateDocument(id: $id, input: $input) { id title } }`;
const DELETE = `mutation ($id: ID!) { deleteDocument(id: $id) }`;
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Document { id title text(limit: 4) } } }`;
const SET_CATEGORIES = `mutation ($categories: [CategoryInput!]!) { setCategories(categories: $categories) }`;

let kit: DocumentsTestKit;

beforeAll(async () => {
  kit = await DocumentsTestKit.start();
});

afterAll(async () => {
  await kit?.stop();
});

async function titleOf(caller: Caller, id: string): Promise<string | null> {
  const response = await kit.call<{ document: { title: string } | null }>(caller, GET, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.document?.title ?? null;
}

describe('tenant isolation', () => {
  it("never shows or changes another organization's document", async () => {
    const a = await kit.caller(Role.OWNER);
    const b = await kit.caller(Role.OWNER);
    const { id } = await kit.create(a, {
      title: 'Secret plan',
      text: 'a secret text',
      tags: ['secret'],
    });
    await kit.create(b, { title: 'B own' });

    // Reads: null, not listed, not counted, not matched by any filter.
    expect(await titleOf(b, id)).toBeNull();
    const listed = await kit.call<{
      documents: { edges: { node: { id: string } }[]; totalCount: number };
    }>(b, LIST);
    expect(listed.data!.documents.totalCount).toBe(1);
    expect(listed.data!.documents.edges.map((e) => e.node.id)).not.toContain(id);
    for (const filter of [{ text: 'secret' }, { tag: 'secret' }, { status: 'QUEUED' }]) {
      const filtered = await kit.call<{ documents: { totalCount: number } }>(b, LIST, { filter });
      expect(filtered.data!.documents.totalCount).toBe(filter.status ? 1 : 0);
    }

    // Writes: NOT_FOUND, exactly as for an id that exists nowhere; nothing changes.
    const nowhere = randomUUID();
    for (const target of [id, nowhere]) {
      expect(
        failure(await kit.call(b, UPDATE, { id: target, input: { title: 'Mine now' } })),
      ).toEqual({ code: 'NOT_FOUND' });
      expect(failure(await kit.call(b, DELETE, { id: target }))).toEqual({ code: 'NOT_FOUND' });
    }
    const [updateMessage, missingMessage] = await Promise.all([
      kit.call(b, UPDATE, { id, input: { title: 'x' } }),
      kit.call(b, UPDATE, { id: nowhere, input: { title: 'x' } }),
    ]).then((responses) =>
      responses.map((r) => r.errors![0].message.replace(id, 'ID').replace(nowhere, 'ID')),
    );
    expect(updateMessage).toBe(missingMessage);
    expect(await titleOf(a, id)).toBe('Secret plan');
  });

  it('resolves entity references only for documents the caller may see', async () => {
    const a = await kit.caller(Role.VIEWER);
    const member = await kit.colleague(a, Role.MEMBER);
    const b = await kit.caller(Role.OWNER);
    const first = await kit.create(member, { title: 'First', text: 'one two' });
    const second = await kit.create(member, { title: 'Second', text: 'three four' });
    const foreign = await kit.create(b, { title: 'Foreign', text: 'five six' });
    const representations = [first.id, foreign.id, randomUUID(), 'not-an-id', second.id].map(
      (id) => ({ __typename: 'Document', id }),
    );

    const lookups = jest.spyOn(GetDocumentService.prototype, 'executeMany');
    const asA = await kit.call<{ _entities: unknown[] }>(a, ENTITIES, { representations });
    expect(asA.errors).toBeUndefined();
    // Apollo asks for each representation on its own; they are looked up in one query.
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
    expect(asA.data!._entities).toEqual([
      { id: first.id, title: 'First', text: 'one ' },
      null,
      null,
      null,
      { id: second.id, title: 'Second', text: 'thre' },
    ]);
    const asB = await kit.call<{ _entities: unknown[] }>(b, ENTITIES, { representations });
    expect(asB.data!._entities).toEqual([
      null,
      { id: foreign.id, title: 'Foreign', text: 'five' },
      null,
      null,
      null,
    ]);
    expect(failure(await kit.call(null, ENTITIES, { representations }))).toEqual({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('roles', () => {
  it('lets a VIEWER read and list, and nothing else', async () => {
    const member = await kit.caller(Role.MEMBER);
    const viewer = await kit.colleague(member, Role.VIEWER);
    const { id } = await kit.create(member, { title: 'Readable' });

    expect(await titleOf(viewer, id)).toBe('Readable');
    expect(
      (await kit.call<{ documents: { totalCount: number } }>(viewer, LIST)).data!.documents
        .totalCount,
    ).toBe(1);
    const create = await kit.call(viewer, CREATE, { input: { title: 'Nope', text: 'nope' } });
    expect(failure(create)).toEqual({ code: 'FORBIDDEN' });
    expect(create.errors![0].message).toBe(
      'Creating documents requires the MEMBER role or above; you are VIEWER',
    );
    expect(failure(await kit.call(viewer, UPDATE, { id, input: { title: 'Nope' } }))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(failure(await kit.call(viewer, DELETE, { id }))).toEqual({ code: 'FORBIDDEN' });
    expect(
      (await kit.call<{ documents: { totalCount: number } }>(viewer, LIST)).data!.documents
        .totalCount,
    ).toBe(1);
    expect(await titleOf(member, id)).toBe('Readable');
  });

  it("lets a MEMBER change and delete their own documents, not another member's", async () => {
    const alice = await kit.caller(Role.MEMBER);
    const bob = await kit.colleague(alice, Role.MEMBER);
    const alicesDoc = await kit.create(alice, { title: "Alice's" });
    const bobsDoc = await kit.create(bob, { title: "Bob's" });

    // Bob sees Alice's document but may not change or delete it.
    expect(await titleOf(bob, alicesDoc.id)).toBe("Alice's");
    const update = await kit.call(bob, UPDATE, { id: alicesDoc.id, input: { title: 'Taken' } });
    expect(failure(update)).toEqual({ code: 'FORBIDDEN' });
    expect(update.errors![0].message).toMatch(/Members may update only documents they uploaded/);
    const deletion = await kit.call(bob, DELETE, { id: alicesDoc.id });
    expect(failure(deletion)).toEqual({ code: 'FORBIDDEN' });
    expect(deletion.errors![0].message).toMatch(/Members may delete only documents they uploaded/);
    expect(await titleOf(alice, alicesDoc.id)).toBe("Alice's");

    // His own, he may.
    const renamed = await kit.call(bob, UPDATE, {
      id: bobsDoc.id,
      input: { title: 'Bob renamed' },
    });
    expect(renamed.errors).toBeUndefined();
    expect((await kit.call(bob, DELETE, { id: bobsDoc.id })).data).toEqual({
      deleteDocument: true,
    });
  });

  it.each([Role.ADMIN, Role.OWNER])(
    "lets an %s change and delete any member's document",
    async (role) => {
      const member = await kit.caller(Role.MEMBER);
      const admin = await kit.colleague(member, role);
      const { id } = await kit.create(member, { title: 'Member doc' });
      const renamed = await kit.call<{ updateDocument: { title: string } }>(admin, UPDATE, {
        id,
        input: { title: 'Renamed by admin' },
      });
      expect(renamed.errors).toBeUndefined();
      expect(renamed.data!.updateDocument.title).toBe('Renamed by admin');
      expect((await kit.call(admin, DELETE, { id })).data).toEqual({ deleteDocument: true });
      expect(await titleOf(member, id)).toBeNull();
    },
  );

  it('lets only ADMIN and OWNER set the categories', async () => {
    const owner = await kit.caller(Role.OWNER);
    const categories = [{ name: 'lease' }, { name: 'other' }];
    for (const role of [Role.VIEWER, Role.MEMBER]) {
      const caller = await kit.colleague(owner, role);
      const response = await kit.call(caller, SET_CATEGORIES, { categories });
      expect(failure(response)).toEqual({ code: 'FORBIDDEN' });
      expect(response.errors![0].message).toBe(
        `Setting the categories requires the ADMIN role or above; you are ${role}`,
      );
    }
    for (const role of [Role.ADMIN, Role.OWNER]) {
      const caller = await kit.colleague(owner, role);
      expect((await kit.call(caller, SET_CATEGORIES, { categories })).data).toEqual({
        setCategories: ['lease', 'other'],
      });
    }
  });
});
