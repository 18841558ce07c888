import { disagreeingMarks } from './same-for-organization';

const documents = `
  type Query { document(id: ID!): Document @sameForOrganization }
  type Document @key(fields: "id") @sameForOrganization { id: ID! @sameForOrganization title: String! @sameForOrganization }
  type User @key(fields: "id", resolvable: false) { id: ID! @sameForOrganization }
`;

describe('disagreeingMarks', () => {
  it('accepts marks that every subgraph resolving the type or field agrees on', () => {
    const search = `type Document @key(fields: "id") @sameForOrganization { id: ID! @sameForOrganization chunkCount: Int! }`;
    const accounts = `type User @key(fields: "id") @sameForOrganization { id: ID! @sameForOrganization name: String! }`;
    expect(
      disagreeingMarks([
        { name: 'documents', sdl: documents },
        { name: 'search', sdl: search },
        { name: 'accounts', sdl: accounts },
      ]),
    ).toEqual([]);
  });

  it('names an entity or a shared field marked in one subgraph and not in another', () => {
    // search resolves Document references too, without vouching for them; accounts' User.id is unmarked.
    const search = `type Document @key(fields: "id") { id: ID! @sameForOrganization score: Float! }`;
    const accounts = `type User @key(fields: "id") { id: ID! name: String! }`;
    expect(
      disagreeingMarks([
        { name: 'documents', sdl: documents },
        { name: 'search', sdl: search },
        { name: 'accounts', sdl: accounts },
      ]),
    ).toEqual([
      expect.stringMatching(/^Document is @sameForOrganization in documents but not in search/),
      expect.stringMatching(/^User\.id is @sameForOrganization in documents but not in accounts/),
    ]);
  });

  it('leaves @external fields and unresolvable stubs to the subgraph that resolves them', () => {
    const reviews = `type Document @key(fields: "id", resolvable: false) { id: ID! @sameForOrganization title: String! @external }`;
    expect(
      disagreeingMarks([
        { name: 'documents', sdl: documents },
        { name: 'reviews', sdl: reviews },
      ]),
    ).toEqual([]);
  });
});
