import { errorCode } from '../../../test/support/graphql-client';
import {
  AccountsHarness,
  PASSWORD,
  uniqueEmail,
  type TestSession,
} from '../testing/accounts-harness';

const ADD_MEMBER = `mutation ($input: AddMemberInput!) { addMember(input: $input) { user { id email name } role } }`;
const MEMBERS = `{ members { user { id email name } role } }`;
const CREATE_API_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

describe('accounts: members and roles', () => {
  let accounts: AccountsHarness;

  beforeAll(async () => {
    accounts = await AccountsHarness.start();
  });

  afterAll(async () => {
    await accounts?.stop();
  });

  const addMember = (
    caller: TestSession | string,
    input: Partial<Record<'email' | 'name' | 'password' | 'role', string>>,
  ) =>
    accounts.gql<{
      addMember: { user: { id: string; email: string; name: string }; role: string };
    }>(
      ADD_MEMBER,
      {
        input: {
          email: uniqueEmail(),
          name: 'New Member',
          password: PASSWORD,
          role: 'MEMBER',
          ...input,
        },
      },
      typeof caller === 'string' ? caller : caller.accessToken,
    );

  it('lets an OWNER add a member, who can then sign in into the same organization', async () => {
    const owner = await accounts.signUp();
    const email = uniqueEmail();
    const added = await addMember(owner, {
      email: email.toUpperCase(),
      name: ' Edsger ',
      role: 'ADMIN',
    });
    expect(added.errors).toBeUndefined();
    expect(added.data?.addMember).toEqual({
      user: { id: expect.any(String), email, name: 'Edsger' },
      role: 'ADMIN',
    });

    const login = await accounts.login(email);
    expect(login.data?.login.me.organization).toEqual(owner.me.organization);
    expect(login.data?.login.me.role).toBe('ADMIN');
  });

  it('lets an ADMIN add ADMINs and below, never an OWNER', async () => {
    const owner = await accounts.signUp();
    const admin = await accounts.member(owner, 'ADMIN');
    for (const role of ['ADMIN', 'MEMBER', 'VIEWER']) {
      expect((await addMember(admin, { role })).data?.addMember.role).toBe(role);
    }
    const email = uniqueEmail();
    const owner2 = await addMember(admin, { role: 'OWNER', email });
    expect(errorCode(owner2)).toBe('FORBIDDEN');
    expect(owner2.errors?.[0].message).toMatch(/cannot grant the OWNER role/);
    expect(
      await accounts.sql(`SELECT 1 FROM accounts.users WHERE email = $1`, [email]),
    ).toHaveLength(0);
    // An OWNER may make another OWNER.
    expect((await addMember(owner, { role: 'OWNER' })).data?.addMember.role).toBe('OWNER');
  });

  it.each(['MEMBER', 'VIEWER'])('refuses a %s adding members', async (role) => {
    const owner = await accounts.signUp();
    const member = await accounts.member(owner, role);
    const response = await addMember(member, { role: 'VIEWER' });
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.errors?.[0].message).toMatch(/addMember requires the ADMIN role or above/);
  });

  it('refuses API keys adding members, even an OWNER key', async () => {
    const owner = await accounts.signUp();
    const key = await accounts.gql<{ createApiKey: { secret: string } }>(
      CREATE_API_KEY,
      { input: { name: 'ci', role: 'OWNER' } },
      owner.accessToken,
    );
    const response = await addMember(key.data!.createApiKey.secret, { role: 'VIEWER' });
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.errors?.[0].message).toMatch(/API key/);
  });

  it('refuses anonymous callers', async () => {
    expect(
      errorCode(
        await accounts.gql(ADD_MEMBER, {
          input: { email: uniqueEmail(), name: 'X', password: PASSWORD, role: 'VIEWER' },
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(errorCode(await accounts.gql(MEMBERS))).toBe('UNAUTHENTICATED');
  });

  it('refuses an address that already has an account, in any organization', async () => {
    const owner = await accounts.signUp();
    const elsewhere = await accounts.signUp();
    const response = await addMember(owner, { email: elsewhere.me.user.email.toUpperCase() });
    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.errors?.[0].extensions?.field).toBe('email');
  });

  it.each([
    ['email', { email: 'nope' }],
    ['password', { password: 'qwertyuiop' }],
    ['name', { name: 'x'.repeat(101) }],
  ])('refuses a bad %s as BAD_USER_INPUT', async (field, input) => {
    const owner = await accounts.signUp();
    const response = await addMember(owner, input);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].extensions?.field).toBe(field);
  });

  it("shows every member (VIEWER included) the organization's members, and only them", async () => {
    const owner = await accounts.signUp();
    const viewer = await accounts.member(owner, 'VIEWER');
    const other = await accounts.signUp();
    await accounts.member(other, 'MEMBER');

    const response = await accounts.gql<{
      members: { user: { id: string; email: string }; role: string }[];
    }>(MEMBERS, {}, viewer.accessToken);
    expect(response.errors).toBeUndefined();
    expect(response.data?.members).toEqual([
      {
        user: { id: owner.me.user.id, email: owner.me.user.email, name: owner.me.user.name },
        role: 'OWNER',
      },
      {
        user: { id: viewer.me.user.id, email: viewer.me.user.email, name: viewer.me.user.name },
        role: 'VIEWER',
      },
    ]);
  });
});
