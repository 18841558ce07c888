import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import {
  authorizeCreateApiKey,
  authorizeListApiKeys,
  authorizeRevokeApiKeys,
} from '../policies/api-key.policy';
import type { AccountsServices } from '../services';
import { ApiKey, ApiKeyCreated, CreateApiKeyInput, toApiKey } from './api-key.types';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly services: AccountsServices) {}

  @Query(() => [ApiKey], { description: "The organization's active API keys (ADMIN and above)" })
  async apiKeys(@Ctx() ctx: SubgraphContext): Promise<ApiKey[]> {
    const keys = await this.services.listApiKeys.execute(authorizeListApiKeys(ctx.principal));
    return keys.map(toApiKey);
  }

  @Mutation(() => ApiKeyCreated, {
    description: 'Creates an API key; its secret is shown only in this answer',
  })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ApiKeyCreated> {
    const created = await this.services.createApiKey.execute(
      authorizeCreateApiKey(ctx.principal, input.role),
      input,
    );
    return { apiKey: toApiKey(created.apiKey), secret: created.secret };
  }

  @Mutation(() => Boolean, {
    description: 'Revokes an API key; true also when it was already revoked',
  })
  async revokeApiKey(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.revokeApiKey.execute(authorizeRevokeApiKeys(ctx.principal), id);
  }
}
