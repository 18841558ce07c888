import type { IncomingMessage } from 'node:http';
import { readCacheableRequest } from './cacheable-request';

function request(method: string, headers: Record<string, string>, url = '/graphql') {
  return { method, url, headers } as unknown as IncomingMessage;
}
const json = { 'content-type': 'application/json' };
const QUERY = 'query Q { me { role } }';
const persisted = (sha256Hash: string, version = 1) => ({
  persistedQuery: { version, sha256Hash },
});

describe('readCacheableRequest', () => {
  it('reads a plain JSON POST as Apollo does', () => {
    expect(
      readCacheableRequest(request('POST', { 'content-type': 'application/json; charset=utf-8' }), {
        query: QUERY,
        operationName: null,
        variables: { a: 1 },
      }),
    ).toEqual({
      query: QUERY,
      persistedHash: undefined,
      operationName: undefined,
      variables: { a: 1 },
      contentType: 'application/json; charset=utf-8',
    });
  });

  it('reads a hash without text; leaves registrations and other versions to Apollo', () => {
    expect(
      readCacheableRequest(request('POST', json), { extensions: persisted('abc') })?.persistedHash,
    ).toBe('abc');
    expect(
      readCacheableRequest(request('POST', json), { query: QUERY, extensions: persisted('abc') }),
    ).toBeNull();
    expect(
      readCacheableRequest(request('POST', json), { extensions: persisted('abc', 2) }),
    ).toBeNull();
  });

  it('leaves to Apollo what it would refuse or treat differently', () => {
    const refused: [IncomingMessage, unknown][] = [
      [request('POST', { 'content-type': 'text/plain' }), { query: QUERY }], // CSRF
      [request('POST', { 'content-type': 'application/json, text/plain' }), { query: QUERY }],
      [request('POST', json), [{ query: QUERY }]], // batch
      [request('POST', json), { query: '' }],
      [request('POST', json), { query: QUERY, variables: '{}' }],
      [request('POST', json), { query: QUERY, operationName: 3 }],
      [request('POST', json), {}],
      [request('POST', { ...json, accept: 'text/html' }), { query: QUERY }],
      [request('PUT', json), { query: QUERY }],
      // GET: CSRF prevention needs a preflight header or a JSON content type.
      [request('GET', {}, `/graphql?query=${encodeURIComponent(QUERY)}`), undefined],
      [
        request(
          'GET',
          { 'apollo-require-preflight': 'true' },
          `/graphql?query=${encodeURIComponent(QUERY)}&query=x`,
        ),
        undefined,
      ],
    ];
    for (const [incoming, body] of refused) expect(readCacheableRequest(incoming, body)).toBeNull();
  });

  it('reads a preflighted GET, and negotiates the graphql-response type', () => {
    const search = new URLSearchParams({ query: QUERY, variables: '{"a":1}' });
    expect(
      readCacheableRequest(
        request(
          'GET',
          { 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' },
          `/graphql?${search}`,
        ),
        undefined,
      ),
    ).toMatchObject({
      query: QUERY,
      variables: { a: 1 },
      contentType: 'application/graphql-response+json; charset=utf-8',
    });
  });
});
