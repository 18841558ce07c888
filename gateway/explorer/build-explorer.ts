import { bundleExplorer, PREBUILT_EXPLORER_DIR, writeExplorer } from './explorer-bundle';

/** `npm run build`'s last step: the explorer's bundle into dist/explorer/ (not committed). */
async function main(): Promise<void> {
  const started = Date.now();
  const assets = await bundleExplorer();
  writeExplorer(assets);
  const bytes = [...assets.values()].reduce((sum, asset) => sum + asset.body.length, 0);
  process.stdout.write(
    `explorer bundled into ${PREBUILT_EXPLORER_DIR}: ${assets.size} files, ${(bytes / 1e6).toFixed(1)} MB, ${Date.now() - started} ms\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
