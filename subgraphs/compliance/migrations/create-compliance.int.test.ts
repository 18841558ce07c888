import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../../core/config/config';
import { startSubgraph, type RunningSubgraph } from '../../../core/graphql/subgraph';
import { createLogger } from '../../../core/logging/logger';
import { createTestDatabase } from '../../../test/support/database';
import { complianceSubgraph } from '..';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let running: RunningSubgraph;

async function insertPolicy(organizationId: string): Promise<string> {
  const rows = await running.dataSource.query<{ id: string }[]>(
    `INSERT INTO compliance.policies (organization_id, name, severity, kind) VALUES ($1, 'p', 'HIGH', 'PII') RETURNING id`,
    [organizationId],
  );
  return rows[0].id;
}

async function openFinding(
  organizationId: string,
  policyId: string,
  documentId: string,
  status = 'OPEN',
): Promise<string> {
  const rows = await running.dataSource.query<{ id: string }[]>(
    `INSERT INTO compliance.findings (organization_id, policy_id, document_id, severity, status, message)
     VALUES ($1, $2, $3, 'HIGH', $4, 'Card number found') RETURNING id`,
    [organizationId, policyId, documentId, status],
  );
  return rows[0].id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`,
  });
  running = await startSubgraph(complianceSubgraph, config, createLogger('test', 'silent'), {
    port: 0,
  });
});

afterAll(async () => {
  await running?.stop();
  await database?.drop();
});

describe('the compliance schema', () => {
  it('keeps one unresolved finding per policy × document, and allows a new one once it is resolved', async () => {
    const organizationId = randomUUID();
    const policyId = await insertPolicy(organizationId);
    const documentId = randomUUID();
    const first = await openFinding(organizationId, policyId, documentId);

    await expect(openFinding(organizationId, policyId, documentId)).rejects.toMatchObject({
      code: '23505',
      constraint: 'findings_one_open_per_policy_document',
    });
    await expect(
      openFinding(organizationId, policyId, documentId, 'ACKNOWLEDGED'),
    ).rejects.toMatchObject({ code: '23505' });
    // Other documents and other policies are unaffected.
    await openFinding(organizationId, policyId, randomUUID());
    await openFinding(organizationId, await insertPolicy(organizationId), documentId);

    await running.dataSource.query(
      `UPDATE compliance.findings SET status = 'RESOLVED', resolved_at = now() WHERE id = $1`,
      [first],
    );
    const second = await openFinding(organizationId, policyId, documentId);
    await running.dataSource.query(
      `UPDATE compliance.findings SET status = 'RESOLVED', resolved_at = now() WHERE id = $1`,
      [second],
    );
    await openFinding(organizationId, policyId, documentId);

    const [{ count }] = await running.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM compliance.findings WHERE policy_id = $1 AND document_id = $2`,
      [policyId, documentId],
    );
    expect(count).toBe(3);
  });

  it("keeps a finding in its policy's organization", async () => {
    const policyId = await insertPolicy(randomUUID());
    await expect(openFinding(randomUUID(), policyId, randomUUID())).rejects.toMatchObject({
      code: '23503',
      constraint: 'findings_policy',
    });
  });

  it('refuses unknown kinds, severities and statuses, and a resolved finding without its time', async () => {
    const organizationId = randomUUID();
    const policyId = await insertPolicy(organizationId);
    await expect(
      running.dataSource.query(
        `INSERT INTO compliance.policies (organization_id, name, severity, kind) VALUES ($1, 'p', 'HIGH', 'ANYTHING')`,
        [organizationId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      running.dataSource.query(
        `INSERT INTO compliance.policies (organization_id, name, severity, kind) VALUES ($1, 'p', 'SEVERE', 'PII')`,
        [organizationId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      openFinding(organizationId, policyId, randomUUID(), 'IGNORED'),
    ).rejects.toMatchObject({
      code: '23514',
    });
    await expect(
      openFinding(organizationId, policyId, randomUUID(), 'RESOLVED'),
    ).rejects.toMatchObject({
      code: '23514',
      constraint: 'findings_resolved_at',
    });
  });

  it('has an outbox for the events compliance will publish', async () => {
    const columns = await running.dataSource.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'compliance' AND table_name = 'outbox' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'organization_id',
      'type',
      'aggregate_id',
      'payload',
      'created_at',
      'published_at',
      'request_id',
      'traceparent',
    ]);
  });
});
