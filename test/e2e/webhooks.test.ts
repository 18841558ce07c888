import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '../../core/auth/role';
import { createLogger } from '../../core/logging/logger';
import { createRedis } from '../../core/redis/redis';
import { startEventConsumers, type RunningConsumers } from '../../workers/events/event-consumers';
import { startScheduler } from '../../workers/scheduler';
import type { RunningRole } from '../../workers/worker';
import { addMember, createTextDocument, signUpOwner } from '../support/actors';
import { errorCode, graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { until } from '../support/subscriptions';

const logger = createLogger('test', 'silent');
let platform: TestPlatform;
let scheduler: RunningRole;
let consumers: RunningConsumers;
const redis = createRedis('redis://127.0.0.1:6379', { forWorkers: true, lazyConnect: true });

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver answering with the scripted statuses (the last one repeats). */
async function receiver(
  statuses: number[],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    server,
  };
}

function verifies(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`)
    .digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

/** The row as stored: the signing secret sealed (webhooks/secret-box.ts), never in plaintext. */
async function storedSecret(webhookId: string): Promise<string> {
  const rows: { secret: string }[] = await platform.subgraphs
    .get('notifications')!
    .dataSource.query(`SELECT secret FROM notifications.webhook_endpoints WHERE id = $1`, [
      webhookId,
    ]);
  return rows[0].secret;
}

async function createWebhook(token: string, url: string, events: string[] = []) {
  return graphql<{ createWebhook: { secret: string; webhook: { id: string; enabled: boolean } } }>(
    platform.url,
    'mutation ($input: WebhookInput!) { createWebhook(input: $input) { secret webhook { id enabled events } } }',
    { input: { url, events } },
    token,
  );
}

beforeAll(async () => {
  platform = await startTestPlatform({
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_DISABLE_AFTER_FAILURES: '2',
    WEBHOOK_TIMEOUT_MS: '2000',
  });
  scheduler = await startScheduler(platform.config, logger, { port: 0 });
  await redis.connect();
  consumers = await startEventConsumers(platform.config, logger, redis);
}, 60_000);

afterAll(async () => {
  await consumers?.stop();
  await scheduler?.stop();
  redis.disconnect();
  await platform?.stop();
});

describe('webhooks', () => {
  it('signs deliveries (Standard Webhooks), retries after 500s and stops after a 2xx', async () => {
    const owner = await signUpOwner(platform.url);
    const hook = await receiver([500, 500, 200]);
    const created = await createWebhook(owner.accessToken, hook.url, ['document.updated']);
    expect(created.errors).toBeUndefined();
    const { secret, webhook } = created.data!.createWebhook;
    expect(secret).toMatch(/^whsec_/);
    const stored = await storedSecret(webhook.id);
    expect(stored).toMatch(/^v1\.dev\./);
    expect(stored).not.toContain(secret.replace(/^whsec_/, ''));
    const id = await createTextDocument(platform.url, owner, 'Contract');
    await graphql(
      platform.url,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "Contract v2" }) { id } }',
      { id },
      owner.accessToken,
    );
    await until(() => hook.received.length === 3, 15_000, 'three attempts');
    await new Promise((r) => setTimeout(r, 700));
    expect(hook.received).toHaveLength(3);
    for (const r of hook.received) expect(verifies(secret, r)).toBe(true);
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const body = JSON.parse(hook.received[2].body);
    expect(body).toMatchObject({ type: 'document.updated', data: { id, documentId: id } });
    // document.uploaded was filtered out: only the update was sent.
    const log = await graphql<{ webhookDeliveries: Record<string, unknown>[] }>(
      platform.url,
      'query ($id: ID!) { webhookDeliveries(webhookId: $id) { event status attempts responseStatus } }',
      { id: webhook.id },
      owner.accessToken,
    );
    expect(log.data?.webhookDeliveries).toEqual([
      { event: 'document.updated', status: 'SUCCEEDED', attempts: 3, responseStatus: 200 },
    ]);
    hook.server.close();
  });

  it("fails a delivery whose stored secret does not decrypt (another organization's), and sends nothing", async () => {
    const a = await signUpOwner(platform.url);
    const b = await signUpOwner(platform.url);
    const hookOfA = await receiver([200]);
    const hook = await receiver([200]);
    // Only testWebhook's deliveries: no other event of theirs is sent to these endpoints.
    const only = ['document.deleted'];
    const ofA = (await createWebhook(a.accessToken, hookOfA.url, only)).data!.createWebhook.webhook;
    const ofB = (await createWebhook(b.accessToken, hook.url, only)).data!.createWebhook.webhook;
    // A's sealed secret copied into B's row: authenticated with A's organization id, it is refused.
    await platform.subgraphs
      .get('notifications')!
      .dataSource.query(`UPDATE notifications.webhook_endpoints SET secret = $2 WHERE id = $1`, [
        ofB.id,
        await storedSecret(ofA.id),
      ]);
    const test = await graphql<{ testWebhook: { id: string } }>(
      platform.url,
      'mutation ($id: ID!) { testWebhook(id: $id) { id } }',
      { id: ofB.id },
      b.accessToken,
    );
    expect(test.errors).toBeUndefined();
    const deliveries = async () =>
      (
        await graphql<{ webhookDeliveries: Record<string, unknown>[] }>(
          platform.url,
          'query ($id: ID!) { webhookDeliveries(webhookId: $id) { status attempts lastError } }',
          { id: ofB.id },
          b.accessToken,
        )
      ).data?.webhookDeliveries ?? [];
    await until(async () => (await deliveries())[0]?.status === 'FAILED', 10_000, 'the failure');
    expect(await deliveries()).toEqual([
      { status: 'FAILED', attempts: 1, lastError: 'signing secret cannot be decrypted' },
    ]);
    expect(hook.received).toHaveLength(0);
    // Not the receiver's fault: the endpoint stays enabled and the worker keeps delivering.
    const hooks = await graphql<{ webhooks: { enabled: boolean }[] }>(
      platform.url,
      '{ webhooks { enabled } }',
      {},
      b.accessToken,
    );
    expect(hooks.data?.webhooks).toEqual([{ enabled: true }]);
    await graphql(
      platform.url,
      'mutation ($id: ID!) { testWebhook(id: $id) { id } }',
      { id: ofA.id },
      a.accessToken,
    );
    await until(() => hookOfA.received.length === 1, 10_000, "A's delivery");
    expect(hook.received).toHaveLength(0);
    hook.server.close();
    hookOfA.server.close();
  });

  it('refuses private, loopback, link-local and non-http URLs, and callers below ADMIN', async () => {
    const owner = await signUpOwner(platform.url);
    for (const url of [
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hook',
      'http://192.168.0.10/',
      'ftp://example.com/hook',
      'not a url',
    ]) {
      const r = await createWebhook(owner.accessToken, url);
      expect([url, errorCode(r)]).toEqual([url, 'BAD_USER_INPUT']);
    }
    const member = await addMember(platform.url, owner, Role.MEMBER);
    const forbidden = await createWebhook(member.accessToken, 'http://127.0.0.1:9/hook');
    expect(errorCode(forbidden)).toBe('FORBIDDEN');
  });

  it('testWebhook; repeated failures disable the endpoint and notify its creator', async () => {
    const owner = await signUpOwner(platform.url);
    const hook = await receiver([503]);
    const created = await createWebhook(owner.accessToken, hook.url);
    const webhookId = created.data!.createWebhook.webhook.id;
    for (let i = 0; i < 2; i++) {
      const test = await graphql<{ testWebhook: { status: string } }>(
        platform.url,
        'mutation ($id: ID!) { testWebhook(id: $id) { id status event } }',
        { id: webhookId },
        owner.accessToken,
      );
      expect(test.data?.testWebhook).toMatchObject({ status: 'PENDING', event: 'webhook.test' });
      await until(() => hook.received.length === 3 * (i + 1), 15_000, 'attempts');
    }
    await until(
      async () => {
        const r = await graphql<{ webhooks: { enabled: boolean }[] }>(
          platform.url,
          '{ webhooks { id enabled } }',
          {},
          owner.accessToken,
        );
        return r.data?.webhooks[0]?.enabled === false;
      },
      10_000,
      'the endpoint to be disabled',
    );
    const notes = await graphql<{ notifications: { edges: { node: { kind: string } }[] } }>(
      platform.url,
      '{ notifications { edges { node { kind } } } }',
      {},
      owner.accessToken,
    );
    expect(notes.data?.notifications.edges.map((e) => e.node.kind)).toContain('WEBHOOK_DISABLED');
    hook.server.close();
  });
});
