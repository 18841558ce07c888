import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import { authorizeMe } from '../policies/user.policy';
import type { AccountsServices } from '../services';
import { AuthPayload, LoginInput, Me, SignUpInput, toAuthPayload, toMe } from './session.types';

/** Signing up, in and out, refreshing, and who the caller is. */
@Resolver()
export class SessionResolver {
  constructor(private readonly services: AccountsServices) {}

  @Query(() => Me, { description: 'The caller: user, organization and role' })
  async me(@Ctx() ctx: SubgraphContext): Promise<Me> {
    return toMe(await this.services.me.execute(authorizeMe(ctx.principal)));
  }

  @Mutation(() => AuthPayload, {
    description: 'Creates an organization with you as its OWNER, and signs you in',
  })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput): Promise<AuthPayload> {
    return toAuthPayload(await this.services.signUp.execute(input));
  }

  @Mutation(() => AuthPayload)
  async login(@Arg('input', () => LoginInput) input: LoginInput): Promise<AuthPayload> {
    return toAuthPayload(await this.services.login.execute(input));
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (once) for new tokens' })
  async refreshSession(
    @Arg('refreshToken', () => String) refreshToken: string,
  ): Promise<AuthPayload> {
    return toAuthPayload(await this.services.refreshSession.execute(refreshToken));
  }

  @Mutation(() => Boolean, {
    description: "Ends the refresh token's session; true also when the token was unknown",
  })
  async logout(@Arg('refreshToken', () => String) refreshToken: string): Promise<boolean> {
    return this.services.logout.execute(refreshToken);
  }
}
