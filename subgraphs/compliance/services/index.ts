import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { FindPolicyService } from './find-policy.service';
import { ListComplianceRunsService } from './list-compliance-runs.service';
import { ListPoliciesService } from './list-policies.service';

export interface ComplianceServices {
  listPolicies: ListPoliciesService;
  findPolicy: FindPolicyService;
  listComplianceRuns: ListComplianceRunsService;
}

export function createComplianceServices(runtime: SubgraphRuntime): ComplianceServices {
  return {
    listPolicies: new ListPoliciesService(runtime.dataSource),
    findPolicy: new FindPolicyService(runtime.dataSource),
    listComplianceRuns: new ListComplianceRunsService(runtime.dataSource),
  };
}
