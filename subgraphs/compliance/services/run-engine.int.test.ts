import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SubgraphHarness } from '../../../test/support/subgraph-harness';
import { complianceSubgraph } from '..';
import { RunEngine } from './run-engine';

let harness: SubgraphHarness;
let db: DataSource;

beforeAll(async () => {
  harness = await SubgraphHarness.start(complianceSubgraph);
  db = harness.running.dataSource;
});
afterAll(async () => harness?.stop());

/** An organization with `n` processed documents, `withCard` of which hold a card number. */
async function organization(n: number, withCard: number): Promise<{ id: string; docs: string[] }> {
  const id = randomUUID();
  await db.query(`INSERT INTO compliance.organizations (organization_id) VALUES ($1)`, [id]);
  await db.query(
    `INSERT INTO compliance.policies (organization_id, name, severity, kind, params) VALUES ($1, 'No cards', 'HIGH', 'PII', '{"types":["CARD"]}')`,
    [id],
  );
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const rows: { document_id: string }[] = await db.query(
      `INSERT INTO compliance.documents (document_id, organization_id, title, text, created_at, processed_at, event_at)
       VALUES (gen_random_uuid(), $1, $2, $3, now(), now(), now()) RETURNING document_id`,
      [id, `Doc ${i}`, i < withCard ? 'Paid with Visa 4111 1111 1111 1111.' : 'Nothing to see.'],
    );
    docs.push(rows[0].document_id);
  }
  return { id, docs };
}

async function run(runId: string) {
  const [row] = await db.query(
    `SELECT documents_checked, findings_opened, findings_resolved, batch_count, finished_at IS NOT NULL AS finished
     FROM compliance.compliance_runs WHERE id = $1`,
    [runId],
  );
  return row;
}

describe('RunEngine', () => {
  it('cuts a run into keyset batches that together cover every document once', async () => {
    const org = await organization(7, 3);
    const engine = new RunEngine(db, 3);
    const runId = await engine.start({ organizationId: org.id, scope: 'ALL', trigger: 'test' });
    const batches = await engine.plan(runId);
    expect(batches).toEqual([0, 1, 2]);
    // Any order, as several workers would take them.
    for (const index of [2, 0, 1]) expect(await engine.runBatch(runId, index)).toBe(true);
    expect(await run(runId)).toEqual({
      documents_checked: 7,
      findings_opened: 3,
      findings_resolved: 0,
      batch_count: 3,
      finished: true,
    });
  });

  it('is safe to redeliver: a done batch, a second plan and a second start with the same key change nothing', async () => {
    const org = await organization(5, 2);
    const engine = new RunEngine(db, 2);
    const request = {
      organizationId: org.id,
      scope: 'ALL' as const,
      trigger: 'tick',
      runKey: 'k1',
    };
    const runId = await engine.start(request);
    expect(await engine.start(request)).toBe(runId);
    expect(await engine.plan(runId)).toEqual([0, 1, 2]);
    expect(await engine.runBatch(runId, 0)).toBe(true);
    // The worker "crashed" here: the next tick re-plans; only the batches not done come back.
    expect(await engine.plan(runId)).toEqual([1, 2]);
    expect(await engine.runBatch(runId, 0)).toBe(false);
    await Promise.all([
      engine.runBatch(runId, 1),
      engine.runBatch(runId, 1),
      engine.runBatch(runId, 2),
    ]);
    expect(await run(runId)).toEqual({
      documents_checked: 5,
      findings_opened: 2,
      findings_resolved: 0,
      batch_count: 3,
      finished: true,
    });
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM compliance.findings WHERE organization_id = $1`,
      [org.id],
    );
    expect(count).toBe(2);
    expect(await engine.unfinished(new Date(Date.now() + 60_000))).not.toContain(runId);
  });

  it('a batch that fails midway leaves nothing behind, and its retry does all of it', async () => {
    const org = await organization(4, 4);
    const engine = new RunEngine(db, 10);
    const runId = await engine.start({ organizationId: org.id, scope: 'ALL', trigger: 'test' });
    await engine.plan(runId);
    // A check that fails the batch's last statement stands in for a crash: its transaction rolls back.
    await db.query(
      `ALTER TABLE compliance.compliance_runs ADD CONSTRAINT crash CHECK (documents_checked < 1) NOT VALID`,
    );
    await expect(engine.runBatch(runId, 0)).rejects.toThrow();
    await db.query(`ALTER TABLE compliance.compliance_runs DROP CONSTRAINT crash`);
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM compliance.findings WHERE organization_id = $1`,
      [org.id],
    );
    expect(count).toBe(0);
    expect(await engine.runBatch(runId, 0)).toBe(true);
    expect(await run(runId)).toMatchObject({
      documents_checked: 4,
      findings_opened: 4,
      finished: true,
    });
  });

  it('an expiry run evaluates only expiry policies on documents with an expiry date; a policy run only its policy', async () => {
    const org = await organization(3, 3);
    const [expiring] = await db.query(
      `INSERT INTO compliance.policies (organization_id, name, severity, kind, params) VALUES ($1, 'Expiring', 'HIGH', 'EXPIRES_WITHIN', '{"days":30}') RETURNING id`,
      [org.id],
    );
    await db.query(
      `UPDATE compliance.documents SET expires_on = current_date + 5 WHERE document_id = $1`,
      [org.docs[0]],
    );
    const engine = new RunEngine(db, 10);
    const expiry = await engine.start({ organizationId: org.id, scope: 'EXPIRY', trigger: 't' });
    for (const i of await engine.plan(expiry)) await engine.runBatch(expiry, i);
    expect(await run(expiry)).toMatchObject({ documents_checked: 1, findings_opened: 1 });
    const kinds = await db.query(
      `SELECT p.kind FROM compliance.findings f JOIN compliance.policies p ON p.id = f.policy_id WHERE f.organization_id = $1`,
      [org.id],
    );
    expect(kinds).toEqual([{ kind: 'EXPIRES_WITHIN' }]);

    const only = await engine.start({
      organizationId: org.id,
      scope: 'POLICY',
      policyId: expiring.id,
      trigger: 't',
    });
    for (const i of await engine.plan(only)) await engine.runBatch(only, i);
    // All three documents checked against that one policy: nothing new (the card policy waits).
    expect(await run(only)).toMatchObject({ documents_checked: 3, findings_opened: 0 });
  });

  it('resolves what no longer holds and finishes a run over an organization without documents', async () => {
    const org = await organization(2, 2);
    const engine = new RunEngine(db, 10);
    const first = await engine.start({ organizationId: org.id, scope: 'ALL', trigger: 'test' });
    for (const i of await engine.plan(first)) await engine.runBatch(first, i);
    await db.query(
      `UPDATE compliance.documents SET text = 'Card removed.' WHERE document_id = $1`,
      [org.docs[0]],
    );
    const second = await engine.start({ organizationId: org.id, scope: 'ALL', trigger: 'test' });
    for (const i of await engine.plan(second)) await engine.runBatch(second, i);
    expect(await run(second)).toMatchObject({ findings_opened: 0, findings_resolved: 1 });
    const rows = await db.query(
      `SELECT status, evidence FROM compliance.findings WHERE document_id = $1`,
      [org.docs[0]],
    );
    expect(rows).toEqual([{ status: 'RESOLVED', evidence: 'Visa ending 1111' }]);

    const empty = await organization(0, 0);
    const none = await engine.start({ organizationId: empty.id, scope: 'ALL', trigger: 'test' });
    expect(await engine.plan(none)).toEqual([]);
    expect(await run(none)).toMatchObject({ documents_checked: 0, batch_count: 0, finished: true });
  });
});
