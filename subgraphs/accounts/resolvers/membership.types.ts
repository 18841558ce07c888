import { Field, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../../core/auth/role';
import type { MembershipRecord } from '../entities/membership.entity';
import type { UserRecord } from '../entities/user.entity';
import { IsAcceptablePassword, IsAccountEmail, IsDisplayName } from './input-rules';
import { toUser, User } from './user.types';

@ObjectType({ description: "A user's place in the caller's organization" })
export class Membership {
  @Field(() => User)
  user: User;

  @Field(() => Role)
  role: Role;
}

@InputType()
export class AddMemberInput {
  @Field(() => String)
  @IsAccountEmail()
  email: string;

  @Field(() => String)
  @IsDisplayName()
  name: string;

  @Field(() => String, { description: 'Their first password; the same rules as at sign-up' })
  @IsAcceptablePassword()
  password: string;

  @Field(() => Role, { description: 'At most the role of the one who adds them' })
  role: Role;
}

export function toMembership(membership: {
  role: MembershipRecord['role'];
  user: UserRecord;
}): Membership {
  return { user: toUser(membership.user), role: membership.role };
}
