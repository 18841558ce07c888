import { randomUUID } from 'node:crypto';
import { Role } from '../../core/auth/role';
import type { RunningSubgraph } from '../../core/graphql/subgraph';
import { SubgraphHarness } from '../../test/support/subgraph-harness';
import { graphql, type GraphQLResponse } from '../../test/support/graphql-client';
import { documentsSubgraph } from '.';

/** Someone calling the subgraph: a user of an organization with a role, and their token. */
export interface Caller {
  userId: string;
  organizationId: string;
  role: Role;
  token: string;
}

export const DOCUMENT_FIELDS = `
  id title filename contentType byteSize sha256 status tags
  processing { stage progress attempts error startedAt finishedAt durationMs }
  classification { label confidence }
  uploadedBy { id }
  createdAt updatedAt processedAt`;

/**
 * The real documents subgraph over a fresh database, for one integration test file. Every
 * test makes its own organizations (`newOrganization`), so tests never see each other's rows.
 */
export class DocumentsTestKit {
  private constructor(private readonly harness: SubgraphHarness) {}

  static async start(): Promise<DocumentsTestKit> {
    return new DocumentsTestKit(await SubgraphHarness.start(documentsSubgraph));
  }

  get running(): RunningSubgraph {
    return this.harness.running;
  }

  stop(): Promise<void> {
    return this.harness.stop();
  }

  /** A caller in `organizationId` (a new organization when omitted). */
  async caller(
    role: Role = Role.MEMBER,
    organizationId: string = randomUUID(),
    userId: string = randomUUID(),
  ): Promise<Caller> {
    const token = await this.harness.token(role, organizationId, userId);
    return { userId, organizationId, role, token };
  }

  /** Another member of the caller's organization. */
  colleague(of: Caller, role: Role = Role.MEMBER): Promise<Caller> {
    return this.caller(role, of.organizationId);
  }

  call<T = Record<string, unknown>>(
    caller: Caller | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.running.url, query, variables, caller?.token);
  }

  /** Creates a text document and fails the test when that does not work. */
  async create(
    caller: Caller,
    input: { title: string; text?: string; contentType?: string; tags?: string[] },
  ): Promise<Record<string, unknown> & { id: string }> {
    const response = await this.call<{
      createTextDocument: Record<string, unknown> & { id: string };
    }>(
      caller,
      `mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { ${DOCUMENT_FIELDS} } }`,
      { input: { text: `The text of ${input.title}`, ...input } },
    );
    if (response.errors)
      throw new Error(`createTextDocument failed: ${JSON.stringify(response.errors)}`);
    return response.data!.createTextDocument;
  }
}

/** The first error's code and field, for asserting on failures. */
export function failure(response: GraphQLResponse<unknown>): { code: unknown; field?: unknown } {
  const extensions = response.errors?.[0]?.extensions ?? {};
  return 'field' in extensions
    ? { code: extensions.code, field: extensions.field }
    : { code: extensions.code };
}
