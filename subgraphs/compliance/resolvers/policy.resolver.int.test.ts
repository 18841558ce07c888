import { randomUUID } from 'node:crypto';
import { AccessTokens } from '../../../core/auth/access-token';
import { Role } from '../../../core/auth/role';
import type { RunningSubgraph } from '../../../core/graphql/subgraph';
import { SubgraphHarness } from '../../../test/support/subgraph-harness';
import { errorCode, graphql } from '../../../test/support/graphql-client';
import { complianceSubgraph } from '..';

const POLICIES = `{ policies { id name description severity enabled kind params categories createdAt } }`;
const POLICY_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Policy { id name } }
}`;
const RUNS = `query ($first: Int) {
  complianceRuns(first: $first) { id trigger startedAt finishedAt documentsChecked findingsOpened findingsResolved }
}`;

let harness: SubgraphHarness;
let running: RunningSubgraph;
let tokens: AccessTokens;

/**
 * A new organization of its own for each test, with a token for one of its members. Marked as
 * already seeded unless `withDefaults`, so tests see only the policies they write.
 */
async function newOrganization(withDefaults = false) {
  const organizationId = randomUUID();
  if (!withDefaults)
    await running.dataSource.query(
      `INSERT INTO compliance.organizations (organization_id) VALUES ($1)`,
      [organizationId],
    );
  const tokenFor = async (role: Role) =>
    (await tokens.sign({ userId: randomUUID(), organizationId, role })).token;
  return { organizationId, tokenFor };
}

async function insertPolicy(
  organizationId: string,
  values: {
    name: string;
    kind?: string;
    severity?: string;
    params?: object;
    categories?: string[];
  },
): Promise<string> {
  const rows = await running.dataSource.query<{ id: string }[]>(
    `INSERT INTO compliance.policies (organization_id, name, severity, kind, params, categories)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      organizationId,
      values.name,
      values.severity ?? 'HIGH',
      values.kind ?? 'REQUIRED_FACT',
      JSON.stringify(values.params ?? {}),
      values.categories ?? [],
    ],
  );
  return rows[0].id;
}

async function insertRun(organizationId: string, trigger: string, startedAt: string) {
  const rows = await running.dataSource.query<{ id: string }[]>(
    `INSERT INTO compliance.compliance_runs (organization_id, trigger, started_at, finished_at, documents_checked, findings_opened, findings_resolved)
     VALUES ($1, $2, $3, $3::timestamptz + interval '2 seconds', 4, 2, 1) RETURNING id`,
    [organizationId, trigger, startedAt],
  );
  return rows[0].id;
}

beforeAll(async () => {
  harness = await SubgraphHarness.start(complianceSubgraph);
  running = harness.running;
  tokens = harness.tokens;
});

afterAll(async () => {
  await harness?.stop();
});

describe('policies', () => {
  it('starts a new organization with the default policies, seeded once', async () => {
    const a = await newOrganization(true);
    const token = await a.tokenFor(Role.VIEWER);
    const [first, second] = await Promise.all([
      graphql<{ policies: { name: string; kind: string; categories: string[] }[] }>(
        running.url,
        POLICIES,
        {},
        token,
      ),
      graphql<{ policies: { name: string }[] }>(running.url, POLICIES, {}, token),
    ]);
    expect(first.errors).toBeUndefined();
    expect(first.data?.policies.map((p) => [p.kind, p.categories])).toEqual([
      ['REQUIRED_FACT', ['contract']],
      ['EXPIRES_WITHIN', ['contract']],
      ['PII', []],
    ]);
    expect(second.data?.policies).toHaveLength(3);
    const again = await graphql<{ policies: unknown[] }>(running.url, POLICIES, {}, token);
    expect(again.data?.policies).toHaveLength(3);
  });

  it('is empty for an organization that has deleted its policies', async () => {
    const a = await newOrganization();
    const response = await graphql(running.url, POLICIES, {}, await a.tokenFor(Role.OWNER));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ policies: [] });
  });

  it("lists the caller's organization's policies only, to every member", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const expiry = await insertPolicy(a.organizationId, {
      name: 'Contracts state an expiry date',
      params: { fact: 'expiryDate' },
      categories: ['contract'],
    });
    const pii = await insertPolicy(a.organizationId, {
      name: 'No card numbers',
      kind: 'PII',
      severity: 'CRITICAL',
    });
    const bPolicy = await insertPolicy(b.organizationId, {
      name: "B's policy",
      kind: 'FORBIDDEN_TERM',
    });

    for (const role of [Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER]) {
      const response = await graphql<{ policies: Record<string, unknown>[] }>(
        running.url,
        POLICIES,
        {},
        await a.tokenFor(role),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.policies.map((p) => p.id)).toEqual([expiry, pii]);
    }

    const asA = await graphql<{ policies: Record<string, unknown>[] }>(
      running.url,
      POLICIES,
      {},
      await a.tokenFor(Role.VIEWER),
    );
    expect(asA.data?.policies[0]).toEqual({
      id: expiry,
      name: 'Contracts state an expiry date',
      description: null,
      severity: 'HIGH',
      enabled: true,
      kind: 'REQUIRED_FACT',
      params: { fact: 'expiryDate' },
      categories: ['contract'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    expect(asA.data?.policies[1]).toMatchObject({
      kind: 'PII',
      severity: 'CRITICAL',
      params: {},
      categories: [],
    });

    const asB = await graphql<{ policies: { id: string }[] }>(
      running.url,
      POLICIES,
      {},
      await b.tokenFor(Role.MEMBER),
    );
    expect(asB.data?.policies.map((p) => p.id)).toEqual([bPolicy]);
  });

  it("resolves a Policy reference only in the policy's own organization", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const policy = await insertPolicy(a.organizationId, { name: 'Retention', kind: 'RETENTION' });
    const representations = [
      { __typename: 'Policy', id: policy },
      { __typename: 'Policy', id: randomUUID() },
    ];

    const asA = await graphql(
      running.url,
      POLICY_ENTITIES,
      { representations },
      await a.tokenFor(Role.VIEWER),
    );
    expect(asA.errors).toBeUndefined();
    expect(asA.data?._entities).toEqual([{ id: policy, name: 'Retention' }, null]);

    const asB = await graphql(
      running.url,
      POLICY_ENTITIES,
      { representations },
      await b.tokenFor(Role.OWNER),
    );
    expect(asB.errors).toBeUndefined();
    expect(asB.data?._entities).toEqual([null, null]);
  });
});

describe('complianceRuns', () => {
  it('is empty for an organization that has had no run', async () => {
    const a = await newOrganization();
    const response = await graphql(running.url, RUNS, {}, await a.tokenFor(Role.MEMBER));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ complianceRuns: [] });
  });

  it("lists the caller's organization's runs, newest first, up to `first`", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const older = await insertRun(a.organizationId, 'schedule', '2026-01-01T00:00:00Z');
    const newer = await insertRun(a.organizationId, 'manual', '2026-02-01T00:00:00Z');
    await insertRun(b.organizationId, 'schedule', '2026-03-01T00:00:00Z');
    const token = await a.tokenFor(Role.VIEWER);

    const all = await graphql<{ complianceRuns: { id: string }[] }>(running.url, RUNS, {}, token);
    expect(all.errors).toBeUndefined();
    expect(all.data?.complianceRuns.map((r) => r.id)).toEqual([newer, older]);
    expect(all.data?.complianceRuns[0]).toEqual({
      id: newer,
      trigger: 'manual',
      startedAt: '2026-02-01T00:00:00.000Z',
      finishedAt: '2026-02-01T00:00:02.000Z',
      documentsChecked: 4,
      findingsOpened: 2,
      findingsResolved: 1,
    });

    const one = await graphql<{ complianceRuns: { id: string }[] }>(
      running.url,
      RUNS,
      { first: 1 },
      token,
    );
    expect(one.data?.complianceRuns.map((r) => r.id)).toEqual([newer]);
    const none = await graphql(running.url, RUNS, { first: 0 }, token);
    expect(none.data).toEqual({ complianceRuns: [] });
  });

  it('rejects a page size above 100 as bad input', async () => {
    const a = await newOrganization();
    const response = await graphql(
      running.url,
      RUNS,
      { first: 101 },
      await a.tokenFor(Role.MEMBER),
    );
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].extensions?.field).toBe('first');
  });
});

// Who may reach what: every operation of this subgraph, and the signed-in caller it needs.
describe('guards', () => {
  const operations: [string, string, Record<string, unknown>][] = [
    ['policies', POLICIES, {}],
    ['complianceRuns', RUNS, {}],
    [
      'Policy reference',
      POLICY_ENTITIES,
      { representations: [{ __typename: 'Policy', id: randomUUID() }] },
    ],
    ['findings', '{ findings { totalCount } }', {}],
    ['finding', 'query ($id: ID!) { finding(id: $id) { id } }', { id: randomUUID() }],
    ['complianceSummary', '{ complianceSummary { openFindings } }', {}],
    [
      'createPolicy',
      'mutation ($input: PolicyInput!) { createPolicy(input: $input) { id } }',
      { input: { name: 'p', severity: 'LOW', kind: 'PII', params: {} } },
    ],
    [
      'updatePolicy',
      'mutation ($id: ID!, $input: PolicyInput!) { updatePolicy(id: $id, input: $input) { id } }',
      { id: randomUUID(), input: { name: 'p', severity: 'LOW', kind: 'PII', params: {} } },
    ],
    ['deletePolicy', 'mutation ($id: ID!) { deletePolicy(id: $id) }', { id: randomUUID() }],
    ['runComplianceCheck', 'mutation { runComplianceCheck { id } }', {}],
    [
      'acknowledgeFinding',
      'mutation ($id: ID!) { acknowledgeFinding(id: $id) { id } }',
      { id: randomUUID() },
    ],
    [
      'resolveFinding',
      'mutation ($id: ID!) { resolveFinding(id: $id) { id } }',
      { id: randomUUID() },
    ],
    [
      'Document.compliance',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Document { compliance { status } } } }',
      { r: [{ __typename: 'Document', id: randomUUID() }] },
    ],
  ];

  it.each(operations)(
    '%s answers UNAUTHENTICATED without a credential',
    async (_name, query, variables) => {
      const response = await graphql(running.url, query, variables);
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    },
  );

  it.each(operations)('%s refuses a forged token', async (_name, query, variables) => {
    const forged = await new AccessTokens({
      secret: 'another-secret-that-is-long-enough-0123456789',
      issuer: 'docent',
      ttlSeconds: 900,
    }).sign({ userId: randomUUID(), organizationId: randomUUID(), role: Role.OWNER });
    const response = await graphql(running.url, query, variables, forged.token);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });
});
