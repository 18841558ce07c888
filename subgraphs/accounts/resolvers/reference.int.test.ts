import { AccountsHarness } from '../testing/accounts-harness';
import { errorCode } from '../../../test/support/graphql-client';

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { id email name }
    ... on Organization { id name slug }
  }
}`;

describe('accounts: entity references', () => {
  let accounts: AccountsHarness;

  beforeAll(async () => {
    accounts = await AccountsHarness.start();
  });

  afterAll(async () => {
    await accounts?.stop();
  });

  const entities = (representations: unknown[], token?: string) =>
    accounts.gql<{ _entities: (Record<string, string> | null)[] }>(
      ENTITIES,
      { representations },
      token,
    );

  it("resolves users of the caller's organization and nobody else", async () => {
    const owner = await accounts.signUp();
    const colleague = await accounts.member(owner, 'VIEWER');
    const stranger = await accounts.signUp();
    const response = await entities(
      [
        { __typename: 'User', id: colleague.me.user.id },
        { __typename: 'User', id: owner.me.user.id.toUpperCase() },
        { __typename: 'User', id: stranger.me.user.id },
        { __typename: 'User', id: '00000000-0000-4000-8000-000000000000' },
        { __typename: 'User', id: 'not-an-id' },
      ],
      colleague.accessToken,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      { id: colleague.me.user.id, email: colleague.me.user.email, name: colleague.me.user.name },
      { id: owner.me.user.id, email: owner.me.user.email, name: owner.me.user.name },
      null,
      null,
      null,
    ]);
  });

  it("resolves only the caller's own organization", async () => {
    const owner = await accounts.signUp();
    const stranger = await accounts.signUp();
    const response = await entities(
      [
        { __typename: 'Organization', id: owner.me.organization.id },
        { __typename: 'Organization', id: stranger.me.organization.id },
        { __typename: 'Organization', id: 'nope' },
      ],
      owner.accessToken,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([owner.me.organization, null, null]);
  });

  it('refuses anonymous callers', async () => {
    const owner = await accounts.signUp();
    const response = await entities([{ __typename: 'User', id: owner.me.user.id }]);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });
});
