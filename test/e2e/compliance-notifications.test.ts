import { createLogger } from '../../core/logging/logger';
import { createRedis } from '../../core/redis/redis';
import { startEventConsumers, type RunningConsumers } from '../../workers/events/event-consumers';
import { startScheduler } from '../../workers/scheduler';
import type { RunningRole } from '../../workers/worker';
import { addMember, createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { until } from '../support/subscriptions';

/**
 * Notifications about compliance findings, through the gateway with the real pipeline (local
 * AI), outbox relay (scheduler role) and durable consumers: `Notification.finding` is resolved by compliance.
 */
const logger = createLogger('test', 'silent');
let platform: TestPlatform;
let consumers: RunningConsumers;
let redis: ReturnType<typeof createRedis>;
let scheduler: RunningRole;

interface NotificationNode {
  id: string;
  kind: string;
  document: { id: string; title: string } | null;
  finding: { id: string; severity: string; status: string; policy: { name: string } } | null;
}

const NOTIFICATION_FIELDS =
  'id kind document { id title } finding { id severity status policy { name } }';

async function gql<T = Record<string, unknown>>(
  actor: Actor,
  query: string,
  variables: Record<string, unknown> = {},
) {
  return graphql<T>(platform.url, query, variables, actor.accessToken);
}

async function notifications(actor: Actor): Promise<NotificationNode[]> {
  const r = await gql<{ notifications: { edges: { node: NotificationNode }[] } }>(
    actor,
    `{ notifications(first: 50) { edges { node { ${NOTIFICATION_FIELDS} } } } }`,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.notifications.edges.map((e) => e.node);
}

async function notificationOf(actor: Actor, kind: string): Promise<NotificationNode> {
  let found: NotificationNode | undefined;
  let seen: string[] = [];
  await until(
    async () => {
      const all = await notifications(actor);
      seen = all.map((n) => n.kind);
      found = all.find((n) => n.kind === kind);
      return found !== undefined;
    },
    60_000,
    `a ${kind} notification`,
  ).catch((error: Error) => {
    throw new Error(`${error.message} (has: ${seen.join(', ') || 'none'})`);
  });
  return found!;
}

beforeAll(async () => {
  platform = await startTestPlatform({ AI_PROVIDER: 'local' }, { pipeline: {} });
  // The scheduler role runs the outbox relay.
  scheduler = await startScheduler(platform.config, logger, { port: 0 });
  redis = createRedis(platform.config.REDIS_URL, { forWorkers: true });
  consumers = await startEventConsumers(platform.config, logger, redis);
}, 90_000);

afterAll(async () => {
  await consumers?.stop();
  await scheduler?.stop();
  redis?.disconnect();
  await platform?.stop();
});

describe('notifications about compliance findings', () => {
  it('name the finding: opened and resolved, resolved by compliance through the gateway', async () => {
    const owner = await signUpOwner(platform.url);
    // The default policies include "No payment card numbers, IBANs or social security numbers".
    const documentId = await createTextDocument(
      platform.url,
      owner,
      'Card on file',
      'Please charge the deposit to Visa 4111 1111 1111 1111 before delivery.',
    );

    const opened = await notificationOf(owner, 'FINDING_OPENED');
    expect(opened.document).toEqual({ id: documentId, title: 'Card on file' });
    expect(opened.finding).toEqual({
      id: expect.any(String),
      severity: 'HIGH',
      status: 'OPEN',
      policy: { name: 'No payment card numbers, IBANs or social security numbers' },
    });
    const findings = await gql<{ findings: { edges: { node: { id: string } }[] } }>(
      owner,
      'query ($id: ID!) { findings(first: 10, filter: { documentId: $id }) { edges { node { id } } } }',
      { id: documentId },
    );
    expect(findings.data!.findings.edges.map((e) => e.node.id)).toEqual([opened.finding!.id]);

    // The single-notification query resolves it too.
    const one = await gql<{ notification: NotificationNode }>(
      owner,
      `query ($id: ID!) { notification(id: $id) { ${NOTIFICATION_FIELDS} } }`,
      { id: opened.id },
    );
    expect(one.data!.notification.finding).toEqual(opened.finding);

    const resolved = await gql(
      owner,
      'mutation ($id: ID!) { resolveFinding(id: $id, note: "Card redacted offline") { id status } }',
      { id: opened.finding!.id },
    );
    expect(resolved.errors).toBeUndefined();
    const closing = await notificationOf(owner, 'FINDING_RESOLVED');
    expect(closing.finding).toEqual({ ...opened.finding, status: 'RESOLVED' });
    expect(closing.document).toEqual(opened.document);
  }, 150_000);

  it('another organization sees neither the notification nor the finding', async () => {
    const owner = await signUpOwner(platform.url);
    const outsider = await signUpOwner(platform.url);
    await createTextDocument(
      platform.url,
      owner,
      'IBAN note',
      'Transfer the balance to GB82 WEST 1234 5698 7654 32 by Friday.',
    );
    const opened = await notificationOf(owner, 'FINDING_OPENED');
    expect(opened.finding?.policy.name).toBe(
      'No payment card numbers, IBANs or social security numbers',
    );

    const theirs = await gql<{ notification: NotificationNode | null }>(
      outsider,
      `query ($id: ID!) { notification(id: $id) { ${NOTIFICATION_FIELDS} } }`,
      { id: opened.id },
    );
    expect(theirs.data?.notification ?? null).toBeNull();
    const finding = await gql<{ finding: { id: string } | null }>(
      outsider,
      'query ($id: ID!) { finding(id: $id) { id } }',
      { id: opened.finding!.id },
    );
    expect(finding.data?.finding ?? null).toBeNull();
    // A member of the same organization who did not upload it is not notified (the uploader is).
    const member = await addMember(platform.url, owner, 'MEMBER');
    expect((await notifications(member)).filter((n) => n.kind === 'FINDING_OPENED')).toEqual([]);
  }, 150_000);
});
