import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { UserRecord } from '../entities/user.entity';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

// Resolved by reference among the members of the caller's organization; any role may (VIEWER and above).
@SameForOrganization()
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person who signs in; visible to the members of their organization' })
export class User {
  @SameForOrganization()
  @Field(() => ID)
  id: string;

  @SameForOrganization()
  @Field(() => String)
  email: string;

  @SameForOrganization()
  @Field(() => String)
  name: string;

  @SameForOrganization()
  @Field(() => Date)
  createdAt: Date;
}

export function toUser(record: UserRecord): User {
  return { id: record.id, email: record.email, name: record.name, createdAt: record.createdAt };
}
