import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The documents subgraph's Document, which compliance extends with its verdict. Compliance does
 * not decide whether a document is visible (documents does): any reference resolves to `{ id }`
 * and compliance's own fields answer under the caller's organization.
 */
@Directive('@key(fields: "id")')
@ObjectType('Document')
export class Document {
  @Field(() => ID)
  id: string;
}
