import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { EventType } from '../../../core/events/catalogue';
import type { RelayedEvent } from '../../../core/events/relayed-event';
import { LocalObjectStorage } from '../../../core/storage';
import { SubgraphHarness } from '../../../test/support/subgraph-harness';
import { complianceSubgraph } from '..';
import { ComplianceDocumentStore } from '../services/compliance-document.store';
import { RunEngine } from '../services/run-engine';
import { DocumentEventsJob } from './document-events.job';

let harness: SubgraphHarness;
let db: DataSource;
let dataDir: string;
let storage: LocalObjectStorage;
let job: DocumentEventsJob;

const CARD_TEXT = 'Paid with Visa 4111 1111 1111 1111 on delivery.';

beforeAll(async () => {
  harness = await SubgraphHarness.start(complianceSubgraph);
  db = harness.running.dataSource;
  dataDir = await mkdtemp(join(tmpdir(), 'docent-compliance-'));
  storage = new LocalObjectStorage({
    dataDir,
    publicUrl: 'http://localhost:4000',
    signingSecret: harness.config.JWT_SECRET,
  });
  job = new DocumentEventsJob(db, new RunEngine(db, 100), storage);
});

afterAll(async () => {
  await harness?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let clock = Date.parse('2026-01-01T00:00:00Z');
function event(
  type: EventType,
  organizationId: string,
  documentId: string,
  payload: Record<string, unknown> = {},
): RelayedEvent {
  clock += 1000;
  return {
    id: randomUUID(),
    type,
    organizationId,
    aggregateId: documentId,
    payload: { title: 'Invoice', tags: [], ...payload },
    occurredAt: new Date(clock).toISOString(),
  };
}

/** A processed event whose extracted text holds a card number (the default PII policy's catch). */
async function processed(organizationId: string, documentId: string): Promise<RelayedEvent> {
  const key = `extracted/${organizationId}/${documentId}.json`;
  await storage.write(key, JSON.stringify({ pages: [{ text: CARD_TEXT }] }));
  return event(EventType.DocumentProcessed, organizationId, documentId, { extractedKey: key });
}

async function state(documentId: string) {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM compliance.documents WHERE document_id = $1) AS documents,
            (SELECT count(*)::int FROM compliance.findings WHERE document_id = $1) AS findings,
            (SELECT count(*)::int FROM compliance.removed_documents WHERE document_id = $1) AS tombstones`,
    [documentId],
  );
  return row as { documents: number; findings: number; tombstones: number };
}

describe('document events after a deletion', () => {
  it('a late processed or updated event brings neither the document nor its findings back', async () => {
    const org = randomUUID();
    const doc = randomUUID();
    await job.handle(event(EventType.DocumentUploaded, org, doc, { uploadedById: randomUUID() }));
    const late = await processed(org, doc);
    await job.handle(await processed(org, doc));
    expect(await state(doc)).toEqual({ documents: 1, findings: 1, tombstones: 0 });

    await job.handle(event(EventType.DocumentDeleted, org, doc));
    expect(await state(doc)).toEqual({ documents: 0, findings: 0, tombstones: 1 });

    // Reordered (older than the deletion) and newer events alike are ignored.
    await job.handle(late);
    await job.handle(await processed(org, doc));
    await job.handle(event(EventType.DocumentUpdated, org, doc, { title: 'Renamed' }));
    await job.handle(event(EventType.DocumentUploaded, org, doc));
    expect(await state(doc)).toEqual({ documents: 0, findings: 0, tombstones: 1 });
    const [{ opened }] = await db.query(
      `SELECT count(*)::int AS opened FROM compliance.outbox WHERE payload->>'documentId' = $1 AND type = $2`,
      [doc, EventType.FindingOpened],
    );
    expect(opened).toBe(1);
    // A redelivered deletion is harmless.
    await job.handle(event(EventType.DocumentDeleted, org, doc));
    expect(await state(doc)).toEqual({ documents: 0, findings: 0, tombstones: 1 });
  });

  it('a deletion racing a first processed event waits for it, and the document does not survive', async () => {
    const org = randomUUID();
    const doc = randomUUID();
    // The processed event has inserted the row anew and not committed yet.
    const writer = db.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    const store = new ComplianceDocumentStore();
    const at = new Date().toISOString();
    const written = await store.recordProcessed(writer.manager, {
      documentId: doc,
      organizationId: org,
      title: 'Invoice',
      category: null,
      categoryConfidence: null,
      tags: [],
      facts: null,
      expiresOn: null,
      text: CARD_TEXT,
      createdAt: at,
      occurredAt: at,
    });
    expect(written).toBe(true);

    let removed = false;
    const removal = job.handle(event(EventType.DocumentDeleted, org, doc)).then(() => {
      removed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(removed).toBe(false);
    await writer.commitTransaction();
    await writer.release();
    await removal;
    expect(await state(doc)).toEqual({ documents: 0, findings: 0, tombstones: 1 });
  });

  it("a deletion during a batch waits for the batch's findings and deletes them too", async () => {
    const org = randomUUID();
    const doc = randomUUID();
    await job.handle(await processed(org, doc));
    await db.query(`DELETE FROM compliance.findings WHERE document_id = $1`, [doc]);

    // A batch holding the document: it has read it and not yet written its findings.
    const batch = db.createQueryRunner();
    await batch.connect();
    await batch.startTransaction();
    const store = new ComplianceDocumentStore();
    const loaded = await store.loadRange(batch.manager, org, 'ALL', null, doc);
    expect(loaded.map((d) => d.id)).toEqual([doc]);

    let removed = false;
    const removal = job.handle(event(EventType.DocumentDeleted, org, doc)).then(() => {
      removed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(removed).toBe(false);

    const [{ policy_id }] = await batch.query(
      `SELECT id AS policy_id FROM compliance.policies WHERE organization_id = $1 LIMIT 1`,
      [org],
    );
    await batch.query(
      `INSERT INTO compliance.findings (organization_id, policy_id, document_id, severity, status, message)
       VALUES ($1, $2, $3, 'HIGH', 'OPEN', 'Card number found')`,
      [org, policy_id, doc],
    );
    await batch.commitTransaction();
    await batch.release();
    await removal;
    expect(await state(doc)).toEqual({ documents: 0, findings: 0, tombstones: 1 });
  });
});
