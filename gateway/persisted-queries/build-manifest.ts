import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { operationId, type PersistedQueryManifest } from './manifest';

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return graphqlFiles(path);
      return entry.name.endsWith('.graphql') || entry.name.endsWith('.gql') ? [path] : [];
    })
    .sort();
}

/** The fragments an operation uses, transitively, in a stable order. */
function usedFragments(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`Unknown fragment ${name}`);
        used.set(name, fragment);
        walk(fragment);
      },
    });
  walk(operation);
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

/**
 * An Apollo persisted-query manifest (version 1) from a client's `.graphql` files: one entry per
 * named operation, its body the printed operation followed by the fragments it uses, its id the
 * body's SHA-256. Every operation is validated against the supergraph's API schema.
 */
export function buildManifest(dirs: string[], supergraphSdl: string): PersistedQueryManifest {
  const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const operations: { file: string; node: OperationDefinitionNode }[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const dir of dirs) {
    for (const file of graphqlFiles(dir)) {
      for (const definition of parse(readFileSync(file, 'utf8')).definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          if (fragments.has(definition.name.value))
            throw new Error(`${file}: fragment ${definition.name.value} is defined twice`);
          fragments.set(definition.name.value, definition);
        } else if (definition.kind === Kind.OPERATION_DEFINITION) {
          if (!definition.name) throw new Error(`${file}: every operation needs a name`);
          operations.push({ file, node: definition });
        }
      }
    }
  }
  const names = new Set<string>();
  const manifest: PersistedQueryManifest = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [],
  };
  for (const { file, node } of operations) {
    const name = node.name!.value;
    if (names.has(name)) throw new Error(`${file}: operation ${name} is defined twice`);
    names.add(name);
    const document = {
      kind: Kind.DOCUMENT,
      definitions: [node, ...usedFragments(node, fragments)],
    } as const;
    const errors = validate(schema, document);
    if (errors.length)
      throw new Error(`${file}: ${name}: ${errors.map((e) => e.message).join('; ')}`);
    const body = print(document);
    manifest.operations.push({ id: operationId(body), name, type: node.operation, body });
  }
  return manifest;
}

/** `npm run persisted-queries -- <operations dir>... [--out file]` */
if (require.main === module) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out =
    outIndex >= 0 ? args.splice(outIndex, 2)[1] : 'clients/mobile/persisted-query-manifest.json';
  const dirs = args.length ? args : ['clients/mobile/operations'];
  const supergraph = readFileSync(
    process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql',
    'utf8',
  );
  const manifest = buildManifest(dirs, supergraph);
  writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(
    `${relative(process.cwd(), out)}: ${manifest.operations.length} operations from ${dirs.join(', ')}\n`,
  );
}
