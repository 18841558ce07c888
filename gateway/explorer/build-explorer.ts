import {
  bundleExplorer,
  PREBUILT_EXPLORER_DIR,
  prebuiltExplorerIsCurrent,
  writeExplorer,
} from './explorer-bundle';

/**
 * `npm run build`'s last step: the explorer's bundle into dist/explorer/ (not committed), kept
 * as it is when its inputs did not change (several seconds saved on every rebuild).
 */
async function main(): Promise<void> {
  if (prebuiltExplorerIsCurrent()) {
    process.stdout.write(`explorer bundle in ${PREBUILT_EXPLORER_DIR} is current\n`);
    return;
  }
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
