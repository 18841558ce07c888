import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import { requestLoader } from '../../../core/graphql/request-loader';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { ComplianceServices } from '../services';
import type { DocumentComplianceResult } from '../services/findings.service';
import { Document } from './document.types';
import { DocumentCompliance } from './finding.types';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

@Resolver(() => Document)
export class DocumentComplianceResolver {
  constructor(private readonly services: ComplianceServices) {}

  // Findings are read in the caller's organization (findingOrganization), whatever the role.
  @SameForOrganization()
  @FieldResolver(() => DocumentCompliance, {
    description: "The document's compliance with the organization's policies",
  })
  async compliance(
    @Root() document: Document,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DocumentComplianceResult> {
    const principal = requirePrincipal(ctx.principal);
    // One query for every Document of the request's `_entities` call.
    const loader = requestLoader<string, DocumentComplianceResult>(
      ctx,
      'compliance.documentCompliance',
      (ids) => this.services.findings.forDocuments(principal, ids),
    );
    return loader.load(document.id);
  }
}

/** Any document reference resolves: compliance's fields apply the caller's organization themselves. */
export function resolveDocumentReference(reference: { id: string }): Document {
  return { id: reference.id };
}
