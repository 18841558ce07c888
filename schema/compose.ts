import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { loadConfig } from '../core/config/config';
import { disagreeingMarks } from '../core/graphql/same-for-organization';
import { printSubgraphSdl, type AnySubgraphDefinition } from '../core/graphql/subgraph';
import { subgraphUrls } from '../gateway/supergraph';

export interface ComposedSchema {
  subgraphs: { name: string; sdl: string }[];
  supergraph: string;
}

/** Prints every subgraph's SDL from its code and composes the supergraph from them. */
export async function composeSupergraph(
  definitions: AnySubgraphDefinition[],
): Promise<ComposedSchema> {
  const urls = subgraphUrls(loadConfig({}));
  const subgraphs: ComposedSchema['subgraphs'] = [];
  for (const definition of definitions) {
    subgraphs.push({ name: definition.name, sdl: await printSubgraphSdl(definition) });
  }
  const disagreements = disagreeingMarks(subgraphs);
  if (disagreements.length) {
    throw new Error(`Composition refused:\n${disagreements.map((m) => `  - ${m}`).join('\n')}`);
  }
  const result = composeServices(
    subgraphs.map(({ name, sdl }) => ({
      name,
      typeDefs: parse(sdl),
      url: urls[name as keyof typeof urls],
    })),
  );
  if (result.errors) {
    throw new Error(
      `Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  return { subgraphs, supergraph: result.supergraphSdl };
}
