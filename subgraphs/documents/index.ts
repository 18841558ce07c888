import type { SubgraphDefinition } from '../../core/graphql/subgraph';
import { CategoryRecord } from './entities/category.entity';
import { DocumentRecord } from './entities/document.entity';
import { CreateDocuments1764100000000 } from './migrations/1764100000000-create-documents';
import { AddPipelineColumns1764300000000 } from './migrations/1764300000000-add-pipeline-columns';
import { OutboxTrace1764700000000 } from './migrations/1764700000000-outbox-trace';
import { CategoryResolver } from './resolvers/category.resolver';
import { DocumentPermissionsResolver } from './resolvers/document-permissions.resolver';
import { DocumentSubscriptionResolver } from './resolvers/document-subscription.resolver';
import { DocumentResolver, resolveDocumentReference } from './resolvers/document.resolver';
import { createDocumentServices, type DocumentServices } from './services';

export const documentsSubgraph: SubgraphDefinition<DocumentServices> = {
  name: 'documents',
  port: (config) => config.DOCUMENTS_PORT,
  entities: [DocumentRecord, CategoryRecord],
  migrations: [
    CreateDocuments1764100000000,
    AddPipelineColumns1764300000000,
    OutboxTrace1764700000000,
  ],
  resolvers: [
    DocumentResolver,
    CategoryResolver,
    DocumentPermissionsResolver,
    DocumentSubscriptionResolver,
  ],
  createServices: createDocumentServices,
  closeServices: (services) => services.close(),
  referenceResolvers: (services) => ({
    Document: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolveDocumentReference(services, reference, ctx as never),
    },
  }),
};
