import { z } from 'zod';

/**
 * Every setting Docent reads, validated once at start. `.env.example` documents
 * each of them; a bad or missing value stops the process with a message naming it.
 */
const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** One key of `WEBHOOK_SECRET_KEYS`: its id (written into every ciphertext) and its 32 bytes. */
export interface WebhookSecretKey {
  id: string;
  key: Buffer;
}

/**
 * `WEBHOOK_SECRET_KEYS`: comma-separated `keyId:base64-of-32-bytes`. The first key encrypts new
 * webhook signing secrets, every key decrypts (rotation: put the new key first, keep the old).
 * The config keeps the text (validated here), so a config passed on to a child process through
 * its environment stays what it was; `webhookSecretKeyRing` reads the keys out of it.
 */
function parseWebhookSecretKeys(value: string): { keys: WebhookSecretKey[]; issues: string[] } {
  const keys: WebhookSecretKey[] = [];
  const issues: string[] = [];
  for (const [index, entry] of value.split(',').entries()) {
    const item = entry.trim();
    const colon = item.indexOf(':');
    const id = colon === -1 ? item : item.slice(0, colon);
    const encoded = colon === -1 ? '' : item.slice(colon + 1).trim();
    if (!/^[A-Za-z0-9_-]+$/.test(id)) {
      issues.push(`key ${index + 1}: expected keyId:base64-of-32-bytes, the id of [A-Za-z0-9_-]+`);
      continue;
    }
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) || key.length !== 32) {
      issues.push(`key "${id}": must be base64 of exactly 32 bytes (openssl rand -base64 32)`);
      continue;
    }
    if (keys.some((k) => k.id === id)) {
      issues.push(`key id "${id}" appears twice`);
      continue;
    }
    keys.push({ id, key });
  }
  return { keys, issues };
}

/** The keys of a validated `WEBHOOK_SECRET_KEYS` (a loaded config's), first the sealing one. */
export function webhookSecretKeyRing(value: string): WebhookSecretKey[] {
  const { keys, issues } = parseWebhookSecretKeys(value);
  if (issues.length > 0) throw new ConfigError(issues.map((i) => `WEBHOOK_SECRET_KEYS: ${i}`));
  return keys;
}

const webhookSecretKeys = z
  .string({ error: 'required: comma-separated keyId:base64-of-32-bytes' })
  .superRefine((value, ctx) => {
    for (const message of parseWebhookSecretKeys(value).issues)
      ctx.addIssue({ code: 'custom', message });
  });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://postgres@127.0.0.1:5432/docent'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/i)
    .default('docent'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  JWT_ISSUER: z.string().default('docent'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  GATEWAY_PORT: port.default(4000),
  ACCOUNTS_PORT: port.default(4001),
  DOCUMENTS_PORT: port.default(4002),
  SEARCH_PORT: port.default(4003),
  COMPLIANCE_PORT: port.default(4004),
  NOTIFICATIONS_PORT: port.default(4005),
  WORKER_PORT: port.default(4010),
  SCHEDULER_PORT: port.default(4011),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  // Compliance runs (subgraphs/compliance): documents per batch job, batch jobs per worker, schedules (cron, UTC).
  COMPLIANCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  COMPLIANCE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  COMPLIANCE_EXPIRY_CRON: z.string().min(9).default('0 * * * *'),
  COMPLIANCE_DAILY_CRON: z.string().min(9).default('0 3 * * *'),
  // Webhooks (subgraphs/notifications/webhooks/): SSRF allow-list, timeouts, retries.
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(5),
  // Keys that encrypt webhook signing secrets at rest (webhooks/secret-box.ts); the first encrypts.
  WEBHOOK_SECRET_KEYS: z.preprocess((v) => (v === '' ? undefined : v), webhookSecretKeys),
  ACCOUNTS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
  DOCUMENTS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
  SEARCH_URL: z.url().default('http://127.0.0.1:4003/graphql'),
  COMPLIANCE_URL: z.url().default('http://127.0.0.1:4004/graphql'),
  NOTIFICATIONS_URL: z.url().default('http://127.0.0.1:4005/graphql'),
  HOST: z.string().default('0.0.0.0'),
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SUBSCRIPTION_REVERIFY_MS: z.coerce.number().int().min(100).default(60_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  EMBEDDING_DIM: z.coerce.number().int().min(16).max(2000).default(256),
  // --- AI provider (core/ai) ---
  AI_PROVIDER: z.enum(['local', 'openai']).default('local'),
  OPENAI_API_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  OPENAI_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  OPENAI_CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(0),
  // --- storage and ingestion (issue 3) ---
  STORAGE: z.enum(['local', 's3']).default('local'),
  DATA_DIR: z.string().default('./data'),
  PUBLIC_URL: z.url().default('http://localhost:4000'),
  S3_BUCKET: z.string().default('docent'),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(52_428_800),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  PIPELINE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  PIPELINE_MAX_PAGES: z.coerce.number().int().min(1).default(2000),
  PIPELINE_MAX_CHARS: z.coerce.number().int().min(1000).default(1_000_000),
  PIPELINE_EXTRACT_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  PIPELINE_EXTRACT_MEMORY_MB: z.coerce.number().int().min(32).default(512),
  PIPELINE_JOB_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  PIPELINE_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  PIPELINE_LOCK_DURATION_MS: z.coerce.number().int().min(500).default(30_000),
  PIPELINE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  INTROSPECTION: bool.optional(),
  // Gateway protection (gateway/limits): operation limits checked before any subgraph is asked.
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  GRAPHQL_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(10),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).default(3000),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(5000),
  // Requests per window, counted in Redis and shared by every gateway; 0 turns a limit off.
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_PER_USER: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_PER_API_KEY: z.coerce.number().int().min(0).default(3000),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(600),
  // Proxies in front of the gateway whose X-Forwarded-For entries are trusted (nginx: 1).
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  // Automatic persisted queries in Redis, shared by every gateway instance.
  APQ_TTL_SECONDS: z.coerce.number().int().min(60).default(604_800),
  // Apollo persisted-query manifest (version 1) and the clients held to it ('*': every client).
  PERSISTED_QUERY_MANIFEST: z.string().optional(),
  SAFELIST_CLIENTS: z.string().default(''),
  // Response cache in Redis for operations whose every field the subgraphs hint as cacheable.
  RESPONSE_CACHE: bool.default(true),
  // OpenTelemetry traces over OTLP/HTTP (`<endpoint>/v1/traces`); unset: tracing off, no SDK loaded.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.url({ protocol: /^https?$/ }).optional(),
  ),
  APOLLO_TELEMETRY_DISABLED: z
    .literal('true', {
      message: 'APOLLO_TELEMETRY_DISABLED must be "true": nothing may report usage off the machine',
    })
    .default('true'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Development-only fallback so `npm start` works with no .env; refused in production. */
const DEVELOPMENT_JWT_SECRET = 'docent-development-secret-change-me-0123456789';
/** Likewise for the webhook secret keys: public, so refused in production. */
const DEVELOPMENT_WEBHOOK_KEY = Buffer.from('docent-dev-webhook-secrets-key!!');
const DEVELOPMENT_WEBHOOK_SECRET_KEYS = `dev:${DEVELOPMENT_WEBHOOK_KEY.toString('base64')}`;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = { ...env };
  if (!input.JWT_SECRET && input.NODE_ENV !== 'production')
    input.JWT_SECRET = DEVELOPMENT_JWT_SECRET;
  if (!input.WEBHOOK_SECRET_KEYS && input.NODE_ENV !== 'production')
    input.WEBHOOK_SECRET_KEYS = DEVELOPMENT_WEBHOOK_SECRET_KEYS;
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: set a secret of your own in production']);
  }
  if (
    parsed.data.NODE_ENV === 'production' &&
    webhookSecretKeyRing(parsed.data.WEBHOOK_SECRET_KEYS).some((k) =>
      k.key.equals(DEVELOPMENT_WEBHOOK_KEY),
    )
  ) {
    throw new ConfigError(['WEBHOOK_SECRET_KEYS: set keys of your own in production']);
  }
  return parsed.data;
}

/** Reads `.env` when present (Node's own loader), then the process environment wins. */
export function loadEnvFile(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function introspectionEnabled(config: Config): boolean {
  return config.INTROSPECTION ?? config.NODE_ENV !== 'production';
}
