import { signUpOwner } from '../support/actors';
import { graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { subscribe, until, type Subscriber } from '../support/subscriptions';

/**
 * A credential revoked while its subscription is open: the gateway verifies API keys again on
 * an interval (SUBSCRIPTION_REVERIFY_MS, short here) and closes their connections with 4403.
 * The bound is that interval plus the gateway's API-key cache life (30 s), hence the long wait.
 */
let platform: TestPlatform;
const open: Subscriber[] = [];

beforeAll(async () => {
  platform = await startTestPlatform({ SUBSCRIPTION_REVERIFY_MS: '250' });
}, 60_000);

afterAll(async () => {
  await Promise.all(open.map((s) => s.dispose()));
  await platform?.stop();
});

const QUERY = 'subscription { documentUpdated { id title } }';

it('an API key revoked while subscribed closes its connection with 4403; others stay', async () => {
  const owner = await signUpOwner(platform.url);
  const created = await graphql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    platform.url,
    'mutation { createApiKey(input: { name: "live", role: MEMBER }) { secret apiKey { id } } }',
    {},
    owner.accessToken,
  );
  const { secret, apiKey } = created.data!.createApiKey;
  const byKey = subscribe(platform.url, secret, QUERY);
  const byUser = subscribe(platform.url, owner.accessToken, QUERY);
  open.push(byKey, byUser);
  const hub = platform.gateway.subscriptions.hub;
  await until(() => hub.size >= 2, 10_000, 'both subscriptions');

  // Swept several times while the key is valid: nothing is closed.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(hub.size).toBe(2);

  const revoked = await graphql(
    platform.url,
    'mutation ($id: ID!) { revokeApiKey(id: $id) }',
    { id: apiKey.id },
    owner.accessToken,
  );
  expect(revoked.errors).toBeUndefined();

  const closed = await byKey.closed;
  expect(closed.code).toBe(4403);
  expect(closed.reason).toMatch(/revoked/i);
  await until(() => hub.size === 1, 5_000, 'the revoked subscription to end');
  const stillOpen = await Promise.race([
    byUser.closed.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), 500)),
  ]);
  expect(stillOpen).toBe(true);
}, 60_000);
