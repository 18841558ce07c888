import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../../core/auth/role';
import type { ApiKeyRecord } from '../entities/api-key.entity';
import { IsDisplayName } from './input-rules';

@ObjectType({ description: "An organization's API key; it acts for its creator with its own role" })
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => String, {
    description: 'The public part of the key (dk_<prefix>_…), to recognize it',
  })
  prefix: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt: Date | null;
}

@ObjectType()
export class ApiKeyCreated {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field(() => String, { description: 'The whole key: shown once, store it now' })
  secret: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  @IsDisplayName()
  name: string;

  @Field(() => Role, { description: 'At most the role of the one who creates it' })
  role: Role;
}

export function toApiKey(record: ApiKeyRecord): ApiKey {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    prefix: record.prefix,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
  };
}
