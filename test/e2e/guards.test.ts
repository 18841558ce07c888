import { randomUUID } from 'node:crypto';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type IntrospectionQuery,
} from 'graphql';
import { errorCode, graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * Who may call each root operation, declared once. A new operation fails this test until it is
 * added here, so a change of who can reach what shows up in review (STYLE.md).
 */
const PUBLIC = new Set(['signUp', 'login', 'refreshSession', 'logout']);

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, sampleValue(f.type)]));
  }
  if (isScalarType(type)) {
    if (type.name === 'ID') return randomUUID();
    if (type.name === 'Int' || type.name === 'Float') return 1;
    if (type.name === 'Boolean') return true;
    if (type.name === 'DateTime') return new Date().toISOString();
    if (type.name === 'String') return 'sample-value-long-enough@example.com';
    return {};
  }
  return null;
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): { text: string; variables: Record<string, unknown> } {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const declarations = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return {
    text: `${kind}${declarations ? ` (${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a) => [a.name, sampleValue(a.type)])),
  };
}

describe('the guard of every root operation', () => {
  it('refuses anonymous callers everywhere except sign-up, login, refresh and logout', async () => {
    const introspection = await graphql<IntrospectionQuery>(platform.url, getIntrospectionQuery());
    const schema = buildClientSchema(introspection.data!);
    const checked: string[] = [];
    for (const kind of ['query', 'mutation'] as const) {
      const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (field.name.startsWith('_')) continue;
        const { text, variables } = operationFor(kind, field);
        const response = await graphql(platform.url, text, variables);
        const code = errorCode(response);
        if (PUBLIC.has(field.name)) expect([field.name, code]).not.toEqual([field.name, 'UNAUTHENTICATED']);
        else expect([field.name, code]).toEqual([field.name, 'UNAUTHENTICATED']);
        checked.push(field.name);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['me', 'documents', 'signUp', 'createTextDocument']));
  });
});
