import {
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type Source,
} from 'graphql';

/**
 * Parsed and validated subscription documents, by their text. Clients subscribe with a few
 * distinct operations; a reconnect storm of thousands of sockets would otherwise parse and
 * validate the same text thousands of times (about a millisecond each) and push connection_init
 * answers past their timeout (4408). Documents are never mutated (the rewrite builds new ones),
 * so sharing them is safe. Bounded: the oldest text is dropped first.
 */
export function createDocumentCache(maxDocuments = 1_000): {
  parse: typeof parse;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
} {
  const documents = new Map<string, DocumentNode>();
  const validations = new WeakMap<
    DocumentNode,
    { schema: GraphQLSchema; errors: readonly GraphQLError[] }
  >();
  return {
    parse: (source: string | Source, options) => {
      const text = typeof source === 'string' ? source : source.body;
      const cached = documents.get(text);
      if (cached) return cached;
      const document = parse(source, options);
      documents.set(text, document);
      if (documents.size > maxDocuments) documents.delete(documents.keys().next().value!);
      return document;
    },
    validate: (schema, document) => {
      const cached = validations.get(document);
      // A new supergraph is a new schema object: validate again against it.
      if (cached?.schema === schema) return cached.errors;
      const errors = validate(schema, document);
      validations.set(document, { schema, errors });
      return errors;
    },
  };
}
