import { errorCode, graphql } from '../support/graphql-client';
import { login, PASSWORD, signUpOwner } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

describe('a new organization, end to end through the gateway', () => {
  it('signs up, logs in, refreshes (detecting reuse) and manages documents', async () => {
    const url = platform.url;
    const owner = await signUpOwner(url, 'Analytical Engines');

    const me = await graphql<{ me: { user: { email: string }; organization: { name: string }; role: string } }>(
      url,
      '{ me { user { email } organization { name } role } }',
      {},
      owner.accessToken,
    );
    expect(me.data?.me).toEqual({ user: { email: owner.email }, organization: { name: 'Analytical Engines' }, role: 'OWNER' });

    const session = await login(url, owner.email, PASSWORD);
    expect(session.userId).toBe(owner.userId);

    // Refresh rotates; the rotated token presented again revokes the whole family.
    const refreshed = await graphql<{ refreshSession: { accessToken: string; refreshToken: string } }>(
      url,
      'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }',
      { t: session.refreshToken },
    );
    const next = refreshed.data!.refreshSession;
    expect(next.refreshToken).not.toBe(session.refreshToken);
    const reused = await graphql(url, 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', { t: session.refreshToken });
    expect(errorCode(reused)).toBe('UNAUTHENTICATED');
    const afterReuse = await graphql(url, 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', { t: next.refreshToken });
    expect(errorCode(afterReuse)).toBe('UNAUTHENTICATED');

    // Documents: create, read across subgraphs, page, update, delete.
    const token = next.accessToken;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await graphql<{ createTextDocument: { id: string; status: string; byteSize: number; uploadedBy: { email: string }; chunkCount: number } }>(
        url,
        'mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id status byteSize uploadedBy { email } chunkCount } }',
        { input: { title: `Agreement ${i}`, text: `Master services agreement ${i} — Ünïcode`, tags: i % 2 ? ['odd'] : ['even'] } },
        token,
      );
      expect(created.errors).toBeUndefined();
      const document = created.data!.createTextDocument;
      expect(document.status).toBe('QUEUED');
      expect(document.byteSize).toBe(Buffer.byteLength(`Master services agreement ${i} — Ünïcode`));
      expect(document.uploadedBy.email).toBe(owner.email); // resolved by accounts
      expect(document.chunkCount).toBe(0); // resolved by search
      ids.push(document.id);
    }

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof graphql<{ documents: { totalCount: number; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>>> =
        await graphql(
          url,
          'query ($after: String) { documents(first: 2, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
          { after },
          token,
        );
      const connection = page.data!.documents;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);

    const filtered = await graphql<{ documents: { edges: { node: { title: string } }[] } }>(
      url,
      '{ documents(filter: { tag: "odd" }, orderBy: { field: TITLE, direction: DESC }) { edges { node { title } } } }',
      {},
      token,
    );
    expect(filtered.data!.documents.edges.map((e) => e.node.title)).toEqual(['Agreement 3', 'Agreement 1']);

    const updated = await graphql<{ updateDocument: { title: string; tags: string[]; classification: { label: string } } }>(
      url,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "Renamed", tags: ["x"], category: "contract" }) { title tags classification { label } } }',
      { id: ids[0] },
      token,
    );
    expect(updated.data!.updateDocument).toEqual({ title: 'Renamed', tags: ['x'], classification: { label: 'contract' } });

    const deleted = await graphql<{ deleteDocument: boolean }>(url, 'mutation ($id: ID!) { deleteDocument(id: $id) }', { id: ids[0] }, token);
    expect(deleted.data!.deleteDocument).toBe(true);
    const gone = await graphql<{ document: unknown }>(url, 'query ($id: ID!) { document(id: $id) { id } }', { id: ids[0] }, token);
    expect(gone.data!.document).toBeNull();

    const loggedOut = await graphql<{ logout: boolean }>(url, 'mutation ($t: String!) { logout(refreshToken: $t) }', { t: session.refreshToken });
    expect(loggedOut.data?.logout).toBe(true);
  });

  it('accepts an API key through the gateway, and refuses it once revoked', async () => {
    const url = platform.url;
    const owner = await signUpOwner(url);
    const created = await graphql<{ createApiKey: { secret: string; apiKey: { id: string; role: string } } }>(
      url,
      'mutation { createApiKey(input: { name: "ci", role: MEMBER }) { secret apiKey { id role } } }',
      {},
      owner.accessToken,
    );
    const { secret, apiKey } = created.data!.createApiKey;
    const withKey = await graphql<{ me: { role: string }; documents: { totalCount: number } }>(url, '{ me { role } documents { totalCount } }', {}, secret);
    expect(withKey.data).toEqual({ me: { role: 'MEMBER' }, documents: { totalCount: 0 } });

    const revoked = await graphql(url, 'mutation ($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id }, owner.accessToken);
    expect(revoked.errors).toBeUndefined();
    // A fresh gateway-side cache entry is not kept for a revoked key beyond its short TTL;
    // accounts itself refuses it at once.
    const direct = await graphql(platform.subgraphs.get('accounts')!.url, '{ me { role } }', {}, secret);
    expect(errorCode(direct)).toBe('UNAUTHENTICATED');
  });
});
