import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import { authorizeWebhooks } from '../policies/webhook.policy';
import type { NotificationServices } from '../services';
import {
  toWebhookDelivery,
  toWebhookEndpoint,
  WebhookCreated,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookInput,
} from './webhook.types';

@Resolver()
export class WebhookResolver {
  constructor(private readonly services: NotificationServices) {}

  @Query(() => [WebhookEndpoint], { description: "The organization's webhooks (ADMIN and above)" })
  async webhooks(@Ctx() ctx: SubgraphContext): Promise<WebhookEndpoint[]> {
    const principal = authorizeWebhooks(ctx.principal, 'Reading webhooks');
    return (await this.services.webhooks.list(principal)).map(toWebhookEndpoint);
  }

  @Query(() => [WebhookDelivery], { description: "A webhook's delivery log, newest first" })
  async webhookDeliveries(
    @Arg('webhookId', () => ID) webhookId: string,
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
  ): Promise<WebhookDelivery[]> {
    const principal = authorizeWebhooks(ctx.principal, 'Reading webhook deliveries');
    return (await this.services.webhooks.deliveriesOf(principal, webhookId, first ?? 20)).map(
      toWebhookDelivery,
    );
  }

  @Mutation(() => WebhookCreated, { description: 'The signing secret is in the answer, once' })
  async createWebhook(
    @Arg('input', () => WebhookInput) input: WebhookInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<WebhookCreated> {
    const principal = authorizeWebhooks(ctx.principal, 'Creating webhooks');
    const created = await this.services.webhooks.create(principal, {
      url: input.url,
      events: input.events ?? [],
    });
    return { webhook: toWebhookEndpoint(created.webhook), secret: created.secret };
  }

  @Mutation(() => Boolean)
  async deleteWebhook(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.webhooks.delete(authorizeWebhooks(ctx.principal, 'Deleting webhooks'), id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a webhook.test event now' })
  async testWebhook(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<WebhookDelivery> {
    const principal = authorizeWebhooks(ctx.principal, 'Testing webhooks');
    return toWebhookDelivery(await this.services.webhooks.test(principal, id));
  }
}
