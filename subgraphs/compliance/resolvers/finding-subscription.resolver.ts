import { Resolver, Root, Subscription } from 'type-graphql';
import type { FindingRecord } from '../entities/finding.entity';
import { Finding } from './finding.types';

/** Declared here to compose into the supergraph; served by the gateway through `finding(id:)`. */
@Resolver()
export class FindingSubscriptionResolver {
  @Subscription(() => Finding, {
    description: "New findings in the caller's organization, as they are opened",
    subscribe: () => {
      throw new Error('findingRaised is served by the gateway');
    },
  })
  findingRaised(@Root() finding: FindingRecord): FindingRecord {
    return finding;
  }
}
