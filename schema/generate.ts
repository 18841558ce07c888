import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS } from '../ops/subgraphs';
import { composeSupergraph } from './compose';

/**
 * `npm run schema` writes schema/<subgraph>.graphql and schema/supergraph.graphql from the code;
 * `npm run schema:check` fails when the checked-in files differ from what the code prints.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { subgraphs, supergraph } = await composeSupergraph(SUBGRAPHS);
  const files = [
    ...subgraphs.map(({ name, sdl }) => ({
      path: join(__dirname, `${name}.graphql`),
      content: `${sdl.trim()}\n`,
    })),
    { path: join(__dirname, 'supergraph.graphql'), content: `${supergraph.trim()}\n` },
  ];
  const drifted = files.filter(
    ({ path, content }) => !existsSync(path) || readFileSync(path, 'utf8') !== content,
  );
  if (check) {
    if (drifted.length > 0) {
      console.error(
        `Schema drift: ${drifted.map((f) => f.path).join(', ')} differ from the code. Run \`npm run schema\` and commit.`,
      );
      process.exit(1);
    }
    console.log('schema/ matches the code');
    return;
  }
  for (const { path, content } of drifted) writeFileSync(path, content);
  console.log(
    drifted.length
      ? `wrote ${drifted.map((f) => f.path).join(', ')}`
      : 'schema/ already up to date',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
