import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AccessTokens } from '../../core/auth/access-token';
import { Role } from '../../core/auth/role';
import { createLogger } from '../../core/logging/logger';
import { subgraphFetchDuration } from '../../core/observability/metrics';
import { createRedis } from '../../core/redis/redis';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { startEventConsumers, type RunningConsumers } from '../../workers/events/event-consumers';
import { startScheduler } from '../../workers/scheduler';
import type { RunningRole } from '../../workers/worker';
import { addMember, createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { subscribe, until, type Subscriber } from '../support/subscriptions';

const logger = createLogger('test', 'silent');
let platform: TestPlatform;
let scheduler: RunningRole;
let consumers: RunningConsumers;
let secondGateway: RunningGateway;
let sql: Client;
const workerRedis = () => connections[0];
const connections: ReturnType<typeof createRedis>[] = [];
const open: Subscriber[] = [];

const DOCUMENT_UPDATED = `subscription Watch($id: ID) {
  changed: documentUpdated(id: $id) { id title chunkCount uploadedBy { id name } viewerCan { update } }
}`;

function watch(
  url: string,
  actor: Actor | string | null,
  query = DOCUMENT_UPDATED,
  variables = {},
) {
  const token = typeof actor === 'string' || actor === null ? actor : actor.accessToken;
  const s = subscribe(url, token, query, variables);
  open.push(s);
  return s;
}

const titleOf = (result: Subscriber['results'][number]) =>
  (result.data?.changed as { title?: string } | null | undefined)?.title;
const titles = (s: Subscriber) => s.results.map(titleOf);

async function active(gateway: RunningGateway, n: number): Promise<void> {
  await until(() => gateway.subscriptions.hub.size >= n, 10_000, `${n} subscriptions`);
}

async function rename(actor: Actor, id: string, title: string): Promise<void> {
  const r = await graphql(
    platform.url,
    'mutation ($id: ID!, $input: UpdateDocumentInput!) { updateDocument(id: $id, input: $input) { id } }',
    { id, input: { title } },
    actor.accessToken,
  );
  expect(r.errors).toBeUndefined();
}

/** Until the relay has published every event of the document so far, then a moment for pub/sub. */
async function relayed(documentId: string): Promise<void> {
  await until(
    async () =>
      (
        await sql.query(
          'SELECT 1 FROM documents.outbox WHERE aggregate_id = $1 AND published_at IS NULL',
          [documentId],
        )
      ).rowCount === 0,
    10_000,
    'the relay',
  );
  await new Promise((r) => setTimeout(r, 200));
}

beforeAll(async () => {
  platform = await startTestPlatform();
  scheduler = await startScheduler(platform.config, logger, { port: 0 });
  const redis = createRedis(platform.config.REDIS_URL, { forWorkers: true });
  connections.push(redis);
  consumers = await startEventConsumers(platform.config, logger, workerRedis());
  secondGateway = await startGateway(platform.config, logger, { port: 0 });
  sql = new Client({ connectionString: platform.config.DATABASE_URL });
  await sql.connect();
}, 60_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.dispose()));
});

afterAll(async () => {
  await secondGateway?.stop();
  await consumers?.stop();
  await scheduler?.stop();
  for (const c of connections) c.disconnect();
  await sql?.end();
  await platform?.stop();
});

describe('subscriptions through the gateway (graphql-ws on /graphql)', () => {
  it('documentUpdated arrives with fields from documents, search and accounts', async () => {
    const owner = await signUpOwner(platform.url);
    const id = await createTextDocument(platform.url, owner, 'Lease');
    const s = watch(platform.url, owner, DOCUMENT_UPDATED, { id });
    await active(platform.gateway, 1);
    await rename(owner, id, 'Lease 2027');
    // The upload's own event may still be on its way (a loaded relay): wait for the rename's.
    await until(() => titles(s).includes('Lease 2027'), 10_000, 'the event');
    expect(s.results.find((r) => titleOf(r) === 'Lease 2027')).toEqual({
      data: {
        changed: {
          id,
          title: 'Lease 2027',
          chunkCount: expect.any(Number),
          uploadedBy: { id: owner.userId, name: 'Owner' },
          viewerCan: { update: true },
        },
      },
    });
  });

  it('a subscriber of organization B receives nothing of A', async () => {
    const a = await signUpOwner(platform.url);
    const b = await signUpOwner(platform.url);
    const docA = await createTextDocument(platform.url, a, 'A secret');
    const docB = await createTextDocument(platform.url, b, 'B plan');
    const sb = watch(platform.url, b);
    const sbById = watch(platform.url, b, DOCUMENT_UPDATED, { id: docA });
    await active(platform.gateway, 2);
    await rename(a, docA, 'A secret, renamed');
    await rename(b, docB, 'B plan, renamed');
    // B's upload event may still arrive after subscribing (a loaded relay): what matters is that
    // B's rename arrives and nothing of A ever does.
    await until(() => titles(sb).includes('B plan, renamed'), 10_000, "B's own event");
    await new Promise((r) => setTimeout(r, 300));
    expect(sb.results.map((r) => (r.data?.changed as { id: string }).id)).toEqual(
      sb.results.map(() => docB),
    );
    expect(titles(sb)).not.toContain('A secret, renamed');
    expect(sbById.results).toHaveLength(0);
  });

  it('a fully @sameForOrganization selection is hydrated once for every role; viewerCan stays per caller', async () => {
    const owner = await signUpOwner(platform.url);
    const admin = await addMember(platform.url, owner, Role.ADMIN);
    const member = await addMember(platform.url, owner, Role.MEMBER);
    const viewer1 = await addMember(platform.url, owner, Role.VIEWER);
    const viewer2 = await addMember(platform.url, owner, Role.VIEWER);
    const id = await createTextDocument(platform.url, owner, 'Policy');
    // The upload's own event must be past before counting executions (a loaded relay is late).
    await relayed(id);
    // Fields from documents, search (an entity hop) and accounts (another), all marked.
    const shared = `subscription { documentUpdated { id title chunkCount uploadedBy { id name } } }`;
    const perCaller = `subscription { documentUpdated { id viewerCan { update delete } } }`;
    const sAdmin = watch(platform.url, admin, perCaller);
    const sViewer = watch(platform.url, viewer1, perCaller);
    const everyRole = [owner, admin, member, viewer1, viewer2].map((actor) =>
      watch(platform.url, actor, shared),
    );
    const all = [sAdmin, sViewer, ...everyRole];
    await active(platform.gateway, all.length);
    const before = platform.gateway.subscriptions.hub.executions;
    await rename(owner, id, 'Policy v2');
    // Each subscriber's event for the rename (the upload's own event may come first).
    const renamed = (s: Subscriber) =>
      s.results.find((r) => (r.data?.documentUpdated as { title?: string })?.title === 'Policy v2');
    await until(
      () => everyRole.every(renamed) && [sAdmin, sViewer].every((s) => s.results.length > 0),
      10_000,
      'every delivery',
    );
    const perCallerResult = (s: Subscriber) => s.results[s.results.length - 1];
    expect(perCallerResult(sAdmin).data).toEqual({
      documentUpdated: { id, viewerCan: { update: true, delete: true } },
    });
    expect(perCallerResult(sViewer).data).toEqual({
      documentUpdated: { id, viewerCan: { update: false, delete: false } },
    });
    for (const s of everyRole) {
      expect(renamed(s)).toEqual({
        data: {
          documentUpdated: {
            id,
            title: 'Policy v2',
            chunkCount: expect.any(Number),
            uploadedBy: { id: owner.userId, name: 'Owner' },
          },
        },
      });
    }
    // One run of the marked selection for all four roles; viewerCan is per caller: one run each.
    expect(platform.gateway.subscriptions.hub.executions - before).toBe(3);
  });

  it("warms a new selection's entity fetches at subscribe time, before any event", async () => {
    const owner = await signUpOwner(platform.url);
    const accountsFetches = async () =>
      (await subgraphFetchDuration.get()).values
        .filter((v) => v.metricName?.endsWith('_count') && v.labels.subgraph === 'accounts')
        .reduce((n, v) => n + v.value, 0);
    const before = await accountsFetches();
    // A selection no earlier test used: the gateway prepares it now. Its plan fetches the
    // document from documents, then the uploader from accounts (`_entities`).
    const s = watch(
      platform.url,
      owner,
      `subscription { documentUpdated { id uploadedBy { createdAt } } }`,
    );
    await active(platform.gateway, 1);
    // The warm-up's root fetch finds no document, so only the warm-up asks accounts.
    await until(async () => (await accountsFetches()) > before, 5_000, 'the warm-up in accounts');
    expect(s.results).toEqual([]);
  });

  it('serves a subscriber on another gateway instance (events through Redis pub/sub)', async () => {
    const owner = await signUpOwner(platform.url);
    const id = await createTextDocument(platform.url, owner, 'Shared');
    const s = watch(secondGateway.url, owner, DOCUMENT_UPDATED, { id });
    await active(secondGateway, 1);
    await rename(owner, id, 'Shared, renamed');
    // The upload's own event may still be on its way (a loaded relay): wait for the rename's.
    await until(() => titles(s).includes('Shared, renamed'), 10_000, 'the event on gateway 2');
  });

  it('notificationReceived: a processed document notifies its uploader live; unread count', async () => {
    const owner = await signUpOwner(platform.url);
    const member = await addMember(platform.url, owner, Role.MEMBER);
    const id = await createTextDocument(platform.url, owner, 'Invoice');
    const query = `subscription { notificationReceived { kind title read document { id title } } }`;
    const s = watch(platform.url, owner, query);
    const other = watch(platform.url, member, query);
    await active(platform.gateway, 2);
    // What the pipeline's finalize stage writes (the documents outbox, in its transaction).
    await sql.query(
      `INSERT INTO documents.outbox (organization_id, type, aggregate_id, payload) VALUES ($1, 'document.processed', $2, $3)`,
      [owner.organizationId, id, JSON.stringify({ uploadedById: owner.userId, title: 'Invoice' })],
    );
    await sql.query(`SELECT pg_notify('docent_outbox', 'documents')`);
    await until(() => s.results.length === 1, 20_000, 'the notification');
    expect(s.results[0].data).toEqual({
      notificationReceived: {
        kind: 'DOCUMENT_PROCESSED',
        title: '"Invoice" is ready',
        read: false,
        document: { id, title: 'Invoice' },
      },
    });
    const count = await graphql(platform.url, '{ unreadNotificationCount }', {}, owner.accessToken);
    expect(count.data).toEqual({ unreadNotificationCount: 1 });
    expect(other.results).toHaveLength(0);
  });

  it('closes with 4401 without credentials, 4403 with a bad one, and 4403 when the token expires', async () => {
    const none = watch(platform.url, null);
    expect((await none.closed).code).toBe(4401);
    const bad = watch(platform.url, 'not-a-token');
    expect((await bad.closed).code).toBe(4403);

    const owner = await signUpOwner(platform.url);
    const shortLived = await new AccessTokens({
      secret: platform.config.JWT_SECRET,
      issuer: platform.config.JWT_ISSUER,
      ttlSeconds: 1,
    }).sign({ userId: owner.userId, organizationId: owner.organizationId, role: Role.OWNER });
    const expiring = watch(platform.url, shortLived.token);
    const closed = await expiring.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/expired/);
  });

  it('a failing subgraph gives its error with what could be resolved, as a query does', async () => {
    // A gateway whose accounts subgraph is unreachable: documents answers, accounts cannot.
    const broken = await startGateway(
      { ...platform.config, ACCOUNTS_URL: 'http://127.0.0.1:9/graphql' },
      logger,
      { port: 0 },
    );
    try {
      const owner = await signUpOwner(platform.url);
      const id = await createTextDocument(platform.url, owner, 'Partial');
      const s = watch(broken.url, owner, DOCUMENT_UPDATED, { id });
      await active(broken, 1);
      await rename(owner, id, 'Partial, renamed');
      await until(() => s.results.length === 1, 10_000, 'the event with its error');
      // The same query over HTTP through the same gateway: the hydration must answer the same.
      const http = await graphql(
        broken.url,
        `
          query Watch($id: ID!) {
            changed: document(id: $id) {
              id
              title
              chunkCount
              uploadedBy {
                id
                name
              }
              viewerCan {
                update
              }
            }
          }
        `,
        { id },
        owner.accessToken,
      );
      const [result] = s.results;
      // uploadedBy (User!) cannot be completed, so the document is null, with accounts' error.
      expect(result.data).toEqual({ changed: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ extensions: { code: expect.any(String) } });
      expect(http.data).toEqual(result.data);
      expect(
        http.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, message: e.message })),
      ).toEqual(
        (result.errors as { path: unknown; message: string; extensions: { code: string } }[]).map(
          (e) => ({ path: e.path, code: e.extensions.code, message: e.message }),
        ),
      );
    } finally {
      await broken.stop();
    }
  });

  it("refuses at subscribe time a selection over the gateway's limits", async () => {
    const owner = await signUpOwner(platform.url);
    const aliases = Array.from(
      { length: platform.config.GRAPHQL_MAX_ALIASES + 1 },
      (_, i) => `t${i}: title`,
    );
    const s = watch(
      platform.url,
      owner,
      `subscription { documentUpdated { ${aliases.join(' ')} } }`,
    );
    await until(() => s.results.length === 1, 10_000, 'the refusal');
    expect(s.results[0]).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
    });
    expect(s.results[0].data).toBeUndefined();
  });

  it('ends the subscription at once when the client unsubscribes', async () => {
    const owner = await signUpOwner(platform.url);
    const before = platform.gateway.subscriptions.hub.size;
    const s = watch(platform.url, owner);
    await active(platform.gateway, before + 1);
    await s.dispose();
    await until(() => platform.gateway.subscriptions.hub.size === before, 5_000, 'removal');
    expect(randomUUID()).toBeTruthy();
  });
});
