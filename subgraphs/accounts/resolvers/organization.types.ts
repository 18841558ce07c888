import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { OrganizationRecord } from '../entities/organization.entity';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

// Resolved by reference as the caller's own organization; any role may (VIEWER and above).
@SameForOrganization()
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A tenant: every document, policy and member belongs to one' })
export class Organization {
  @SameForOrganization()
  @Field(() => ID)
  id: string;

  @SameForOrganization()
  @Field(() => String)
  name: string;

  @SameForOrganization()
  @Field(() => String, { description: 'Unique, URL-safe, derived from the name' })
  slug: string;

  @SameForOrganization()
  @Field(() => Date)
  createdAt: Date;
}

export function toOrganization(record: OrganizationRecord): Organization {
  return { id: record.id, name: record.name, slug: record.slug, createdAt: record.createdAt };
}
