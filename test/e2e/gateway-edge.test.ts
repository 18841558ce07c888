import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverAudits } from 'graphql-http';
import type { Config } from '../../core/config/config';
import { createLogger } from '../../core/logging/logger';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { buildManifest } from '../../gateway/persisted-queries/build-manifest';
import { signUpOwner, createTextDocument, type Actor } from '../support/actors';
import { errorCode, graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** The gateway's edge for clients: limits, rate limits, persisted queries, safelist, faults. */
let platform: TestPlatform;
const extraGateways: RunningGateway[] = [];
let owner: Actor;
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await signUpOwner(platform.url);
});
afterAll(async () => {
  for (const gateway of extraGateways) await gateway.stop();
  await platform?.stop();
});

async function anotherGateway(overrides: Partial<Config> = {}): Promise<RunningGateway> {
  const gateway = await startGateway({ ...platform.config, ...overrides }, logger, { port: 0 });
  extraGateways.push(gateway);
  return gateway;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function postJson(
  url: string,
  body: object,
  token?: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

describe('operation limits', () => {
  it('rejects a query deeper than the limit', async () => {
    let selection = 'id';
    for (let i = 0; i < 8; i++) selection = `similar { document { ${selection} } }`;
    const response = await graphql(
      platform.url,
      `query Deep($id: ID!) { document(id: $id) { ${selection} } }`,
      { id: owner.userId },
      owner.accessToken,
    );
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors![0].message).toMatch(/depth limit/i);
  });

  it('rejects an alias flood', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: me { role }`).join(' ');
    const response = await graphql(platform.url, `{ ${aliases} }`, {}, owner.accessToken);
    expect(response.status).toBe(400);
    expect(response.errors!.some((e) => /aliases limit/i.test(e.message))).toBe(true);
  });

  it('rejects an operation over the cost budget', async () => {
    const fields =
      'id title filename contentType byteSize sha256 status tags createdAt updatedAt processing { stage progress attempts error startedAt finishedAt durationMs }';
    const fragments = Array.from(
      { length: 6 },
      (_, i) =>
        `... on Query { d${i}: documents(first: 100) { totalCount edges { cursor node { ${fields} uploadedBy { id email name createdAt } } } } }`,
    ).join(' ');
    const response = await graphql(platform.url, `{ ${fragments} }`, {}, owner.accessToken);
    expect(response.status).toBe(400);
    expect(response.errors!.some((e) => /cost limit/i.test(e.message))).toBe(true);
  });

  it('rejects too many root fields, and too many tokens', async () => {
    const fields =
      'me { role } documents { totalCount } categories policies { id } members { role } apiKeys { id } unreadNotificationCount webhooks { id } notifications { totalCount } findings { totalCount } complianceSummary { openFindings }';
    const roots = await graphql(platform.url, `{ ${fields} }`, {}, owner.accessToken);
    expect(roots.errors!.some((e) => /root fields limit/i.test(e.message))).toBe(true);
    const tokens = await graphql(
      platform.url,
      `{ me { ${'role '.repeat(4000)} } }`,
      {},
      owner.accessToken,
    );
    expect(tokens.errors![0].message).toMatch(/more tha[nt] \d+ tokens/);
    expect(tokens.errors![0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('still runs an ordinary operation', async () => {
    const response = await graphql(
      platform.url,
      '{ me { role user { email } } documents(first: 5) { totalCount } }',
      {},
      owner.accessToken,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ me: { role: 'OWNER' } });
  });
});

describe('rate limits', () => {
  it('trips with RATE_LIMITED and Retry-After, then recovers', async () => {
    const gateway = await anotherGateway({ RATE_LIMIT_PER_USER: 5, RATE_LIMIT_WINDOW_SECONDS: 2 });
    const actor = await signUpOwner(platform.url);
    // Start at the beginning of a window so the five fit in it.
    await new Promise((r) => setTimeout(r, 2000 - (Date.now() % 2000) + 20));
    for (let i = 0; i < 5; i++) {
      const ok = await graphql(gateway.url, '{ me { role } }', {}, actor.accessToken);
      expect(ok.errors).toBeUndefined();
    }
    const limited = await postJson(gateway.url, { query: '{ me { role } }' }, actor.accessToken);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.errors![0].extensions!.retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors![0].message).not.toMatch(/Context creation failed/);
    // Another caller is counted on its own.
    expect(
      (await graphql(gateway.url, '{ me { role } }', {}, owner.accessToken)).errors,
    ).toBeUndefined();
    await new Promise((r) => setTimeout(r, Number(limited.headers.get('retry-after')) * 1000 + 50));
    expect(
      (await graphql(gateway.url, '{ me { role } }', {}, actor.accessToken)).errors,
    ).toBeUndefined();
  });
});

describe('automatic persisted queries', () => {
  it('miss, register, then hit on another gateway instance, over GET too', async () => {
    const second = await anotherGateway();
    const query = `query Apq { me { role organization { id } } } # ${Date.now()}`;
    const hash = sha256(query);
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };

    const miss = await postJson(platform.url, { extensions }, owner.accessToken);
    expect(miss.body.errors![0].extensions).toMatchObject({ code: 'PERSISTED_QUERY_NOT_FOUND' });

    const register = await postJson(platform.url, { query, extensions }, owner.accessToken);
    expect(register.body.data).toMatchObject({ me: { role: 'OWNER' } });

    const hit = await postJson(second.url, { extensions }, owner.accessToken);
    expect(hit.body.errors).toBeUndefined();
    expect(hit.body.data).toMatchObject({
      me: { role: 'OWNER', organization: { id: owner.organizationId } },
    });

    const search = new URLSearchParams({ extensions: JSON.stringify(extensions) });
    const get = await fetch(`${second.url}?${search}`, {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ data: { me: { role: 'OWNER' } } });
  });
});

describe('safelist', () => {
  it('a safelisted client runs listed operations by id and nothing else', async () => {
    const manifest = buildManifest(
      [join(__dirname, '../../clients/mobile/operations')],
      readFileSync(platform.config.SUPERGRAPH_PATH, 'utf8'),
    );
    const path = join(tmpdir(), `docent-manifest-${platform.config.REDIS_PREFIX}.json`);
    writeFileSync(path, JSON.stringify(manifest));
    const gateway = await anotherGateway({
      PERSISTED_QUERY_MANIFEST: path,
      SAFELIST_CLIENTS: 'docent-mobile',
    });
    const mobile = { 'apollographql-client-name': 'docent-mobile' };
    const me = manifest.operations.find((o) => o.name === 'Me')!;

    // Listed, by id only, on a gateway where nothing was ever registered.
    const listed = await postJson(
      gateway.url,
      { extensions: { persistedQuery: { version: 1, sha256Hash: me.id } } },
      owner.accessToken,
      mobile,
    );
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data).toMatchObject({ me: { role: 'OWNER' } });

    // Unlisted, as text or registered through APQ: refused before anything runs.
    const unlisted = await postJson(
      gateway.url,
      { query: '{ apiKeys { id } }' },
      owner.accessToken,
      mobile,
    );
    expect(unlisted.status).toBe(403);
    expect(unlisted.body.errors![0].extensions).toMatchObject({
      code: 'OPERATION_NOT_IN_SAFELIST',
    });
    const query = '{ members { role } }';
    const registered = await postJson(
      gateway.url,
      { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } },
      owner.accessToken,
      mobile,
    );
    expect(registered.body.errors![0].extensions).toMatchObject({
      code: 'OPERATION_NOT_IN_SAFELIST',
    });

    // Another client is not held to the list.
    const web = await postJson(gateway.url, { query: '{ apiKeys { id } }' }, owner.accessToken, {
      'apollographql-client-name': 'docent-web',
    });
    expect(web.body.errors).toBeUndefined();
  });
});

describe('graphql-http server audits', () => {
  it('pass with no failure', async () => {
    const audits = serverAudits({ url: platform.url });
    const warnings: string[] = [];
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status === 'warn') warnings.push(`${audit.name}: ${result.reason}`);
      if (result.status === 'error') failures.push(`${audit.name}: ${result.reason}`);
    }
    if (process.env.PRINT_AUDITS)
      process.stdout.write(`graphql-http warnings (${warnings.length}):\n${warnings.join('\n')}\n`);
    expect(failures).toEqual([]);
  });
});

describe('masked errors and faults', () => {
  it('a subgraph that is down gives partial data and an error; the gateway keeps serving', async () => {
    await createTextDocument(platform.url, owner, 'Still here');
    const notifications = platform.subgraphs.get('notifications')!;
    await notifications.stop();
    notifications.stop = async () => {}; // the platform's teardown must not stop it twice
    const response = await graphql<{ me: { role: string }; notification: null }>(
      platform.url,
      'query Partial($id: ID!) { me { role } notification(id: $id) { id } }',
      { id: owner.userId },
      owner.accessToken,
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: { role: 'OWNER' }, notification: null });
    expect(response.errors!.length).toBeGreaterThan(0);
    expect(response.errors![0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.errors![0].extensions?.requestId).toEqual(expect.any(String));
    expect(response.errors![0].message).toBe('Internal server error');
    const after = await graphql(
      platform.url,
      '{ documents(first: 1) { totalCount } }',
      {},
      owner.accessToken,
    );
    expect(after.data).toEqual({ documents: { totalCount: 1 } });
  });
});

describe('metrics', () => {
  it('every role serves Prometheus metrics; the gateway counts operations and subgraph fetches', async () => {
    await graphql(platform.url, 'query MetricsProbe { me { role } }', {}, owner.accessToken);
    const response = await fetch(new URL('/metrics', platform.url));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(
      /graphql_requests_total\{operation="MetricsProbe",type="query",outcome="ok"\} \d+/,
    );
    expect(text).toMatch(
      /gateway_subgraph_fetch_duration_seconds_count\{subgraph="accounts",outcome="ok"\} \d+/,
    );
    expect(text).toContain('process_cpu_seconds_total');
    const subgraph = await fetch(new URL('/metrics', platform.subgraphs.get('documents')!.url));
    expect(subgraph.status).toBe(200);
  });
});

describe('schema download', () => {
  it('serves the API schema as SDL at /schema.graphql', async () => {
    const response = await fetch(new URL('/schema.graphql', platform.url));
    expect(response.status).toBe(200);
    const sdl = await response.text();
    expect(sdl).toContain('type Query');
    expect(sdl).toContain('documents(');
    expect(sdl).not.toContain('join__');
  });
});
