import { Role } from '../../../core/auth/role';
import { printSubgraphSdl } from '../../../core/graphql/subgraph';
import { documentsSubgraph } from '..';
import { DocumentsTestKit, failure, type Caller } from '../documents.test-kit';

let kit: DocumentsTestKit;

beforeAll(async () => {
  kit = await DocumentsTestKit.start();
});

afterAll(async () => {
  await kit?.stop();
});

type Target = 'own' | "another member's";
/** Runs one operation as `caller` on a fresh document uploaded by `uploader`; answers the outcome. */
type Run = (caller: Caller, documentId: string) => Promise<string>;

const outcome = (response: { errors?: unknown[] }): string =>
  response.errors ? String(failure(response as never).code) : 'allowed';

const OPERATIONS: Record<string, Run> = {
  'Query.document': async (caller, id) => {
    const response = await kit.call<{ document: unknown }>(
      caller,
      `query ($id: ID!) { document(id: $id) { id } }`,
      { id },
    );
    return !response.errors && response.data?.document === null ? 'null' : outcome(response);
  },
  'Query.documents': async (caller) =>
    outcome(await kit.call(caller, `{ documents { totalCount } }`)),
  'Query.categories': async (caller) => outcome(await kit.call(caller, `{ categories }`)),
  'Mutation.createTextDocument': async (caller) =>
    outcome(
      await kit.call(
        caller,
        `mutation { createTextDocument(input: { title: "t", text: "t" }) { id } }`,
      ),
    ),
  'Mutation.updateDocument': async (caller, id) =>
    outcome(
      await kit.call(
        caller,
        `mutation ($id: ID!) { updateDocument(id: $id, input: { title: "u" }) { id } }`,
        { id },
      ),
    ),
  'Mutation.deleteDocument': async (caller, id) =>
    outcome(await kit.call(caller, `mutation ($id: ID!) { deleteDocument(id: $id) }`, { id })),
  'Mutation.createUpload': async (caller) =>
    outcome(
      await kit.call(
        caller,
        `mutation { createUpload(input: { filename: "a.pdf", contentType: "application/pdf", byteSize: 10 }) { uploadUrl } }`,
      ),
    ),
  'Mutation.completeUpload': async (caller, id) =>
    outcome(
      await kit.call(caller, `mutation ($id: ID!) { completeUpload(documentId: $id) { id } }`, {
        id,
      }),
    ),
  'Mutation.reprocessDocument': async (caller, id) =>
    outcome(
      await kit.call(caller, `mutation ($id: ID!) { reprocessDocument(id: $id) { id } }`, { id }),
    ),
  'Mutation.setCategories': async (caller) =>
    outcome(await kit.call(caller, `mutation { setCategories(categories: [{ name: "a" }]) }`)),
  'Document.__resolveReference': async (caller, id) => {
    const response = await kit.call<{ _entities: unknown[] }>(
      caller,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Document { id } } }`,
      { r: [{ __typename: 'Document', id }] },
    );
    return !response.errors && response.data?._entities[0] === null ? 'null' : outcome(response);
  },
};

describe('operation guards', () => {
  it('cover every operation and entity of the schema', async () => {
    const sdl = await printSubgraphSdl(documentsSubgraph);
    const fieldsOf = (type: string) => {
      const block = new RegExp(`type ${type} \\{([^}]*)\\}`).exec(sdl)?.[1] ?? '';
      return [...block.matchAll(/^ {2}(\w+)[(:]/gm)].map((m) => `${type}.${m[1]}`);
    };
    const entities = [...sdl.matchAll(/type (\w+)\s+(?:@\w+\s+)*@key\(fields: "id"\)/g)].map(
      (m) => `${m[1]}.__resolveReference`,
    );
    const operations = [
      ...fieldsOf('Query').filter((f) => !f.startsWith('Query._')),
      ...fieldsOf('Mutation'),
      ...entities,
    ];
    expect(operations.sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  // Who may reach what, run for real against the subgraph: a change shows up here in review.
  // "own" is a document the caller uploaded (a VIEWER's own: uploaded before they were made VIEWER).
  it('let each role do exactly this', async () => {
    const table: Record<string, Record<string, string>> = {};
    for (const [operation, run] of Object.entries(OPERATIONS)) {
      for (const target of ['own', "another member's"] as Target[]) {
        const row = (table[`${operation} on ${target}`] = {} as Record<string, string>);
        for (const role of [Role.VIEWER, Role.MEMBER, Role.ADMIN, Role.OWNER]) {
          const caller = await kit.caller(role);
          const uploader =
            target === 'own'
              ? await kit.caller(Role.MEMBER, caller.organizationId, caller.userId)
              : await kit.colleague(caller);
          const { id } = await kit.create(uploader, { title: 'Guarded' });
          row[role] = await run(caller, id);
        }
      }
    }
    const all = (outcome: string) => ({
      VIEWER: outcome,
      MEMBER: outcome,
      ADMIN: outcome,
      OWNER: outcome,
    });
    const memberAndUp = {
      VIEWER: 'FORBIDDEN',
      MEMBER: 'allowed',
      ADMIN: 'allowed',
      OWNER: 'allowed',
    };
    const adminAndUp = {
      VIEWER: 'FORBIDDEN',
      MEMBER: 'FORBIDDEN',
      ADMIN: 'allowed',
      OWNER: 'allowed',
    };
    expect(table).toEqual({
      'Query.document on own': all('allowed'),
      "Query.document on another member's": all('allowed'),
      'Query.documents on own': all('allowed'),
      "Query.documents on another member's": all('allowed'),
      'Query.categories on own': all('allowed'),
      "Query.categories on another member's": all('allowed'),
      'Mutation.createTextDocument on own': memberAndUp,
      "Mutation.createTextDocument on another member's": memberAndUp,
      'Mutation.updateDocument on own': memberAndUp,
      "Mutation.updateDocument on another member's": adminAndUp,
      'Mutation.deleteDocument on own': memberAndUp,
      "Mutation.deleteDocument on another member's": adminAndUp,
      'Mutation.createUpload on own': memberAndUp,
      "Mutation.createUpload on another member's": memberAndUp,
      'Mutation.completeUpload on own': memberAndUp,
      "Mutation.completeUpload on another member's": adminAndUp,
      'Mutation.reprocessDocument on own': memberAndUp,
      "Mutation.reprocessDocument on another member's": adminAndUp,
      'Mutation.setCategories on own': adminAndUp,
      "Mutation.setCategories on another member's": adminAndUp,
      'Document.__resolveReference on own': all('allowed'),
      "Document.__resolveReference on another member's": all('allowed'),
    });
  });

  it('give another organization null or NOT_FOUND, whatever its role', async () => {
    for (const role of [Role.VIEWER, Role.MEMBER, Role.ADMIN, Role.OWNER]) {
      const stranger = await kit.caller(role);
      const { id } = await kit.create(await kit.caller(Role.MEMBER), { title: 'Elsewhere' });
      expect(await OPERATIONS['Query.document'](stranger, id)).toBe('null');
      expect(await OPERATIONS['Document.__resolveReference'](stranger, id)).toBe('null');
      expect(await OPERATIONS['Mutation.updateDocument'](stranger, id)).toBe('NOT_FOUND');
      expect(await OPERATIONS['Mutation.deleteDocument'](stranger, id)).toBe('NOT_FOUND');
      expect(await OPERATIONS['Mutation.completeUpload'](stranger, id)).toBe('NOT_FOUND');
      expect(await OPERATIONS['Mutation.reprocessDocument'](stranger, id)).toBe('NOT_FOUND');
    }
  });

  it('refuse anonymous callers everything', async () => {
    const anonymous = { token: '' } as Caller;
    const { id } = await kit.create(await kit.caller(), { title: 'Private' });
    for (const run of Object.values(OPERATIONS))
      expect(await run(anonymous, id)).toBe('UNAUTHENTICATED');
  });
});
