import { Field, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../../core/auth/role';
import type { Me as MeData, Session } from '../services/issue-session.service';
import {
  IsAcceptablePassword,
  IsAccountEmail,
  IsDisplayName,
  IsLoginEmail,
  IsLoginPassword,
} from './input-rules';
import { Organization, toOrganization } from './organization.types';
import { toUser, User } from './user.types';

@ObjectType({
  description: 'The caller: who they are, in which organization, acting with which role',
})
export class Me {
  @Field(() => User)
  user: User;

  @Field(() => Organization)
  organization: Organization;

  @Field(() => Role, { description: "The role the caller acts with (an API key's own role)" })
  role: Role;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Short-lived JWT for Authorization: Bearer' })
  accessToken: string;

  @Field(() => String, { description: 'Opaque, single use: exchange it with refreshSession' })
  refreshToken: string;

  @Field(() => Date, { description: 'When the access token expires' })
  expiresAt: Date;

  @Field(() => Me)
  me: Me;
}

@InputType()
export class SignUpInput {
  @Field(() => String)
  @IsAccountEmail()
  email: string;

  @Field(() => String, {
    description: '10 to 200 characters, not a common password, 3 character classes unless 16+ long',
  })
  @IsAcceptablePassword()
  password: string;

  @Field(() => String)
  @IsDisplayName()
  name: string;

  @Field(() => String)
  @IsDisplayName()
  organizationName: string;
}

@InputType()
export class LoginInput {
  @Field(() => String)
  @IsLoginEmail()
  email: string;

  @Field(() => String)
  @IsLoginPassword()
  password: string;
}

export function toMe(me: MeData): Me {
  return { user: toUser(me.user), organization: toOrganization(me.organization), role: me.role };
}

export function toAuthPayload(session: Session): AuthPayload {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    expiresAt: session.expiresAt,
    me: toMe(session.me),
  };
}
