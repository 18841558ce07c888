import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { UserRecord } from '../entities/user.entity';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person who signs in; visible to the members of their organization' })
export class User {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => Date)
  createdAt: Date;
}

export function toUser(record: UserRecord): User {
  return { id: record.id, email: record.email, name: record.name, createdAt: record.createdAt };
}
