import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../core/graphql/relay';
import { Severity } from '../../../core/graphql/severity';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Document')
export class DocumentReference {
  @SameForOrganization()
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Finding')
export class FindingReference {
  @SameForOrganization()
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Notification {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  kind: string;

  @Field(() => String)
  title: string;

  @Field(() => String)
  body: string;

  @Field(() => Severity)
  severity: Severity;

  @Field(() => Boolean)
  read: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => DocumentReference, { nullable: true })
  document: DocumentReference | null;

  @Field(() => FindingReference, {
    nullable: true,
    description: 'The compliance finding it is about (FINDING_OPENED, FINDING_RESOLVED)',
  })
  finding: FindingReference | null;
}

@ObjectType()
export class NotificationEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Notification)
  node: Notification;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => [NotificationEdge])
  edges: NotificationEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
