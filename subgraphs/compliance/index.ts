import type { SubgraphDefinition } from '../../core/graphql/subgraph';
import { ComplianceRunRecord } from './entities/compliance-run.entity';
import { FindingRecord } from './entities/finding.entity';
import { PolicyRecord } from './entities/policy.entity';
import { CreateCompliance1764000002000 } from './migrations/1764000002000-create-compliance';
import { ComplianceRunResolver } from './resolvers/compliance-run.resolver';
import { PolicyResolver, resolvePolicyReference } from './resolvers/policy.resolver';
import { createComplianceServices, type ComplianceServices } from './services';

export const complianceSubgraph: SubgraphDefinition<ComplianceServices> = {
  name: 'compliance',
  port: (config) => config.COMPLIANCE_PORT,
  entities: [PolicyRecord, FindingRecord, ComplianceRunRecord],
  migrations: [CreateCompliance1764000002000],
  resolvers: [PolicyResolver, ComplianceRunResolver],
  createServices: createComplianceServices,
  referenceResolvers: (services) => ({
    Policy: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolvePolicyReference(services, reference, ctx as never),
    },
  }),
};
