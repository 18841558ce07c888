import { Resolver, Root, Subscription } from 'type-graphql';
import { Notification } from './notification.types';

/** Declared here to compose into the supergraph; served by the gateway through `notification(id:)`. */
@Resolver()
export class NotificationSubscriptionResolver {
  @Subscription(() => Notification, {
    description: "The caller's new notifications, as they are created",
    subscribe: () => {
      throw new Error('notificationReceived is served by the gateway');
    },
  })
  notificationReceived(@Root() notification: Notification): Notification {
    return notification;
  }
}
