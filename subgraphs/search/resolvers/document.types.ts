import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The documents subgraph's Document, which search extends with what its index knows. Search
 * does not decide whether a document is visible (documents does): it resolves any reference to
 * `{ id }` and answers each of its own fields under its own scope (policies/chunk.policy.ts).
 */
@Directive('@key(fields: "id")')
@ObjectType('Document')
export class Document {
  @Field(() => ID)
  id: string;
}
