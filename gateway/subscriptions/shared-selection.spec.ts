import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createSharingRule } from './shared-selection';

/** A supergraph in miniature: marks, entities (`@join__type(key:)`) and value types. */
const SUPERGRAPH = `
  directive @join__type(graph: String, key: String, resolvable: Boolean) repeatable on OBJECT | INTERFACE
  directive @sameForOrganization on FIELD_DEFINITION | OBJECT

  type Query {
    document(id: ID!): Document @sameForOrganization
    notification(id: ID!): Notification
    search(text: String!): [Hit!]! @sameForOrganization
  }

  type Document @join__type(graph: "documents", key: "id") @sameForOrganization {
    id: ID! @sameForOrganization
    title: String! @sameForOrganization
    viewerCan: Permissions!
    processing: Processing! @sameForOrganization
    uploadedBy: User! @sameForOrganization
    owner: Person! @sameForOrganization
  }

  type Permissions { update: Boolean! }
  "A value type: no reference to resolve, so only its fields need the mark."
  type Processing { progress: Float! @sameForOrganization error: String }

  type User @join__type(graph: "accounts", key: "id") @sameForOrganization {
    id: ID! @sameForOrganization
    name: String! @sameForOrganization
    lastSeen: String
    manager: Member! @sameForOrganization
  }
  "An entity without the type mark: reaching it by reference may depend on the role."
  type Member @join__type(graph: "accounts", key: "id") {
    id: ID! @sameForOrganization
    name: String! @sameForOrganization
  }

  interface Person { name: String! }
  type Staff implements Person @join__type(graph: "accounts", key: "id") @sameForOrganization {
    id: ID! @sameForOrganization
    name: String! @sameForOrganization
  }
  type Guest implements Person @join__type(graph: "accounts", key: "id") @sameForOrganization {
    id: ID! @sameForOrganization
    name: String!
  }

  union Hit = Document | User

  type Notification @join__type(graph: "notifications", key: "id") {
    id: ID!
    title: String!
  }
`;

const shared = createSharingRule(SUPERGRAPH);
const isShared = (query: string) => shared(parse(query));

describe('createSharingRule (the selection walker)', () => {
  it('shares a selection whose every field and entered entity is marked', () => {
    expect(isShared('query { document(id: "1") { id title processing { progress } } }')).toBe(true);
  });

  it('keeps any unmarked field per caller, however deep', () => {
    expect(isShared('query { document(id: "1") { id viewerCan { update } } }')).toBe(false);
    expect(isShared('query { document(id: "1") { processing { progress error } } }')).toBe(false);
    expect(isShared('query { notification(id: "1") { id } }')).toBe(false);
    // A field the supergraph does not know (a newer client) is never assumed safe.
    expect(isShared('query { document(id: "1") { id nope } }')).toBe(false);
  });

  it('takes __typename anywhere, even on an unmarked type', () => {
    expect(isShared('query { document(id: "1") { __typename id } }')).toBe(true);
    expect(isShared('query { document(id: "1") { viewerCan { __typename } } }')).toBe(false);
  });

  it('walks into entity hops: every field there and the entity type itself need the mark', () => {
    expect(isShared('query { document(id: "1") { uploadedBy { id name } } }')).toBe(true);
    expect(isShared('query { document(id: "1") { uploadedBy { name lastSeen } } }')).toBe(false);
    // Member's fields are marked but resolving a Member reference is not.
    expect(isShared('query { document(id: "1") { uploadedBy { manager { id } } } }')).toBe(false);
  });

  it('walks through named fragments, nested ones and inline fragments', () => {
    const fragments = `
      fragment Doc on Document { id ...Uploader }
      fragment Uploader on Document { uploadedBy { ... on User { name } } }
    `;
    expect(isShared(`query { document(id: "1") { ...Doc } } ${fragments}`)).toBe(true);
    expect(
      isShared(`query { document(id: "1") { ...Doc ... on Document { viewerCan { update } } } }
      ${fragments}`),
    ).toBe(false);
    expect(
      isShared(`query { document(id: "1") { ...Doc } }
      fragment Doc on Document { ... { uploadedBy { lastSeen } } }`),
    ).toBe(false);
    // A spread of a fragment the query does not define is refused, not skipped.
    expect(isShared('query { document(id: "1") { ...Missing } }')).toBe(false);
  });

  it('asks every object type an interface or union may be', () => {
    // Guest.name is unmarked: an owner that is a Guest would be answered per caller.
    expect(isShared('query { document(id: "1") { owner { name } } }')).toBe(false);
    expect(isShared('query { document(id: "1") { owner { ... on Staff { name } } } }')).toBe(true);
    expect(isShared('query { search(text: "x") { __typename ... on User { name } } }')).toBe(true);
    expect(
      isShared('query { search(text: "x") { ... on Document { viewerCan { update } } } }'),
    ).toBe(false);
  });

  it('reads the real supergraph: the bench selection is shared, viewerCan and notifications are not', () => {
    const real = createSharingRule(
      readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
    );
    const check = (query: string) => real(parse(query));
    expect(
      check(
        'query ($id: ID!) { d: document(id: $id) { id title status chunkCount uploadedBy { id name } } }',
      ),
    ).toBe(true);
    expect(
      check('query ($id: ID!) { finding(id: $id) { id severity document { id title } } }'),
    ).toBe(true);
    expect(check('query ($id: ID!) { document(id: $id) { id viewerCan { update } } }')).toBe(false);
    expect(check('query ($id: ID!) { notification(id: $id) { id title } }')).toBe(false);
  });
});
