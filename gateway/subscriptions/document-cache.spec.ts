import { buildSchema } from 'graphql';
import { createDocumentCache } from './document-cache';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Subscription { documentUpdated: Doc }
  type Doc { id: ID! title: String }
`);

describe('createDocumentCache', () => {
  it('parses a text once and answers the same document for it', () => {
    const cache = createDocumentCache();
    const a = cache.parse('subscription { documentUpdated { id } }');
    const b = cache.parse('subscription { documentUpdated { id } }');
    const c = cache.parse('subscription { documentUpdated { title } }');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('remembers validation per schema, errors included', () => {
    const cache = createDocumentCache();
    const bad = cache.parse('subscription { documentUpdated { nope } }');
    const errors = cache.validate(schema, bad);
    expect(errors.map((e) => e.message)).toEqual(['Cannot query field "nope" on type "Doc".']);
    expect(cache.validate(schema, bad)).toBe(errors);
    // Another schema (a new supergraph) is validated afresh.
    const other = buildSchema(
      'type Query { ok: Boolean } type Doc { nope: Int } type Subscription { documentUpdated: Doc }',
    );
    expect(cache.validate(other, bad)).toEqual([]);
  });

  it('drops the oldest text beyond its bound', () => {
    const cache = createDocumentCache(2);
    const first = cache.parse('subscription { documentUpdated { id } }');
    cache.parse('subscription { documentUpdated { title } }');
    cache.parse('subscription { documentUpdated { id title } }');
    expect(cache.parse('subscription { documentUpdated { id } }')).not.toBe(first);
  });
});
