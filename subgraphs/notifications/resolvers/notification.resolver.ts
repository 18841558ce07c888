import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { NotificationServices } from '../services';
import { toNotification } from '../services/notification.service';
import { Notification, NotificationConnection } from './notification.types';

@Resolver(() => Notification)
export class NotificationResolver {
  constructor(private readonly services: NotificationServices) {}

  @Query(() => Notification, { nullable: true, description: "One of the caller's notifications" })
  async notification(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Notification | null> {
    const record = await this.services.notifications.find(requirePrincipal(ctx.principal), id);
    return record ? toNotification(record) : null;
  }

  @Query(() => NotificationConnection, { description: "The caller's notifications, newest first" })
  async notifications(
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('unreadOnly', () => Boolean, { nullable: true }) unreadOnly?: boolean,
  ): Promise<NotificationConnection> {
    const page = await this.services.notifications.list(requirePrincipal(ctx.principal), {
      first,
      after,
      unreadOnly,
    });
    return {
      ...page,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: toNotification(e.node) })),
    };
  }

  @Query(() => Int)
  async unreadNotificationCount(@Ctx() ctx: SubgraphContext): Promise<number> {
    return this.services.notifications.unreadCount(requirePrincipal(ctx.principal));
  }

  @Mutation(() => Notification)
  async markNotificationRead(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Notification> {
    return toNotification(
      await this.services.notifications.markRead(requirePrincipal(ctx.principal), id),
    );
  }

  @Mutation(() => Int, {
    description: 'Marks every unread notification read; answers how many changed',
  })
  async markAllNotificationsRead(@Ctx() ctx: SubgraphContext): Promise<number> {
    return this.services.notifications.markAllRead(requirePrincipal(ctx.principal));
  }
}

export async function resolveNotificationReference(
  services: NotificationServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<Notification | null> {
  const record = await services.notifications.find(requirePrincipal(ctx.principal), reference.id);
  return record ? toNotification(record) : null;
}
