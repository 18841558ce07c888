import { Role } from '../../../core/auth/role';
import { DocumentsTestKit, failure } from '../documents.test-kit';

const CATEGORIES = `{ categories }`;
const SET_CATEGORIES = `mutation ($categories: [CategoryInput!]!) { setCategories(categories: $categories) }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateDocumentInput!) { updateDocument(id: $id, input: $input) { classification { label confidence } } }`;
const BY_CATEGORY = `query ($category: String) { documents(filter: { category: $category }) { edges { node { title } } } }`;

let kit: DocumentsTestKit;

beforeAll(async () => {
  kit = await DocumentsTestKit.start();
});

afterAll(async () => {
  await kit?.stop();
});

describe('categories', () => {
  it('are the defaults until the organization sets its own, in its order', async () => {
    const admin = await kit.caller(Role.ADMIN);
    const viewer = await kit.colleague(admin, Role.VIEWER);
    const elsewhere = await kit.caller(Role.OWNER);
    const defaults = ['contract', 'invoice', 'policy', 'report', 'correspondence', 'other'];
    expect((await kit.call(viewer, CATEGORIES)).data).toEqual({ categories: defaults });

    const set = await kit.call(admin, SET_CATEGORIES, {
      categories: [
        { name: ' Lease ', description: 'Rental agreements' },
        { name: 'Board minutes' },
        { name: 'Invoice', description: null },
      ],
    });
    expect(set.errors).toBeUndefined();
    expect(set.data).toEqual({ setCategories: ['Lease', 'Board minutes', 'Invoice'] });
    expect((await kit.call(viewer, CATEGORIES)).data).toEqual({
      categories: ['Lease', 'Board minutes', 'Invoice'],
    });
    // Another organization keeps its own list.
    expect((await kit.call(elsewhere, CATEGORIES)).data).toEqual({ categories: defaults });

    // Setting again replaces the whole list.
    await kit.call(admin, SET_CATEGORIES, { categories: [{ name: 'Only' }] });
    expect((await kit.call(viewer, CATEGORIES)).data).toEqual({ categories: ['Only'] });
  });

  it.each([
    ['no categories', [], 'categories'],
    ['more than 50', Array.from({ length: 51 }, (_, i) => ({ name: `c${i}` })), 'categories'],
    [
      'the same name twice, whatever the case',
      [{ name: 'Lease' }, { name: 'lease ' }],
      'categories',
    ],
    ['a name over 50 characters', [{ name: 'x'.repeat(51) }], 'name'],
    ['an empty name', [{ name: '' }], 'name'],
    ['a blank name', [{ name: '   ' }], 'name'],
    [
      'a description over 500 characters',
      [{ name: 'x', description: 'd'.repeat(501) }],
      'description',
    ],
  ])('refuses %s and keeps the list', async (_, categories, field) => {
    const admin = await kit.caller(Role.ADMIN);
    await kit.call(admin, SET_CATEGORIES, { categories: [{ name: 'Kept' }] });
    expect(failure(await kit.call(admin, SET_CATEGORIES, { categories }))).toEqual({
      code: 'BAD_USER_INPUT',
      field,
    });
    expect((await kit.call(admin, CATEGORIES)).data).toEqual({ categories: ['Kept'] });
  });

  it('takes 50', async () => {
    const admin = await kit.caller(Role.ADMIN);
    const names = Array.from({ length: 50 }, (_, i) => `category ${i}`);
    const response = await kit.call(admin, SET_CATEGORIES, {
      categories: names.map((name) => ({ name })),
    });
    expect(response.data).toEqual({ setCategories: names });
  });

  it('survives concurrent replacements: one of them wins whole', async () => {
    const admin = await kit.caller(Role.ADMIN);
    const lists = Array.from({ length: 6 }, (_, i) => [`first ${i}`, `second ${i}`, 'shared']);
    const responses = await Promise.all(
      lists.map((names) =>
        kit.call(admin, SET_CATEGORIES, { categories: names.map((name) => ({ name })) }),
      ),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    const final = (await kit.call<{ categories: string[] }>(admin, CATEGORIES)).data!.categories;
    expect(lists).toContainEqual(final);
  });

  it("are what a document's category must be one of, matched ignoring case", async () => {
    const admin = await kit.caller(Role.ADMIN);
    const member = await kit.colleague(admin, Role.MEMBER);
    const { id } = await kit.create(member, { title: 'Flat rental' });
    // A default category works until the organization sets its own.
    expect((await kit.call(member, UPDATE, { id, input: { category: 'contract' } })).data).toEqual({
      updateDocument: { classification: { label: 'contract', confidence: 1 } },
    });

    await kit.call(admin, SET_CATEGORIES, { categories: [{ name: 'Lease' }, { name: 'Other' }] });
    const refused = await kit.call(member, UPDATE, { id, input: { category: 'contract' } });
    expect(failure(refused)).toEqual({ code: 'BAD_USER_INPUT', field: 'category' });
    expect(refused.errors![0].message).toBe(
      "category must be one of the organization's categories: Lease, Other",
    );
    expect((await kit.call(member, UPDATE, { id, input: { category: ' lease' } })).data).toEqual({
      updateDocument: { classification: { label: 'Lease', confidence: 1 } },
    });
    // A category too long to be one is refused before it is looked up.
    expect(
      failure(await kit.call(member, UPDATE, { id, input: { category: 'x'.repeat(51) } })),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'category',
    });

    const filed = await kit.call<{ documents: { edges: { node: { title: string } }[] } }>(
      member,
      BY_CATEGORY,
      { category: 'Lease' },
    );
    expect(filed.data!.documents.edges).toEqual([{ node: { title: 'Flat rental' } }]);
  });
});
