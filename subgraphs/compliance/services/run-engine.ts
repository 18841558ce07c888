import type { DataSource, EntityManager } from 'typeorm';
import type { RunScope } from '../entities/compliance-run.entity';
import { ComplianceDocumentStore, type DocumentSelection } from './compliance-document.store';
import { FindingWriter, type FindingChanges } from './finding-writer';
import { PolicyStore } from './policy.store';

export interface RunRequest {
  organizationId: string;
  scope: Exclude<RunScope, 'DOCUMENT'>;
  trigger: string;
  policyId?: string | null;
  /** Makes the request idempotent: the same key in the same organization is the same run. */
  runKey?: string | null;
}

interface RunRow {
  id: string;
  organization_id: string;
  scope: RunScope;
  policy_id: string | null;
  planned_at: Date | null;
  finished_at: Date | null;
}

function selectionOf(scope: RunScope): DocumentSelection {
  return scope === 'EXPIRY' ? 'EXPIRING' : 'ALL';
}

/**
 * Compliance runs over an organization's documents, cut into keyset batches so that memory is
 * bounded by the batch size and batches can run on any number of workers:
 *   start → plan (batch boundaries, read from the index only) → one job per batch → finish.
 * Every step is idempotent, so a crashed or redelivered step is simply run again:
 * the run key makes a start one run; planning happens once (`planned_at`) and re-planning only
 * re-lists the batches still to do; a batch is marked done in the transaction that writes its
 * findings, so a retried batch finds itself done or redoes all of it; the last batch to commit
 * finishes the run.
 */
export class RunEngine {
  private readonly documents = new ComplianceDocumentStore();
  private readonly policies = new PolicyStore();
  private readonly findings = new FindingWriter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly batchSize: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Records the run (or finds the one with the same key) and returns its id. */
  async start(request: RunRequest): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      await this.policies.ensureDefaults(manager, request.organizationId);
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO compliance.compliance_runs (organization_id, trigger, scope, policy_id, run_key, started_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (organization_id, run_key) WHERE run_key IS NOT NULL DO NOTHING RETURNING id`,
        [
          request.organizationId,
          request.trigger,
          request.scope,
          request.policyId ?? null,
          request.runKey ?? null,
          this.clock(),
        ],
      );
      if (inserted.length > 0) return inserted[0].id;
      const existing: { id: string }[] = await manager.query(
        `SELECT id FROM compliance.compliance_runs WHERE organization_id = $1 AND run_key = $2`,
        [request.organizationId, request.runKey],
      );
      return existing[0].id;
    });
  }

  /**
   * Cuts the run into batches (once) and returns the indexes of those not yet done: the jobs
   * to enqueue. A run with no document finishes here.
   */
  async plan(runId: string): Promise<number[]> {
    const run = await this.loadRun(this.dataSource.manager, runId);
    if (!run || run.finished_at) return [];
    if (!run.planned_at) {
      await this.dataSource.transaction(async (manager) => {
        const locked = await this.loadRun(manager, runId, true);
        if (!locked || locked.planned_at) return;
        const selection = selectionOf(locked.scope);
        let after: string | null = null;
        let index = 0;
        for (;;) {
          const last = await this.documents.nextBoundary(
            manager,
            locked.organization_id,
            selection,
            after,
            this.batchSize,
          );
          if (!last) break;
          await manager.query(
            `INSERT INTO compliance.run_batches (run_id, batch_index, organization_id, after_document_id, last_document_id)
             VALUES ($1, $2, $3, $4, $5)`,
            [runId, index, locked.organization_id, after, last],
          );
          after = last;
          index++;
        }
        await manager.query(
          `UPDATE compliance.compliance_runs SET planned_at = $2, batch_count = $3 WHERE id = $1`,
          [runId, this.clock(), index],
        );
      });
    }
    const pending: { batch_index: number }[] = await this.dataSource.query(
      `SELECT batch_index FROM compliance.run_batches WHERE run_id = $1 AND done_at IS NULL ORDER BY batch_index`,
      [runId],
    );
    if (pending.length === 0) await this.finishIfDone(runId);
    return pending.map((p) => p.batch_index);
  }

  /** Evaluates one batch; false when it was already done (a redelivered job). */
  async runBatch(runId: string, batchIndex: number): Promise<boolean> {
    const done = await this.dataSource.transaction(async (manager) => {
      // Locks the batch: a concurrent duplicate waits, then finds it done.
      const batches: {
        organization_id: string;
        after_document_id: string | null;
        last_document_id: string;
      }[] = await manager.query(
        `SELECT organization_id, after_document_id, last_document_id FROM compliance.run_batches
         WHERE run_id = $1 AND batch_index = $2 AND done_at IS NULL FOR UPDATE`,
        [runId, batchIndex],
      );
      if (batches.length === 0) return false;
      const batch = batches[0];
      const run = (await this.loadRun(manager, runId))!;
      const documents = await this.documents.loadRange(
        manager,
        batch.organization_id,
        selectionOf(run.scope),
        batch.after_document_id,
        batch.last_document_id,
      );
      const changes = await this.evaluate(manager, run, documents);
      await manager.query(
        `UPDATE compliance.run_batches SET done_at = $3 WHERE run_id = $1 AND batch_index = $2`,
        [runId, batchIndex, this.clock()],
      );
      await this.count(manager, runId, documents.length, changes);
      return true;
    });
    await this.finishIfDone(runId);
    return done;
  }

  /**
   * Evaluates the given documents at once, as one finished run (a document event). `runKey`
   * (the event id) makes a redelivered event change nothing.
   */
  async evaluateDocuments(
    organizationId: string,
    documentIds: string[],
    trigger: string,
    runKey: string,
    prepare: (manager: EntityManager) => Promise<void> = async () => undefined,
  ): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      await this.policies.ensureDefaults(manager, organizationId);
      const inserted: RunRow[] = await manager.query(
        `INSERT INTO compliance.compliance_runs (organization_id, trigger, scope, run_key, started_at, planned_at)
         VALUES ($1, $2, 'DOCUMENT', $3, $4, $4)
         ON CONFLICT (organization_id, run_key) WHERE run_key IS NOT NULL DO NOTHING
         RETURNING id, organization_id, scope, policy_id, planned_at, finished_at`,
        [organizationId, trigger, runKey, this.clock()],
      );
      if (inserted.length === 0) return null;
      await prepare(manager);
      const documents = await this.documents.load(manager, organizationId, documentIds);
      const changes = await this.evaluate(manager, inserted[0], documents);
      await this.count(manager, inserted[0].id, documents.length, changes);
      await manager.query(`UPDATE compliance.compliance_runs SET finished_at = $2 WHERE id = $1`, [
        inserted[0].id,
        this.clock(),
      ]);
      return inserted[0].id;
    });
  }

  /** Runs started before `startedBefore` that have not finished: candidates to resume. */
  async unfinished(startedBefore: Date, limit = 1000): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM compliance.compliance_runs WHERE finished_at IS NULL AND started_at < $1 AND scope <> 'DOCUMENT'
       ORDER BY started_at LIMIT $2`,
      [startedBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The organizations compliance knows, by keyset (for scheduled runs over all of them). */
  async organizations(after: string | null, limit: number): Promise<string[]> {
    const rows: { organization_id: string }[] = await this.dataSource.query(
      `SELECT organization_id FROM compliance.organizations
       WHERE ($1::uuid IS NULL OR organization_id > $1) ORDER BY organization_id LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => r.organization_id);
  }

  private async evaluate(
    manager: EntityManager,
    run: RunRow,
    documents: Awaited<ReturnType<ComplianceDocumentStore['load']>>,
  ): Promise<FindingChanges> {
    if (documents.length === 0) return { opened: 0, resolved: 0 };
    const policies = await this.policies.forRun(
      manager,
      run.organization_id,
      run.scope,
      run.policy_id,
    );
    const uploaders = await this.documents.uploaders(
      manager,
      run.organization_id,
      documents.map((d) => d.id),
    );
    return this.findings.apply(
      manager,
      run.organization_id,
      documents,
      policies,
      uploaders,
      this.clock(),
    );
  }

  private async count(
    manager: EntityManager,
    runId: string,
    checked: number,
    changes: FindingChanges,
  ): Promise<void> {
    await manager.query(
      `UPDATE compliance.compliance_runs SET documents_checked = documents_checked + $2,
         findings_opened = findings_opened + $3, findings_resolved = findings_resolved + $4
       WHERE id = $1`,
      [runId, checked, changes.opened, changes.resolved],
    );
  }

  /** Each batch calls this after its commit, so the last one to commit always sees all done. */
  private async finishIfDone(runId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE compliance.compliance_runs SET finished_at = $2
       WHERE id = $1 AND finished_at IS NULL AND planned_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM compliance.run_batches WHERE run_id = $1 AND done_at IS NULL)`,
      [runId, this.clock()],
    );
  }

  private async loadRun(
    manager: EntityManager,
    runId: string,
    lock = false,
  ): Promise<RunRow | null> {
    const rows: RunRow[] = await manager.query(
      `SELECT id, organization_id, scope, policy_id, planned_at, finished_at
       FROM compliance.compliance_runs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [runId],
    );
    return rows[0] ?? null;
  }
}
