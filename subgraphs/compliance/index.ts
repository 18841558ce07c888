import type { SubgraphDefinition } from '../../core/graphql/subgraph';
import { ComplianceRunRecord } from './entities/compliance-run.entity';
import { FindingRecord } from './entities/finding.entity';
import { PolicyRecord } from './entities/policy.entity';
import { CreateCompliance1764000002000 } from './migrations/1764000002000-create-compliance';
import { ComplianceEvaluation1764500000000 } from './migrations/1764500000000-compliance-evaluation';
import { ComplianceRemovedDocuments1764600000000 } from './migrations/1764600000000-compliance-removed-documents';
import { OutboxTrace1764700001000 } from './migrations/1764700001000-outbox-trace';
import { ComplianceRunResolver } from './resolvers/compliance-run.resolver';
import {
  DocumentComplianceResolver,
  resolveDocumentReference,
} from './resolvers/document.resolver';
import { FindingResolver, resolveFindingReference } from './resolvers/finding.resolver';
import { FindingSubscriptionResolver } from './resolvers/finding-subscription.resolver';
import { PolicyResolver, resolvePolicyReference } from './resolvers/policy.resolver';
import { createComplianceServices, type ComplianceServices } from './services';

export const complianceSubgraph: SubgraphDefinition<ComplianceServices> = {
  name: 'compliance',
  port: (config) => config.COMPLIANCE_PORT,
  entities: [PolicyRecord, FindingRecord, ComplianceRunRecord],
  migrations: [
    CreateCompliance1764000002000,
    ComplianceEvaluation1764500000000,
    ComplianceRemovedDocuments1764600000000,
    OutboxTrace1764700001000,
  ],
  resolvers: [
    PolicyResolver,
    ComplianceRunResolver,
    FindingResolver,
    DocumentComplianceResolver,
    FindingSubscriptionResolver,
  ],
  createServices: createComplianceServices,
  closeServices: (services) => services.close(),
  referenceResolvers: (services) => ({
    Policy: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolvePolicyReference(services, reference, ctx as never),
    },
    Finding: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolveFindingReference(services, reference, ctx as never),
    },
    Document: {
      __resolveReference: (reference: { id: string }) => resolveDocumentReference(reference),
    },
  }),
};
