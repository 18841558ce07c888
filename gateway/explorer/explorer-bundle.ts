import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Loader } from 'esbuild';

/** One file of the explorer's bundle, as served under `/explorer/assets/`. */
export interface ExplorerAsset {
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};

const FILE_LOADERS: Record<string, Loader> = {
  '.ttf': 'file',
  '.woff': 'file',
  '.woff2': 'file',
  '.svg': 'file',
};

/** Where a package's own file lies (resolved from this project, not from a CDN). */
function packageFile(specifier: string): string {
  const [scopeOrName, maybeName, ...rest] = specifier.split('/');
  const name = scopeOrName.startsWith('@') ? `${scopeOrName}/${maybeName}` : scopeOrName;
  const inside = scopeOrName.startsWith('@') ? rest : [maybeName, ...rest];
  return join(dirname(require.resolve(`${name}/package.json`)), ...inside);
}

/**
 * Bundles GraphiQL (React, Monaco and its language workers, the CSS and fonts) with esbuild into
 * files the gateway serves itself: `explorer.js`, `explorer.css`, the three Monaco workers and
 * the fonts. Nothing is fetched from a CDN at build or run time. Takes several seconds:
 * `npm run build` does it once (build-explorer.ts); code run from source does it on the first
 * request for the explorer (explorer-route.ts).
 */
export async function bundleExplorer(): Promise<Map<string, ExplorerAsset>> {
  const result = await build({
    entryPoints: [
      { in: join(projectRoot(), 'gateway', 'explorer', 'client', 'explorer.mjs'), out: 'explorer' },
      { in: packageFile('monaco-editor/esm/vs/editor/editor.worker.js'), out: 'editor.worker' },
      { in: packageFile('monaco-editor/esm/vs/language/json/json.worker.js'), out: 'json.worker' },
      { in: packageFile('monaco-graphql/esm/graphql.worker.js'), out: 'graphql.worker' },
    ],
    absWorkingDir: join(__dirname, '..', '..'),
    bundle: true,
    write: false,
    outdir: '/explorer-assets',
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    loader: FILE_LOADERS,
    // Stable names: the gateway serves a fixed list of paths (EXPLORER_ASSETS).
    assetNames: '[name]',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const files = new Map<string, Buffer>();
  for (const file of result.outputFiles)
    files.set(file.path.slice('/explorer-assets/'.length), Buffer.from(file.contents));
  files.set('explorer.css', Buffer.concat([files.get('explorer.css')!, Buffer.from(PAGE_CSS)]));
  return asAssets(files);
}

/** The page itself fills the window (no inline styles: the CSP allows none). */
const PAGE_CSS = '\nhtml,body,#explorer{height:100%;margin:0}\n';

/** Every file the bundle is made of; anything else under /explorer/assets/ is a 404. */
export const EXPLORER_ASSETS = [
  'explorer.js',
  'explorer.css',
  'editor.worker.js',
  'json.worker.js',
  'graphql.worker.js',
  'codicon.ttf',
] as const;

function asAssets(files: Map<string, Buffer>): Map<string, ExplorerAsset> {
  const unexpected = [...files.keys()].filter(
    (name) => !(EXPLORER_ASSETS as readonly string[]).includes(name),
  );
  const missing = EXPLORER_ASSETS.filter((name) => !files.has(name));
  // A GraphiQL upgrade that adds or renames a file must update the list, not 404 in a browser.
  if (unexpected.length || missing.length)
    throw new Error(
      `explorer bundle: unexpected files [${unexpected.join(', ')}], missing [${missing.join(', ')}]`,
    );
  const assets = new Map<string, ExplorerAsset>();
  for (const [name, body] of files) {
    const extension = name.slice(name.lastIndexOf('.'));
    assets.set(name, { contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', body });
  }
  return assets;
}

/** The checkout's root, from source (gateway/explorer) or compiled code (dist/gateway/explorer). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('explorer bundle: no package.json above ' + __dirname);
    dir = parent;
  }
  return dir;
}

/**
 * Where `npm run build` leaves the bundle for compiled code (`dist/explorer/`), so a production
 * image serves it without esbuild or the client's source; from source (ts-node, tests) the
 * folder is absent and the gateway bundles in memory instead.
 */
export const PREBUILT_EXPLORER_DIR = join(__dirname, '..', '..', 'explorer');

/** Names what a bundle was made from; a build whose inputs did not change keeps its bundle. */
const STAMP = '.stamp';

const BUNDLED_PACKAGES = [
  'esbuild',
  'graphiql',
  '@graphiql/react',
  '@graphiql/toolkit',
  'monaco-editor',
  'monaco-graphql',
  'react',
  'react-dom',
  'graphql',
  'graphql-ws',
];

/** The client's source, this bundler's code and the versions of every bundled package. */
export function explorerStamp(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(projectRoot(), 'gateway', 'explorer', 'client', 'explorer.mjs')));
  hash.update(readFileSync(__filename));
  for (const name of BUNDLED_PACKAGES) {
    const manifest = JSON.parse(readFileSync(packageFile(`${name}/package.json`), 'utf8')) as {
      version: string;
    };
    hash.update(`${name}@${manifest.version}\n`);
  }
  return hash.digest('hex');
}

export function prebuiltExplorerIsCurrent(dir = PREBUILT_EXPLORER_DIR): boolean {
  const stamp = join(dir, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === explorerStamp();
}

export function readPrebuiltExplorer(
  dir = PREBUILT_EXPLORER_DIR,
): Map<string, ExplorerAsset> | null {
  if (!existsSync(dir)) return null;
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir))
    if (name !== STAMP) files.set(name, readFileSync(join(dir, name)));
  return asAssets(files);
}

export function writeExplorer(
  assets: Map<string, ExplorerAsset>,
  dir = PREBUILT_EXPLORER_DIR,
): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, asset] of assets) writeFileSync(join(dir, name), asset.body);
  writeFileSync(join(dir, STAMP), explorerStamp());
}
