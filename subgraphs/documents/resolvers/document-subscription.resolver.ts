import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { Document } from './document.types';

/**
 * `documentUpdated` is declared here so it composes into the supergraph; the gateway serves it
 * (gateway/subscriptions/): per event it resolves the subscriber's selection through
 * `document(id:)` with the subscriber's identity.
 */
@Resolver()
export class DocumentSubscriptionResolver {
  @Subscription(() => Document, {
    description:
      'A document changed (uploaded, processing, processed, failed, edited): one document, or every document of the organization when id is omitted',
    subscribe: () => {
      throw new Error('documentUpdated is served by the gateway');
    },
  })
  documentUpdated(
    @Root() document: Document,
    @Arg('id', () => ID, { nullable: true }) _id?: string,
  ): Document {
    return document;
  }
}
