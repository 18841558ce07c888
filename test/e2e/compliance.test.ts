import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Role } from '../../core/auth/role';
import { createLogger } from '../../core/logging/logger';
import { createRedis } from '../../core/redis/redis';
import {
  startComplianceWorker,
  type RunningComplianceWorker,
} from '../../subgraphs/compliance/jobs/compliance.worker';
import { COMPLIANCE_SCHEDULERS } from '../../subgraphs/compliance/jobs/compliance-schedules';
import { startEventConsumers, type RunningConsumers } from '../../workers/events/event-consumers';
import { QueueName } from '../../workers/queues';
import { startScheduler } from '../../workers/scheduler';
import type { RunningRole } from '../../workers/worker';
import { addMember, createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { subscribe, until, type Subscriber } from '../support/subscriptions';

/**
 * Compliance end to end, through the gateway, with the real pipeline (local AI), outbox relay,
 * durable consumers, BullMQ job schedulers and compliance workers.
 */
const logger = createLogger('test', 'silent');
let platform: TestPlatform;
const schedulers: RunningRole[] = [];
let consumers: RunningConsumers;
let worker: RunningComplianceWorker;
let queue: Queue;
let sql: Client;
const redis: ReturnType<typeof createRedis>[] = [];
const open: Subscriber[] = [];

const POLICY_FIELDS = 'id name kind params categories severity enabled';

async function gql<T = Record<string, unknown>>(
  actor: Actor,
  query: string,
  variables: Record<string, unknown> = {},
) {
  return graphql<T>(platform.url, query, variables, actor.accessToken);
}

async function deleteAllPolicies(actor: Actor): Promise<void> {
  const listed = await gql<{ policies: { id: string }[] }>(actor, '{ policies { id } }');
  for (const { id } of listed.data!.policies) {
    const r = await gql(actor, 'mutation ($id: ID!) { deletePolicy(id: $id) }', { id });
    expect(r.data).toEqual({ deletePolicy: true });
  }
}

async function createPolicy(actor: Actor, input: Record<string, unknown>) {
  return gql<{ createPolicy: { id: string } }>(
    actor,
    `mutation ($input: PolicyInput!) { createPolicy(input: $input) { ${POLICY_FIELDS} } }`,
    { input },
  );
}

async function processed(actor: Actor, id: string): Promise<void> {
  await until(
    async () => {
      const r = await gql<{ document: { status: string; compliance: { status: string } } }>(
        actor,
        'query ($id: ID!) { document(id: $id) { status compliance { status } } }',
        { id },
      );
      return r.data?.document.compliance.status !== 'PENDING';
    },
    60_000,
    'the document processed and evaluated',
  );
}

async function findings(actor: Actor, filter: Record<string, unknown>) {
  const r = await gql<{
    findings: {
      totalCount: number;
      edges: { node: Record<string, unknown> & { id: string; status: string } }[];
    };
  }>(
    actor,
    `query ($filter: FindingFilter) { findings(first: 20, filter: $filter) { totalCount
       edges { node { id status severity message evidence resolvedAt resolutionNote
         policy { id name } document { id title } } } } }`,
    { filter },
  );
  expect(r.errors).toBeUndefined();
  return r.data!.findings;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  platform = await startTestPlatform({ AI_PROVIDER: 'local' }, { pipeline: {} });
  // Two scheduler processes: the job schedulers must still exist once.
  schedulers.push(await startScheduler(platform.config, logger, { port: 0 }));
  schedulers.push(await startScheduler(platform.config, logger, { port: 0 }));
  redis.push(createRedis(platform.config.REDIS_URL, { forWorkers: true }));
  consumers = await startEventConsumers(platform.config, logger, redis[0]);
  worker = await startComplianceWorker(platform.config, logger);
  redis.push(createRedis(platform.config.REDIS_URL));
  queue = new Queue(QueueName.Compliance, {
    connection: redis[1],
    prefix: `${platform.config.REDIS_PREFIX}:bull`,
  });
  sql = new Client({ connectionString: platform.config.DATABASE_URL });
  await sql.connect();
}, 90_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.dispose()));
});

afterAll(async () => {
  await queue?.close();
  await worker?.stop();
  await consumers?.stop();
  for (const s of schedulers) await s.stop();
  for (const r of redis) r.disconnect();
  await sql?.end();
  await platform?.stop();
});

describe('compliance through the gateway', () => {
  it('registers each job scheduler once although two scheduler processes started', async () => {
    const registered = await queue.getJobSchedulers();
    expect(registered.map((s) => s.key).sort()).toEqual(
      [COMPLIANCE_SCHEDULERS.daily, COMPLIANCE_SCHEDULERS.expiry].sort(),
    );
    expect(await queue.getJobSchedulersCount()).toBe(2);
    // One pending tick per schedule, not one per scheduler process.
    const delayed = await queue.getDelayed();
    expect(delayed.filter((j) => j.name === 'schedule-runs')).toHaveLength(2);
  });

  it('a contract expiring in 10 days: the scheduled expiry run raises a finding, a notification and findingRaised; re-filing the document resolves it', async () => {
    const owner = await signUpOwner(platform.url);
    await deleteAllPolicies(owner);
    const expiry = inDays(10);
    const id = await createTextDocument(
      platform.url,
      owner,
      'Supply agreement',
      `SUPPLY AGREEMENT between Acme Corp and Globex Ltd. This agreement expires on ${expiry}. ` +
        'Governing law: the laws of England.',
    );
    await processed(owner, id);
    const filed = await gql(
      owner,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { category: "contract" }) { id } }',
      { id },
    );
    expect(filed.errors).toBeUndefined();
    await until(
      async () =>
        (
          await sql.query(
            `SELECT 1 FROM compliance.compliance_runs WHERE organization_id = $1 AND trigger = 'document.updated' AND finished_at IS NOT NULL`,
            [owner.organizationId],
          )
        ).rowCount === 1,
      20_000,
      'compliance to have taken the update in',
    );
    const copy = await sql.query(
      `SELECT category, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM compliance.documents WHERE document_id = $1`,
      [id],
    );
    expect(copy.rows).toEqual([{ category: 'contract', expires_on: expiry }]);

    const policy = await createPolicy(owner, {
      name: 'Contracts expiring within 30 days',
      severity: 'HIGH',
      kind: 'EXPIRES_WITHIN',
      params: { days: 30 },
      categories: ['contract'],
    });
    expect(policy.errors).toBeUndefined();
    const policyId = policy.data!.createPolicy.id;
    // Creating a policy evaluates nothing by itself: the schedule does.
    expect((await findings(owner, { policyId })).totalCount).toBe(0);

    const live = subscribe(
      platform.url,
      owner.accessToken,
      'subscription { findingRaised { id severity message policy { name } document { id title } } }',
    );
    open.push(live);
    await until(() => platform.gateway.subscriptions.hub.size >= 1, 10_000, 'the subscription');

    // The hourly schedule's pending tick, run now.
    const tick = (await queue.getDelayed()).find((j) =>
      String(j.id).includes(COMPLIANCE_SCHEDULERS.expiry),
    );
    expect(tick).toBeDefined();
    await tick!.promote();

    await until(
      async () => (await findings(owner, { policyId })).totalCount === 1,
      30_000,
      'the EXPIRES_WITHIN finding',
    );
    const [opened] = (await findings(owner, { policyId })).edges.map((e) => e.node);
    expect(opened).toMatchObject({
      status: 'OPEN',
      severity: 'HIGH',
      message: `Expires on ${expiry}, in 10 days (within 30)`,
      evidence: expiry,
      policy: { id: policyId, name: 'Contracts expiring within 30 days' },
      document: { id, title: 'Supply agreement' },
    });
    const runs = await gql<{ complianceRuns: { trigger: string; findingsOpened: number }[] }>(
      owner,
      '{ complianceRuns { trigger findingsOpened finishedAt documentsChecked } }',
    );
    expect(runs.data!.complianceRuns).toContainEqual(
      expect.objectContaining({
        trigger: 'schedule:expiry',
        findingsOpened: 1,
        documentsChecked: 1,
      }),
    );

    await until(() => live.results.length >= 1, 20_000, 'findingRaised');
    expect(live.results[0].data).toEqual({
      findingRaised: {
        id: opened.id,
        severity: 'HIGH',
        message: opened.message,
        policy: { name: 'Contracts expiring within 30 days' },
        document: { id, title: 'Supply agreement' },
      },
    });

    await until(
      async () => {
        const n = await gql<{ notifications: { edges: { node: { kind: string } }[] } }>(
          owner,
          '{ notifications(first: 20) { edges { node { kind title severity document { id } } } } }',
        );
        return !!n.data?.notifications.edges.some((e) => e.node.kind === 'FINDING_OPENED');
      },
      20_000,
      'the finding notification',
    );

    const status = await gql<{
      document: { compliance: { status: string; findings: { id: string }[] } };
    }>(owner, 'query ($id: ID!) { document(id: $id) { compliance { status findings { id } } } }', {
      id,
    });
    expect(status.data!.document.compliance).toEqual({
      status: 'NON_COMPLIANT',
      findings: [{ id: opened.id }],
    });

    // Re-filed as an invoice, the contract policy no longer applies: the finding resolves itself.
    await gql(
      owner,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { category: "invoice" }) { id } }',
      {
        id,
      },
    );
    await until(
      async () => (await findings(owner, { policyId, status: 'RESOLVED' })).totalCount === 1,
      20_000,
      'the finding resolved',
    );
    const [resolved] = (await findings(owner, { policyId })).edges.map((e) => e.node);
    expect(resolved).toMatchObject({
      id: opened.id,
      status: 'RESOLVED',
      evidence: expiry,
      resolutionNote: 'The condition no longer holds',
      resolvedAt: expect.any(String),
    });
    const after = await gql<{ document: { compliance: { status: string } } }>(
      owner,
      'query ($id: ID!) { document(id: $id) { compliance { status } } }',
      { id },
    );
    expect(after.data!.document.compliance.status).toBe('COMPLIANT');
  });

  it('evaluates each processed document: PII and terms on real phrasing, one open finding per policy and document', async () => {
    const owner = await signUpOwner(platform.url);
    await deleteAllPolicies(owner);
    const pii = await createPolicy(owner, {
      name: 'No card numbers or IBANs',
      severity: 'CRITICAL',
      kind: 'PII',
      params: { types: ['CARD', 'IBAN'] },
    });
    const forbidden = await createPolicy(owner, {
      name: 'No side letters',
      severity: 'MEDIUM',
      kind: 'FORBIDDEN_TERM',
      params: { terms: ['side letter'] },
    });
    expect(pii.errors ?? forbidden.errors).toBeUndefined();
    const bad = await createTextDocument(
      platform.url,
      owner,
      'Payment instructions',
      'Please charge the deposit to Visa 4111 1111 1111 1111. The terms of the side letter apply.',
    );
    const clean = await createTextDocument(
      platform.url,
      owner,
      'Payment reference',
      'Order 4111 1111 1111 1112 is paid from account GB82 WEST 1234 5698 7654 31. Confidentiality applies.',
    );
    await processed(owner, bad);
    await processed(owner, clean);

    const flagged = await findings(owner, { documentId: bad });
    expect(flagged.edges.map((e) => [e.node.policy, e.node.evidence])).toEqual(
      expect.arrayContaining([
        [{ id: pii.data!.createPolicy.id, name: 'No card numbers or IBANs' }, 'Visa ending 1111'],
        [
          { id: forbidden.data!.createPolicy.id, name: 'No side letters' },
          expect.stringContaining('side letter'),
        ],
      ]),
    );
    expect(flagged.totalCount).toBe(2);
    // The PII finding's evidence is masked (a term finding quotes its context, which is the point).
    const piiFinding = flagged.edges.find((e) => e.node.evidence === 'Visa ending 1111');
    expect(JSON.stringify(piiFinding)).not.toContain('4111 1111 1111 1111');
    expect((await findings(owner, { documentId: clean })).totalCount).toBe(0);

    // A full run on demand changes nothing that is already right: no duplicate findings.
    const run = await gql<{ runComplianceCheck: { id: string; trigger: string } }>(
      owner,
      'mutation { runComplianceCheck { id trigger finishedAt } }',
    );
    expect(run.data!.runComplianceCheck.trigger).toBe('manual');
    await until(
      async () => {
        const r = await gql<{ complianceRuns: { id: string; finishedAt: string | null }[] }>(
          owner,
          '{ complianceRuns { id finishedAt documentsChecked findingsOpened } }',
        );
        return !!r.data?.complianceRuns.find(
          (x) => x.id === run.data!.runComplianceCheck.id && x.finishedAt,
        );
      },
      30_000,
      'the manual run',
    );
    const runs = await gql<{ complianceRuns: Record<string, unknown>[] }>(
      owner,
      '{ complianceRuns { id documentsChecked findingsOpened findingsResolved } }',
    );
    expect(runs.data!.complianceRuns.find((r) => r.id === run.data!.runComplianceCheck.id)).toEqual(
      {
        id: run.data!.runComplianceCheck.id,
        documentsChecked: 2,
        findingsOpened: 0,
        findingsResolved: 0,
      },
    );
    expect((await findings(owner, { documentId: bad })).totalCount).toBe(2);

    const summary = await gql(
      owner,
      '{ complianceSummary { openFindings bySeverity compliantDocuments nonCompliantDocuments } }',
    );
    expect(summary.data).toEqual({
      complianceSummary: {
        openFindings: 2,
        bySeverity: { CRITICAL: 1, MEDIUM: 1 },
        compliantDocuments: 1,
        nonCompliantDocuments: 1,
      },
    });
  });

  it('policies: ADMIN+ may change them, VIEWER and MEMBER are FORBIDDEN, params are validated per kind', async () => {
    const owner = await signUpOwner(platform.url);
    const admin = await addMember(platform.url, owner, Role.ADMIN);
    const member = await addMember(platform.url, owner, Role.MEMBER);
    const viewer = await addMember(platform.url, owner, Role.VIEWER);
    const input = {
      name: 'Retention',
      severity: 'LOW',
      kind: 'RETENTION',
      params: { maxAgeDays: 365 },
    };
    for (const who of [member, viewer]) {
      const r = await createPolicy(who, input);
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const created = await createPolicy(admin, input);
    expect(created.data!.createPolicy).toMatchObject({
      kind: 'RETENTION',
      params: { maxAgeDays: 365, exemptTags: [] },
      categories: [],
      enabled: true,
    });
    const bad = await createPolicy(admin, {
      ...input,
      kind: 'EXPIRES_WITHIN',
      params: { days: 0 },
    });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'params.days',
    });
    const unknownKey = await createPolicy(admin, {
      ...input,
      params: { maxAgeDays: 3, keep: true },
    });
    expect(unknownKey.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'params',
    });
    const noName = await createPolicy(admin, { ...input, name: ' ' });
    expect(noName.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    const id = created.data!.createPolicy.id;
    const updated = await gql<{ updatePolicy: Record<string, unknown> }>(
      admin,
      `mutation ($id: ID!, $input: PolicyInput!) { updatePolicy(id: $id, input: $input) { ${POLICY_FIELDS} } }`,
      { id, input: { ...input, enabled: false, categories: ['report'] } },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updatePolicy).toMatchObject({ enabled: false, categories: ['report'] });
    const byMember = await gql(member, 'mutation ($id: ID!) { deletePolicy(id: $id) }', { id });
    expect(byMember.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const run = await gql(viewer, 'mutation { runComplianceCheck { id } }');
    expect(run.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps organizations apart: findings, policies and documents of another organization are invisible', async () => {
    const a = await signUpOwner(platform.url);
    const b = await signUpOwner(platform.url);
    await deleteAllPolicies(a);
    const policy = await createPolicy(a, {
      name: 'No card numbers',
      severity: 'HIGH',
      kind: 'PII',
      params: { types: ['CARD'] },
    });
    const doc = await createTextDocument(platform.url, a, 'Card', 'Visa 4111 1111 1111 1111');
    await processed(a, doc);
    const [finding] = (await findings(a, { documentId: doc })).edges.map((e) => e.node);
    expect(finding).toBeDefined();

    expect((await findings(b, {})).totalCount).toBe(0);
    const asB = await gql(b, 'query ($id: ID!) { finding(id: $id) { id } }', { id: finding.id });
    expect(asB.data).toEqual({ finding: null });
    const ack = await gql(b, 'mutation ($id: ID!) { acknowledgeFinding(id: $id) { id } }', {
      id: finding.id,
    });
    expect(ack.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const update = await gql(
      b,
      'mutation ($id: ID!, $input: PolicyInput!) { updatePolicy(id: $id, input: $input) { id } }',
      {
        id: policy.data!.createPolicy.id,
        input: { name: 'x', severity: 'LOW', kind: 'PII', params: {} },
      },
    );
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const summary = await gql(b, '{ complianceSummary { openFindings nonCompliantDocuments } }');
    expect(summary.data).toEqual({
      complianceSummary: { openFindings: 0, nonCompliantDocuments: 0 },
    });

    // The owner acknowledges, then resolves by hand with a note.
    const acked = await gql(a, 'mutation ($id: ID!) { acknowledgeFinding(id: $id) { status } }', {
      id: finding.id,
    });
    expect(acked.data).toEqual({ acknowledgeFinding: { status: 'ACKNOWLEDGED' } });
    const resolved = await gql(
      a,
      'mutation ($id: ID!) { resolveFinding(id: $id, note: "Card was a test number") { status resolutionNote evidence } }',
      { id: finding.id },
    );
    expect(resolved.data).toEqual({
      resolveFinding: {
        status: 'RESOLVED',
        resolutionNote: 'Card was a test number',
        evidence: 'Visa ending 1111',
      },
    });
  });
});
