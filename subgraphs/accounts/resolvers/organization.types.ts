import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { OrganizationRecord } from '../entities/organization.entity';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A tenant: every document, policy and member belongs to one' })
export class Organization {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'Unique, URL-safe, derived from the name' })
  slug: string;

  @Field(() => Date)
  createdAt: Date;
}

export function toOrganization(record: OrganizationRecord): Organization {
  return { id: record.id, name: record.name, slug: record.slug, createdAt: record.createdAt };
}
