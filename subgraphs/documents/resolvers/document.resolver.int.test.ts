import { createHash, randomUUID } from 'node:crypto';
import * as outbox from '../../../core/events/outbox';
import { Role } from '../../../core/auth/role';
import { ReadDocumentTextService } from '../services/read-document-text.service';
import { DOCUMENT_FIELDS, DocumentsTestKit, failure, type Caller } from '../documents.test-kit';

type Doc = Record<string, unknown> & {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
};
interface Connection {
  edges: { cursor: string; node: Doc }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const GET = `query ($id: ID!) { document(id: $id) { ${DOCUMENT_FIELDS} } }`;
const TEXT = `query ($id: ID!, $offset: Int, $limit: Int) { document(id: $id) { text(offset: $offset, limit: $limit) } }`;
const LIST = `query ($first: Int, $after: String, $filter: DocumentFilter, $orderBy: DocumentOrder) {
  documents(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { id title createdAt updatedAt status tags classification { label } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
const CREATE = `mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { ${DOCUMENT_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateDocumentInput!) { updateDocument(id: $id, input: $input) { ${DOCUMENT_FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteDocument(id: $id) }`;

let kit: DocumentsTestKit;

beforeAll(async () => {
  kit = await DocumentsTestKit.start();
});

afterAll(async () => {
  await kit?.stop();
});

afterEach(() => jest.restoreAllMocks());

async function list(caller: Caller, variables: Record<string, unknown> = {}): Promise<Connection> {
  const response = await kit.call<{ documents: Connection }>(caller, LIST, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.documents;
}

/** Every page of a list, following endCursor; checks the page info on the way. */
async function allPages(
  caller: Caller,
  variables: Record<string, unknown>,
  first: number,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page: Connection = await list(caller, { ...variables, first, after });
    pages++;
    ids.push(...page.edges.map((e) => e.node.id));
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    if (!page.pageInfo.hasNextPage) {
      expect(ids).toHaveLength(page.totalCount);
      return { ids, pages };
    }
    expect(page.edges).toHaveLength(first);
    after = page.pageInfo.endCursor;
  }
}

async function outboxRows(aggregateId: string) {
  return kit.running.dataSource.query<
    {
      type: string;
      organization_id: string;
      payload: Record<string, unknown>;
      published_at: Date | null;
    }[]
  >(
    `SELECT type, organization_id, payload, published_at FROM documents.outbox WHERE aggregate_id = $1 ORDER BY created_at, id`,
    [aggregateId],
  );
}

describe('createTextDocument', () => {
  it('stores the text, QUEUED, with its size, digest and a file name from the title', async () => {
    const member = await kit.caller(Role.MEMBER);
    const text = 'Grüße 😀\nLine two';
    const response = await kit.call<{ createTextDocument: Doc }>(member, CREATE, {
      input: { title: '  Q3: Lease / renewal ', text, tags: [' lease ', 'renewal', 'lease'] },
    });
    expect(response.errors).toBeUndefined();
    const created = response.data!.createTextDocument;
    const bytes = Buffer.from(text, 'utf8');
    expect(created).toMatchObject({
      title: 'Q3: Lease / renewal',
      filename: 'Q3- Lease - renewal.txt',
      contentType: 'text/plain',
      byteSize: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      status: 'QUEUED',
      tags: ['lease', 'renewal'],
      processing: {
        stage: null,
        progress: 0,
        attempts: 0,
        error: null,
        startedAt: null,
        finishedAt: null,
        durationMs: null,
      },
      classification: null,
      uploadedBy: { id: member.userId },
      processedAt: null,
    });
    expect(created.byteSize).toBe(21); // G r ü(2) ß(2) e ␠ 😀(4) ⏎ L i n e ␠ t w o
    expect(created.createdAt).toBe(created.updatedAt);

    const fetched = await kit.call<{ document: Doc }>(member, GET, { id: created.id });
    expect(fetched.data?.document).toEqual(created);
  });

  it('names the file after the content type', async () => {
    const member = await kit.caller();
    expect(
      (await kit.create(member, { title: 'Notes', contentType: 'text/markdown' })).filename,
    ).toBe('Notes.md');
    const html = await kit.create(member, {
      title: 'Page',
      contentType: 'text/html',
      text: '<p>Hi</p>',
    });
    expect(html).toMatchObject({ filename: 'Page.html', contentType: 'text/html', byteSize: 9 });
  });

  it('writes document.uploaded to the outbox with the document', async () => {
    const member = await kit.caller();
    const created = await kit.create(member, { title: 'Invoice 7', tags: ['finance'] });
    const rows = await outboxRows(created.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'document.uploaded',
      organization_id: member.organizationId,
      published_at: null,
      payload: {
        documentId: created.id,
        origin: 'TEXT',
        title: 'Invoice 7',
        filename: 'Invoice 7.txt',
        contentType: 'text/plain',
        byteSize: created.byteSize,
        sha256: created.sha256,
        tags: ['finance'],
        uploadedById: member.userId,
      },
    });
  });

  it('writes nothing when the event cannot be written', async () => {
    const member = await kit.caller();
    jest.spyOn(outbox, 'appendToOutbox').mockRejectedValueOnce(new Error('outbox unavailable'));
    const response = await kit.call(member, CREATE, {
      input: { title: 'Lost', text: 'never stored' },
    });
    expect(failure(response)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect((await list(member)).totalCount).toBe(0);
  });

  it.each([
    ['an empty title', { title: '' }, 'title'],
    ['a blank title', { title: '   ' }, 'title'],
    ['a title over 300 characters', { title: 'x'.repeat(301) }, 'title'],
    ['empty text', { text: '' }, 'text'],
    ['blank text', { text: ' \n ' }, 'text'],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    ['a tag over 50 characters', { tags: ['x'.repeat(51)] }, 'tags'],
    ['a blank tag', { tags: ['  '] }, 'tags'],
    ['another content type', { contentType: 'application/pdf' }, 'contentType'],
  ])('refuses %s', async (_, change, field) => {
    const member = await kit.caller();
    const response = await kit.call(member, CREATE, {
      input: { title: 'Fine', text: 'fine', ...change },
    });
    expect(failure(response)).toEqual({ code: 'BAD_USER_INPUT', field });
    expect((await list(member)).totalCount).toBe(0);
  });

  it('takes a million characters of text, and refuses one more', async () => {
    const member = await kit.caller();
    const tooLong = await kit.call(member, CREATE, {
      input: { title: 'Big', text: 'a'.repeat(1_000_001) },
    });
    expect(failure(tooLong)).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
    const largest = await kit.create(member, { title: 'Big', text: 'ab'.repeat(500_000) });
    expect(largest.byteSize).toBe(1_000_000);
  });
});

describe('Document.text', () => {
  it('answers windows of the text, counted in characters', async () => {
    const member = await kit.caller();
    const text = '😀abc😀def';
    const { id } = await kit.create(member, { title: 'Windows', text });
    const window = async (offset?: number, limit?: number) => {
      const response = await kit.call<{ document: { text: string } }>(member, TEXT, {
        id,
        offset,
        limit,
      });
      expect(response.errors).toBeUndefined();
      return response.data!.document.text;
    };
    expect(await window()).toBe(text);
    expect(await window(0, 2)).toBe('😀a');
    expect(await window(4, 3)).toBe('😀de');
    expect(await window(7, 100)).toBe('f');
    expect(await window(100, 10)).toBe('');
    expect(await window(0, 0)).toBe('');
  });

  it('reads the text of a whole page, and windows up to 100,000 characters', async () => {
    const member = await kit.caller();
    await kit.create(member, { title: 'One', text: 'first text' });
    await kit.create(member, { title: 'Two', text: 'second text' });
    const reads = jest.spyOn(ReadDocumentTextService.prototype, 'execute');
    const response = await kit.call<{
      documents: { edges: { node: { title: string; head: string; tail: string } }[] };
    }>(
      member,
      `{ documents { edges { node { title head: text(limit: 5) tail: text(offset: 7, limit: 100000) } } } }`,
    );
    expect(response.errors).toBeUndefined();
    // One query per window, not one per document.
    expect(reads).toHaveBeenCalledTimes(2);
    expect(response.data!.documents.edges.map((e) => e.node)).toEqual([
      { title: 'Two', head: 'secon', tail: 'text' },
      { title: 'One', head: 'first', tail: 'ext' },
    ]);
  });

  it('is null while a document has no text', async () => {
    const member = await kit.caller();
    const { id } = await kit.create(member, { title: 'Awaiting extraction' });
    await kit.running.dataSource.query(`UPDATE documents.documents SET text = NULL WHERE id = $1`, [
      id,
    ]);
    const response = await kit.call<{ document: { text: string | null } }>(member, TEXT, { id });
    expect(response.errors).toBeUndefined();
    expect(response.data!.document.text).toBeNull();
  });

  it('refuses a limit over 100,000 and a negative offset', async () => {
    const member = await kit.caller();
    const { id } = await kit.create(member, { title: 'Limits' });
    expect(failure(await kit.call(member, TEXT, { id, limit: 100_001 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'limit',
    });
    expect(failure(await kit.call(member, TEXT, { id, offset: -1 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'offset',
    });
  });
});

describe('document', () => {
  it('answers null for an id that is nowhere, and BAD_USER_INPUT for one that is not an id', async () => {
    const member = await kit.caller();
    const missing = await kit.call(member, GET, { id: randomUUID() });
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ document: null });
    expect(failure(await kit.call(member, GET, { id: 'not-an-id' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });

  it('wants a signed-in caller', async () => {
    expect(failure(await kit.call(null, GET, { id: randomUUID() }))).toEqual({
      code: 'UNAUTHENTICATED',
    });
    expect(failure(await kit.call(null, LIST))).toEqual({ code: 'UNAUTHENTICATED' });
  });
});

describe('documents', () => {
  it('pages through every document once, newest first, with hasNextPage and totalCount', async () => {
    const member = await kit.caller();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await kit.create(member, { title: `Doc ${i}` })).id);

    const first = await list(member, { first: 3 });
    expect(first.totalCount).toBe(7);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const { ids, pages } = await allPages(member, {}, 3);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toEqual([...created].reverse());
    // The default page is 20; an exact fit has no next page.
    const whole = await list(member);
    expect(whole.edges).toHaveLength(7);
    expect(whole.pageInfo.hasNextPage).toBe(false);
    const exact = await list(member, { first: 7 });
    expect(exact.pageInfo.hasNextPage).toBe(false);
    const none = await list(member, { first: 0 });
    expect(none).toMatchObject({
      edges: [],
      totalCount: 7,
      pageInfo: { hasNextPage: true, endCursor: null },
    });
  });

  it('keeps pages stable across documents created at the same instant', async () => {
    const member = await kit.caller();
    for (let i = 0; i < 5; i++) await kit.create(member, { title: `Same ${i}` });
    await kit.running.dataSource.query(
      `UPDATE documents.documents SET created_at = '2026-01-01T00:00:00Z', updated_at = '2026-01-01T00:00:00Z' WHERE organization_id = $1`,
      [member.organizationId],
    );
    for (const orderBy of [
      { field: 'CREATED_AT', direction: 'DESC' },
      { field: 'UPDATED_AT', direction: 'ASC' },
    ]) {
      const { ids } = await allPages(member, { orderBy }, 2);
      expect(new Set(ids).size).toBe(5);
      const sorted = [...ids].sort();
      expect(ids).toEqual(orderBy.direction === 'ASC' ? sorted : sorted.reverse());
    }
  });

  it('orders by title, creation or last update, either way, across pages', async () => {
    const member = await kit.caller();
    const titles = ['banana', 'Apple', 'cherry', 'apple', 'Banana split', 'apple'];
    const docs: Doc[] = [];
    for (const title of titles) docs.push((await kit.create(member, { title })) as Doc);
    // The first document becomes the most recently updated.
    await kit.call(member, UPDATE, { id: docs[0].id, input: { tags: ['touched'] } });

    const orderOf = async (orderBy: Record<string, string>) => {
      const { ids } = await allPages(member, { orderBy }, 4);
      return ids;
    };
    const [{ ids: dbTitleAsc }] = [
      {
        ids: (
          await kit.running.dataSource.query<{ id: string }[]>(
            `SELECT id FROM documents.documents WHERE organization_id = $1 ORDER BY title ASC, id ASC`,
            [member.organizationId],
          )
        ).map((r) => r.id),
      },
    ];
    expect(await orderOf({ field: 'TITLE', direction: 'ASC' })).toEqual(dbTitleAsc);
    expect(await orderOf({ field: 'TITLE', direction: 'DESC' })).toEqual([...dbTitleAsc].reverse());
    const byCreation = docs.map((d) => d.id);
    expect(await orderOf({ field: 'CREATED_AT', direction: 'ASC' })).toEqual(byCreation);
    expect(await orderOf({ field: 'CREATED_AT' })).toEqual([...byCreation].reverse());
    const byUpdate = await orderOf({ field: 'UPDATED_AT', direction: 'DESC' });
    expect(byUpdate[0]).toBe(docs[0].id);
    expect(byUpdate.slice(1)).toEqual([...byCreation.slice(1)].reverse());
    expect(await orderOf({ field: 'UPDATED_AT', direction: 'ASC' })).toEqual(
      [...byUpdate].reverse(),
    );
  });

  it('filters by status, category, tag, text and creation time, and counts what matches', async () => {
    const member = await kit.caller();
    const lease = await kit.create(member, {
      title: 'Office lease',
      text: 'Rent is due monthly.',
      tags: ['property', 'legal'],
    });
    const invoice = await kit.create(member, {
      title: 'Invoice 42',
      text: 'Total: 100% of the fee_amount',
      tags: ['finance'],
    });
    const memo = await kit.create(member, {
      title: 'Memo',
      text: 'The LEASE renewal is pending.',
      tags: ['legal'],
    });
    await kit.call(member, UPDATE, { id: invoice.id, input: { category: 'invoice' } });
    await kit.running.dataSource.query(
      `UPDATE documents.documents SET status = 'PROCESSED', created_at = $2 WHERE id = $1`,
      [lease.id, '2026-01-10T00:00:00Z'],
    );
    await kit.running.dataSource.query(
      `UPDATE documents.documents SET created_at = $2 WHERE id = $1`,
      [invoice.id, '2026-01-20T00:00:00Z'],
    );
    await kit.running.dataSource.query(
      `UPDATE documents.documents SET created_at = $2 WHERE id = $1`,
      [memo.id, '2026-01-30T00:00:00Z'],
    );

    const matching = async (filter: Record<string, unknown>) => {
      const page = await list(member, { filter });
      expect(page.totalCount).toBe(page.edges.length);
      return page.edges.map((e) => e.node.title).sort();
    };
    expect(await matching({})).toEqual(['Invoice 42', 'Memo', 'Office lease']);
    expect(await matching({ status: 'PROCESSED' })).toEqual(['Office lease']);
    expect(await matching({ status: 'QUEUED' })).toEqual(['Invoice 42', 'Memo']);
    expect(await matching({ status: 'FAILED' })).toEqual([]);
    expect(await matching({ category: 'invoice' })).toEqual(['Invoice 42']);
    expect(await matching({ category: 'contract' })).toEqual([]);
    expect(await matching({ tag: 'legal' })).toEqual(['Memo', 'Office lease']);
    expect(await matching({ tag: 'Legal' })).toEqual([]);
    // Title or text, ignoring case; wildcards are taken literally.
    expect(await matching({ text: 'lease' })).toEqual(['Memo', 'Office lease']);
    expect(await matching({ text: 'MONTHLY' })).toEqual(['Office lease']);
    expect(await matching({ text: '100%' })).toEqual(['Invoice 42']);
    expect(await matching({ text: '%' })).toEqual(['Invoice 42']);
    expect(await matching({ text: 'fee_amount' })).toEqual(['Invoice 42']);
    expect(await matching({ text: 'e_a' })).toEqual(['Invoice 42']);
    expect(await matching({ text: 'Rent_is' })).toEqual([]);
    expect(await matching({ text: '  ' })).toEqual(['Invoice 42', 'Memo', 'Office lease']);
    expect(await matching({ createdAfter: '2026-01-10T00:00:00Z' })).toEqual([
      'Invoice 42',
      'Memo',
    ]);
    expect(await matching({ createdBefore: '2026-01-30T00:00:00Z' })).toEqual([
      'Invoice 42',
      'Office lease',
    ]);
    expect(
      await matching({
        createdAfter: '2026-01-15T00:00:00Z',
        createdBefore: '2026-01-25T00:00:00Z',
      }),
    ).toEqual(['Invoice 42']);
    expect(await matching({ tag: 'legal', text: 'renewal', status: 'QUEUED' })).toEqual(['Memo']);

    // Filters and paging together.
    const { ids } = await allPages(
      member,
      { filter: { tag: 'legal' }, orderBy: { field: 'TITLE', direction: 'ASC' } },
      1,
    );
    expect(ids).toEqual([memo.id, lease.id]);
  });

  it.each([
    ['first over 100', { first: 101 }, 'first'],
    ['a negative first', { first: -1 }, 'first'],
    ['a cursor that is not one', { after: 'garbage' }, 'after'],
    [
      'a cursor of the wrong shape',
      { after: Buffer.from('[1,2,3]').toString('base64url') },
      'after',
    ],
    [
      'a cursor with a bad id',
      {
        after: Buffer.from('["CREATED_AT.DESC:2026-01-01T00:00:00.000Z","x"]').toString(
          'base64url',
        ),
      },
      'after',
    ],
    ['a text filter over 200 characters', { filter: { text: 'x'.repeat(201) } }, 'text'],
    ['a tag filter over 50 characters', { filter: { tag: 'x'.repeat(51) } }, 'tag'],
  ])('refuses %s', async (_, variables, field) => {
    const member = await kit.caller();
    expect(failure(await kit.call(member, LIST, variables))).toEqual({
      code: 'BAD_USER_INPUT',
      field,
    });
  });

  it('refuses a cursor given out for another order', async () => {
    const member = await kit.caller();
    await kit.create(member, { title: 'A' });
    await kit.create(member, { title: 'B' });
    const byTitle = await list(member, { first: 1, orderBy: { field: 'TITLE', direction: 'ASC' } });
    const response = await kit.call(member, LIST, { first: 1, after: byTitle.pageInfo.endCursor });
    expect(failure(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('updateDocument', () => {
  it('changes the title, the tags and the category, and moves updatedAt', async () => {
    const member = await kit.caller();
    const created = (await kit.create(member, { title: 'Draft', tags: ['a'] })) as Doc;
    const response = await kit.call<{ updateDocument: Doc }>(member, UPDATE, {
      id: created.id,
      input: { title: ' Final ', tags: ['b', 'c', 'b'], category: 'Contract' },
    });
    expect(response.errors).toBeUndefined();
    const updated = response.data!.updateDocument;
    expect(updated).toMatchObject({
      title: 'Final',
      tags: ['b', 'c'],
      classification: { label: 'contract', confidence: 1 },
      // The file keeps the name it was created with.
      filename: 'Draft.txt',
      createdAt: created.createdAt,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    expect(
      (await kit.call<{ document: Doc }>(member, GET, { id: created.id })).data!.document,
    ).toEqual(updated);
  });

  it('leaves out what is not given, clears tags with [], and the category with null', async () => {
    const member = await kit.caller();
    const { id } = await kit.create(member, { title: 'Keep', tags: ['x'] });
    await kit.call(member, UPDATE, { id, input: { category: 'report' } });
    const untouched = await kit.call<{ updateDocument: Doc }>(member, UPDATE, { id, input: {} });
    expect(untouched.data!.updateDocument).toMatchObject({
      title: 'Keep',
      tags: ['x'],
      classification: { label: 'report' },
    });
    const cleared = await kit.call<{ updateDocument: Doc }>(member, UPDATE, {
      id,
      input: { tags: [], category: null },
    });
    expect(cleared.data!.updateDocument).toMatchObject({
      title: 'Keep',
      tags: [],
      classification: null,
    });
  });

  it.each([
    ['a category the organization does not have', { category: 'recipes' }, 'category'],
    ['a blank title', { title: ' ' }, 'title'],
    ['a title over 300 characters', { title: 'x'.repeat(301) }, 'title'],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
  ])('refuses %s and changes nothing', async (_, input, field) => {
    const member = await kit.caller();
    const created = await kit.create(member, { title: 'Stays', tags: ['t'] });
    expect(failure(await kit.call(member, UPDATE, { id: created.id, input }))).toEqual({
      code: 'BAD_USER_INPUT',
      field,
    });
    expect(
      (await kit.call<{ document: Doc }>(member, GET, { id: created.id })).data!.document,
    ).toEqual(created);
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const member = await kit.caller();
    expect(
      failure(await kit.call(member, UPDATE, { id: randomUUID(), input: { title: 'x' } })),
    ).toEqual({ code: 'NOT_FOUND' });
    expect(failure(await kit.call(member, UPDATE, { id: '42', input: { title: 'x' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });
});

describe('deleteDocument', () => {
  it('deletes the document and writes document.deleted to the outbox', async () => {
    const member = await kit.caller();
    const { id } = await kit.create(member, { title: 'Gone soon' });
    const response = await kit.call(member, DELETE, { id });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ deleteDocument: true });
    expect((await kit.call(member, GET, { id })).data).toEqual({ document: null });
    expect((await list(member)).totalCount).toBe(0);
    const rows = await outboxRows(id);
    expect(rows.map((r) => r.type)).toEqual(['document.uploaded', 'document.deleted']);
    expect(rows[1]).toMatchObject({
      organization_id: member.organizationId,
      payload: {
        documentId: id,
        storageKey: `originals/${member.organizationId}/${id}`,
        deletedById: member.userId,
      },
    });
    expect(failure(await kit.call(member, DELETE, { id }))).toEqual({ code: 'NOT_FOUND' });
  });

  it('keeps the document when the event cannot be written', async () => {
    const member = await kit.caller();
    const { id } = await kit.create(member, { title: 'Stays' });
    jest.spyOn(outbox, 'appendToOutbox').mockRejectedValueOnce(new Error('outbox unavailable'));
    expect(failure(await kit.call(member, DELETE, { id }))).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect((await kit.call<{ document: Doc }>(member, GET, { id })).data?.document?.id).toBe(id);
    expect((await outboxRows(id)).map((r) => r.type)).toEqual(['document.uploaded']);
  });

  it('answers BAD_USER_INPUT for a malformed id', async () => {
    const member = await kit.caller();
    expect(failure(await kit.call(member, DELETE, { id: 'abc' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });
});
