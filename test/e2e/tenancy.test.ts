import { errorCode, graphql } from '../support/graphql-client';
import { createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let a: Actor;
let b: Actor;
let documentOfA: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  a = await signUpOwner(platform.url, 'Org A');
  b = await signUpOwner(platform.url, 'Org B');
  documentOfA = await createTextDocument(platform.url, a, 'Secret merger plan', 'Acme will acquire Globex.', ['secret']);
});
afterAll(async () => platform?.stop());

describe('organization B and organization A', () => {
  it('B cannot read A’s document by id, list, filter or text search', async () => {
    const byId = await graphql<{ document: unknown }>(platform.url, 'query ($id: ID!) { document(id: $id) { id title } }', { id: documentOfA }, b.accessToken);
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.document).toBeNull();

    const lists = await graphql<{ all: { totalCount: number }; tagged: { totalCount: number }; text: { totalCount: number } }>(
      platform.url,
      '{ all: documents { totalCount } tagged: documents(filter: { tag: "secret" }) { totalCount } text: documents(filter: { text: "merger" }) { totalCount } }',
      {},
      b.accessToken,
    );
    expect(lists.data).toEqual({ all: { totalCount: 0 }, tagged: { totalCount: 0 }, text: { totalCount: 0 } });

    const own = await graphql<{ documents: { totalCount: number } }>(platform.url, '{ documents { totalCount } }', {}, a.accessToken);
    expect(own.data!.documents.totalCount).toBe(1);
  });

  it('B cannot change or delete A’s document, and A’s document is unchanged', async () => {
    const update = await graphql(platform.url, 'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "pwned" }) { id } }', { id: documentOfA }, b.accessToken);
    expect(errorCode(update)).toBe('NOT_FOUND');
    const remove = await graphql(platform.url, 'mutation ($id: ID!) { deleteDocument(id: $id) }', { id: documentOfA }, b.accessToken);
    expect(errorCode(remove)).toBe('NOT_FOUND');

    const still = await graphql<{ document: { title: string } }>(platform.url, 'query ($id: ID!) { document(id: $id) { title } }', { id: documentOfA }, a.accessToken);
    expect(still.data!.document.title).toBe('Secret merger plan');
  });

  it('B cannot reach A’s users or organization through entity references', async () => {
    const members = await graphql<{ members: { user: { id: string } }[] }>(platform.url, '{ members { user { id } } }', {}, b.accessToken);
    expect(members.data!.members.map((m) => m.user.id)).toEqual([b.userId]);
    // The subgraphs answer entity lookups only within the caller's organization.
    const entities = await graphql<{ _entities: unknown[] }>(
      platform.subgraphs.get('accounts')!.url,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } ... on Organization { name } } }',
      { r: [{ __typename: 'User', id: a.userId }, { __typename: 'Organization', id: a.organizationId }] },
      b.accessToken,
    );
    expect(entities.data!._entities).toEqual([null, null]);
    const documents = await graphql<{ _entities: unknown[] }>(
      platform.subgraphs.get('documents')!.url,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Document { title } } }',
      { r: [{ __typename: 'Document', id: documentOfA }] },
      b.accessToken,
    );
    expect(documents.data!._entities).toEqual([null]);
  });

  it('categories are per organization', async () => {
    const set = await graphql<{ setCategories: string[] }>(
      platform.url,
      'mutation { setCategories(categories: [{ name: "nda", description: "Non-disclosure agreements" }]) }',
      {},
      a.accessToken,
    );
    expect(set.data!.setCategories).toEqual(['nda']);
    const ofB = await graphql<{ categories: string[] }>(platform.url, '{ categories }', {}, b.accessToken);
    expect(ofB.data!.categories).toEqual(['contract', 'invoice', 'policy', 'report', 'correspondence', 'other']);
  });
});
