import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { CountDocumentChunksService } from './count-document-chunks.service';

export interface SearchServices {
  countDocumentChunks: CountDocumentChunksService;
}

export function createSearchServices(runtime: SubgraphRuntime): SearchServices {
  return { countDocumentChunks: new CountDocumentChunksService(runtime.dataSource) };
}
