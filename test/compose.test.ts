import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../core/config/config';
import { ROLES } from '../ops/roles';
import { ROLE_NODE_FLAGS } from '../ops/role-node-flags';

interface ComposeService {
  command?: string[];
  entrypoint?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  build?: { dockerfile: string };
}

const root = join(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const defaults = loadConfig({});

// docker-compose cannot run on this machine (no Docker engine): this keeps it honest instead.
describe('docker-compose.yml', () => {
  it('runs every role from the one Dockerfile, on its configured port', () => {
    const ports: Record<string, number> = {
      gateway: defaults.GATEWAY_PORT,
      accounts: defaults.ACCOUNTS_PORT,
      documents: defaults.DOCUMENTS_PORT,
      search: defaults.SEARCH_PORT,
      compliance: defaults.COMPLIANCE_PORT,
      notifications: defaults.NOTIFICATIONS_PORT,
      worker: defaults.WORKER_PORT,
      scheduler: defaults.SCHEDULER_PORT,
    };
    for (const role of ROLES) {
      const service = compose.services[role];
      expect(service).toBeDefined();
      expect(service.command).toEqual([role]);
      expect(service.build?.dockerfile).toBe('ops/Dockerfile');
      expect(service.ports).toContain(`${ports[role]}:${ports[role]}`);
    }
  });

  it('gives every role the settings it cannot start without, and valid ones', () => {
    for (const role of ROLES) {
      const env = compose.services[role].environment ?? {};
      expect(env.APOLLO_TELEMETRY_DISABLED).toBe('true');
      for (const setting of [
        'DATABASE_URL',
        'REDIS_URL',
        'JWT_SECRET',
        'WEBHOOK_SECRET_KEYS',
        'ACCOUNTS_URL',
        'DOCUMENTS_URL',
        'SEARCH_URL',
        'COMPLIANCE_URL',
        'NOTIFICATIONS_URL',
      ]) {
        expect(env[setting]).toBeTruthy();
      }
      for (const key of Object.keys(env)) expect(Object.keys(configSchema.shape)).toContain(key);
      expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).not.toThrow();
    }
  });

  it('runs migrations before the roles, and has PostgreSQL with pgvector, Redis and MinIO', () => {
    expect(compose.services.migrate.entrypoint).toEqual(['node', 'dist/ops/migrate.js']);
    expect(compose.services.postgres).toMatchObject({ image: expect.stringContaining('pgvector') });
    expect(compose.services.redis).toBeDefined();
    expect(compose.services.minio).toBeDefined();
  });

  it('builds an image whose entrypoint is the role runner the build emits', () => {
    const dockerfile = readFileSync(join(root, 'ops/Dockerfile'), 'utf8');
    // With the same node flags as the supervisor gives its roles.
    expect(dockerfile).toContain(
      `ENTRYPOINT ${JSON.stringify(['node', ...ROLE_NODE_FLAGS, 'dist/ops/role.js']).replaceAll(',', ', ')}`,
    );
    expect(dockerfile).toMatch(/FROM node:20/);
    expect(dockerfile).toContain('APOLLO_TELEMETRY_DISABLED=true');
  });
});
