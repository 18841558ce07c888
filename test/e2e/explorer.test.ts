import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { EXPLORER_CSP } from '../../gateway/explorer/explorer-route';
import { signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * The self-hosted schema explorer in a real headless Chromium (Debian's, installed by
 * ops/install-chromium.sh): it loads with nothing but the gateway reachable, shows the schema's
 * docs, and runs a query with the token typed into its header editor.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let platform: TestPlatform;
let browser: Browser;
let owner: Actor;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run ops/install-chromium.sh (CI does)`);
  platform = await startTestPlatform();
  owner = await signUpOwner(platform.url);
  // From source the gateway bundles on the first request (several seconds, more on a busy
  // machine): do it here, so the browser's part measures the page, not esbuild.
  expect((await fetch(`${new URL(platform.url).origin}/explorer/assets/explorer.js`)).status).toBe(
    200,
  );
  // Root in CI and containers: Chromium's sandbox needs user namespaces it may not have there.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

const origin = () => new URL(platform.url).origin;
const isLocal = (url: string) => ['127.0.0.1', 'localhost'].includes(new URL(url).hostname);

describe('schema explorer', () => {
  it('serves the page with a self-only Content-Security-Policy', async () => {
    const response = await fetch(`${origin()}/explorer`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toBe(EXPLORER_CSP);
    // Every directive names this gateway alone: no other origin, no scheme but data: (Monaco's
    // icons), scripts only from files (inline styles are Monaco's: explorer-route.ts).
    for (const directive of csp.split('; ')) {
      const [name, ...sources] = directive.split(' ');
      for (const source of sources)
        expect([`'self'`, `'none'`, 'data:', `'unsafe-inline'`]).toContain(source);
      if (sources.includes(`'unsafe-inline'`)) expect(name).toBe('style-src');
      if (name === 'script-src') expect(sources).toEqual([`'self'`]);
    }
    expect(await response.text()).not.toMatch(/https?:\/\//);
  });

  it('loads offline in Chromium, shows the docs, and runs a query with an Authorization header', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const blocked: string[] = [];
    const requested: string[] = [];
    // Nothing but the gateway is reachable: any other request is aborted and recorded.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || isLocal(url)) {
        requested.push(url);
        return route.continue();
      }
      blocked.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()) || message.type() === 'error')
        problems.push(`csp: ${message.text()}`);
    });

    await page.goto(`${origin()}/explorer`, { timeout: 90_000 });
    await page.locator('.graphiql-container').waitFor({ timeout: 90_000 });

    // Docs: the explorer introspected the schema through the gateway.
    await page.getByRole('button', { name: /show documentation explorer/i }).click();
    await page
      .locator('.graphiql-doc-explorer')
      .getByText('Query', { exact: true })
      .waitFor({ timeout: 60_000 });

    // The token goes in through the header editor; the default query asks `me`.
    await page.getByText('Headers', { exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(
      JSON.stringify({ Authorization: `Bearer ${owner.accessToken}` }),
    );
    await page.getByRole('button', { name: /execute query/i }).click();

    // Monaco renders the answer (wide enough that no line wraps); spaces come as U+00A0.
    const response = page.locator('.graphiql-response');
    let text = '';
    for (let tries = 0; tries < 300 && !text.includes(owner.email); tries++) {
      await page.waitForTimeout(200);
      text = ((await response.textContent()) ?? '').replace(/\u00a0/g, ' ');
    }
    expect(text).toContain('"role": "OWNER"');
    expect(text).toContain(owner.userId);

    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    expect(requested.some((url) => url.endsWith('/explorer/assets/graphql.worker.js'))).toBe(true);
    expect(requested.some((url) => url.endsWith('/graphql'))).toBe(true);
    for (const url of [...requested, ...sockets]) expect(isLocal(url)).toBe(true);
    await context.close();
  }, 300_000);

  it('is not served where introspection is off', async () => {
    const closed = await startTestPlatform({ INTROSPECTION: 'false' });
    try {
      const base = new URL(closed.url).origin;
      expect((await fetch(`${base}/explorer`)).status).toBe(404);
      expect((await fetch(`${base}/explorer/assets/explorer.js`)).status).toBe(404);
    } finally {
      await closed.stop();
    }
  }, 120_000);
});
