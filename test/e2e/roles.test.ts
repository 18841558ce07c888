import { errorCode, graphql } from '../support/graphql-client';
import { addMember, createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let owner: Actor;
let admin: Actor;
let member: Actor;
let otherMember: Actor;
let viewer: Actor;

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await signUpOwner(platform.url);
  admin = await addMember(platform.url, owner, 'ADMIN');
  member = await addMember(platform.url, admin, 'MEMBER');
  otherMember = await addMember(platform.url, admin, 'MEMBER');
  viewer = await addMember(platform.url, owner, 'VIEWER');
});
afterAll(async () => platform?.stop());

const ADD_MEMBER = 'mutation ($input: AddMemberInput!) { addMember(input: $input) { role } }';
const memberInput = (role: string) => ({ input: { email: `x-${Math.random().toString(36).slice(2)}@example.com`, name: 'X', password: 'Another-strong-pass-1', role } });

describe('roles through the gateway', () => {
  it('only OWNER and ADMIN add members, and only an OWNER grants OWNER', async () => {
    expect(errorCode(await graphql(platform.url, ADD_MEMBER, memberInput('VIEWER'), member.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await graphql(platform.url, ADD_MEMBER, memberInput('VIEWER'), viewer.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await graphql(platform.url, ADD_MEMBER, memberInput('OWNER'), admin.accessToken))).toBe('FORBIDDEN');
    const byOwner = await graphql<{ addMember: { role: string } }>(platform.url, ADD_MEMBER, memberInput('OWNER'), owner.accessToken);
    expect(byOwner.data!.addMember.role).toBe('OWNER');
  });

  it('API keys are for ADMIN and above, and never above the creator', async () => {
    const create = 'mutation ($role: Role!) { createApiKey(input: { name: "k", role: $role }) { apiKey { role } } }';
    expect(errorCode(await graphql(platform.url, create, { role: 'VIEWER' }, member.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await graphql(platform.url, create, { role: 'OWNER' }, admin.accessToken))).toBe('FORBIDDEN');
    const ok = await graphql<{ createApiKey: { apiKey: { role: string } } }>(platform.url, create, { role: 'ADMIN' }, admin.accessToken);
    expect(ok.data!.createApiKey.apiKey.role).toBe('ADMIN');
    expect(errorCode(await graphql(platform.url, '{ apiKeys { id } }', {}, member.accessToken))).toBe('FORBIDDEN');
  });

  it('VIEWER reads but cannot write documents', async () => {
    const id = await createTextDocument(platform.url, member, 'Readable');
    const read = await graphql<{ document: { title: string } }>(platform.url, 'query ($id: ID!) { document(id: $id) { title } }', { id }, viewer.accessToken);
    expect(read.data!.document.title).toBe('Readable');
    const create = await graphql(platform.url, 'mutation { createTextDocument(input: { title: "t", text: "x" }) { id } }', {}, viewer.accessToken);
    expect(errorCode(create)).toBe('FORBIDDEN');
    const update = await graphql(platform.url, 'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "v" }) { id } }', { id }, viewer.accessToken);
    expect(errorCode(update)).toBe('FORBIDDEN');
  });

  it('a MEMBER changes only their own documents; ADMIN any', async () => {
    const id = await createTextDocument(platform.url, member, 'Mine');
    const byOther = await graphql(platform.url, 'mutation ($id: ID!) { deleteDocument(id: $id) }', { id }, otherMember.accessToken);
    expect(errorCode(byOther)).toBe('FORBIDDEN');
    const byOwnerOfIt = await graphql<{ updateDocument: { title: string } }>(
      platform.url,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "Still mine" }) { title } }',
      { id },
      member.accessToken,
    );
    expect(byOwnerOfIt.data!.updateDocument.title).toBe('Still mine');
    const byAdmin = await graphql<{ deleteDocument: boolean }>(platform.url, 'mutation ($id: ID!) { deleteDocument(id: $id) }', { id }, admin.accessToken);
    expect(byAdmin.data!.deleteDocument).toBe(true);
  });

  it('only ADMIN and above set categories', async () => {
    const set = 'mutation { setCategories(categories: [{ name: "nda", description: "NDAs" }]) }';
    expect(errorCode(await graphql(platform.url, set, {}, member.accessToken))).toBe('FORBIDDEN');
    expect((await graphql<{ setCategories: string[] }>(platform.url, set, {}, admin.accessToken)).data!.setCategories).toEqual(['nda']);
  });

  it('anonymous callers reach only sign-up, login and refresh', async () => {
    for (const query of ['{ me { role } }', '{ members { role } }', '{ documents { totalCount } }', '{ categories }', '{ policies { id } }', '{ unreadNotificationCount }']) {
      expect(errorCode(await graphql(platform.url, query))).toBe('UNAUTHENTICATED');
    }
  });
});
