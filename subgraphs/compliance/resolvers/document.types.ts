import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

/**
 * The documents subgraph's Document, which compliance extends with its verdict. Compliance does
 * not decide whether a document is visible (documents does): any reference resolves to `{ id }`
 * and compliance's own fields answer under the caller's organization.
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
