import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SubgraphHarness } from '../../../test/support/subgraph-harness';
import { SecretBox } from '../webhooks/secret-box';
import { newWebhookSecret } from '../webhooks/webhook-signature';
import { notificationsSubgraph } from '..';
import { EncryptWebhookSecrets1764800000000 } from './1764800000000-encrypt-webhook-secrets';

let harness: SubgraphHarness;
let dataSource: DataSource;

beforeAll(async () => {
  harness = await SubgraphHarness.start(notificationsSubgraph);
  dataSource = harness.running.dataSource;
});

afterAll(async () => {
  await harness?.stop();
});

async function insertEndpoint(organizationId: string, secret: string): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO notifications.webhook_endpoints (organization_id, url, secret, created_by)
     VALUES ($1, 'https://example.com/hook', $2, $3) RETURNING id`,
    [organizationId, secret, randomUUID()],
  );
  return rows[0].id;
}

async function secretOf(id: string): Promise<string> {
  const rows: { secret: string }[] = await dataSource.query(
    `SELECT secret FROM notifications.webhook_endpoints WHERE id = $1`,
    [id],
  );
  return rows[0].secret;
}

async function run(direction: 'up' | 'down'): Promise<void> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.startTransaction();
    await new EncryptWebhookSecrets1764800000000()[direction](queryRunner);
    await queryRunner.commitTransaction();
  } finally {
    await queryRunner.release();
  }
}

describe('EncryptWebhookSecrets1764800000000', () => {
  it('seals plaintext rows with the configured key, leaves sealed rows alone, and down() opens them', async () => {
    const box = SecretBox.fromKeys(harness.config.WEBHOOK_SECRET_KEYS);
    const organizationId = randomUUID();
    const plaintext = newWebhookSecret();
    const legacy = await insertEndpoint(organizationId, plaintext);
    const alreadySealed = box.seal(newWebhookSecret(), organizationId);
    const current = await insertEndpoint(organizationId, alreadySealed);

    await run('up');
    const sealed = await secretOf(legacy);
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(plaintext.replace(/^whsec_/, ''));
    expect(box.open(sealed, organizationId)).toBe(plaintext);
    expect(await secretOf(current)).toBe(alreadySealed);

    await run('up'); // a rerun changes nothing
    expect(await secretOf(legacy)).toBe(sealed);

    await run('down');
    expect(await secretOf(legacy)).toBe(plaintext);
    expect(SecretBox.isSealed(await secretOf(current))).toBe(false);
    await run('up');
  });
});
