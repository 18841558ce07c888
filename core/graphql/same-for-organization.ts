import { Kind, parse, type ConstDirectiveNode } from 'graphql';
import { Directive } from 'type-graphql';

/**
 * `@sameForOrganization`: opt-in schema metadata that lets the gateway hydrate one subscription
 * event once for every caller of an organization instead of once per role or user.
 *
 * On a field: its answer depends only on the caller's organization, its parent and its
 * arguments, never on the caller's role or identity (no role check, no per-user rule, no
 * `viewer…`-style answer). On an entity type: resolving a reference to it (`_entities`) in
 * this subgraph is likewise the same for every caller of the organization; a field's mark does
 * not vouch for how its parent entity was reached. A type or field defined by several subgraphs
 * carries the mark in all of them or in none (schema/compose.ts checks it), because composition
 * keeps one merged application in the supergraph.
 *
 * Leaving the mark off is always safe: the gateway then hydrates per caller. Mark only what
 * reads the caller's organization and nothing else of the caller (subgraphs' policies/ decide).
 */
export const SAME_FOR_ORGANIZATION = 'sameForOrganization';

/** Docent's own core feature: composition keeps a custom directive only when it is linked. */
export const SHARING_SPEC_URL = 'https://docent.dev/sharing/v1.0';

/** What every subgraph's SDL starts with besides the federation link. */
export const SHARING_SPEC_SDL = [
  `extend schema @link(url: "${SHARING_SPEC_URL}", import: ["@${SAME_FOR_ORGANIZATION}"]) @composeDirective(name: "@${SAME_FOR_ORGANIZATION}")`,
  `directive @${SAME_FOR_ORGANIZATION} on FIELD_DEFINITION | OBJECT`,
].join('\n');

/** type-graphql decorator for fields, field resolvers, queries and entity classes. */
export function SameForOrganization(): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Directive(`@${SAME_FOR_ORGANIZATION}`);
}

const isMark = (directive: ConstDirectiveNode) => directive.name.value === SAME_FOR_ORGANIZATION;

/** A `@key` that this subgraph resolves (`_entities` reaches it), unlike `resolvable: false`. */
function hasResolvableKey(directives: readonly ConstDirectiveNode[]): boolean {
  return directives.some(
    (d) =>
      d.name.value === 'key' &&
      !d.arguments?.some(
        (a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value,
      ),
  );
}

/**
 * Composition merges a directive's applications into one, so the supergraph shows a mark when
 * any subgraph has it: a shared field or entity marked in one subgraph and not in another would
 * let the gateway share what the other subgraph answers per role. Such disagreements, as
 * messages (none: the marks are sound to compose).
 */
export function disagreeingMarks(subgraphs: readonly { name: string; sdl: string }[]): string[] {
  // "Type" or "Type.field" → subgraph name → marked there.
  const sites = new Map<string, Map<string, boolean>>();
  const note = (site: string, subgraph: string, marked: boolean) => {
    let bySubgraph = sites.get(site);
    if (!bySubgraph) sites.set(site, (bySubgraph = new Map()));
    bySubgraph.set(subgraph, (bySubgraph.get(subgraph) ?? false) || marked);
  };
  for (const { name, sdl } of subgraphs) {
    for (const definition of parse(sdl).definitions) {
      if (
        definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
        definition.kind !== Kind.OBJECT_TYPE_EXTENSION
      )
        continue;
      const typeName = definition.name.value;
      const directives = definition.directives ?? [];
      if (hasResolvableKey(directives)) note(typeName, name, directives.some(isMark));
      for (const field of definition.fields ?? []) {
        const fieldDirectives = field.directives ?? [];
        // An @external field is another subgraph's to answer.
        if (fieldDirectives.some((d) => d.name.value === 'external')) continue;
        note(`${typeName}.${field.name.value}`, name, fieldDirectives.some(isMark));
      }
    }
  }
  const messages: string[] = [];
  for (const [site, bySubgraph] of sites) {
    const marked = [...bySubgraph].filter(([, m]) => m).map(([s]) => s);
    const unmarked = [...bySubgraph].filter(([, m]) => !m).map(([s]) => s);
    if (marked.length && unmarked.length) {
      messages.push(
        `${site} is @${SAME_FOR_ORGANIZATION} in ${marked.join(', ')} but not in ${unmarked.join(', ')}: mark it in every subgraph that resolves it, or in none`,
      );
    }
  }
  return messages;
}
