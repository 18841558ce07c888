import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

/**
 * The documents subgraph's Document, which search extends with what its index knows. Search
 * does not decide whether a document is visible (documents does): it resolves any reference to
 * `{ id }` and answers each of its own fields under its own scope (policies/chunk.policy.ts).
 */
// Any reference resolves to { id }, whoever asks.
@SameForOrganization()
@Directive('@key(fields: "id")')
@ObjectType('Document')
export class Document {
  @SameForOrganization()
  @Field(() => ID)
  id: string;
}
