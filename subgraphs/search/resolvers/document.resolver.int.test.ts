import { randomUUID } from 'node:crypto';
import { AccessTokens } from '../../../core/auth/access-token';
import { Role } from '../../../core/auth/role';
import type { RunningSubgraph } from '../../../core/graphql/subgraph';
import { SubgraphHarness } from '../../../test/support/subgraph-harness';
import { errorCode, graphql } from '../../../test/support/graphql-client';
import { searchSubgraph } from '..';
import { CountDocumentChunksService } from '../services/count-document-chunks.service';

const CHUNK_COUNTS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Document { id chunkCount } }
}`;

let harness: SubgraphHarness;
let running: RunningSubgraph;
let tokens: AccessTokens;
let dimension: number;

/** A new organization of its own for each test, with a token for one of its members. */
async function newOrganization(role: Role = Role.MEMBER) {
  const organizationId = randomUUID();
  const { token } = await tokens.sign({ userId: randomUUID(), organizationId, role });
  return { organizationId, token };
}

async function insertChunks(organizationId: string, documentId: string, count: number) {
  const embedding = `[${Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : 0)).join(',')}]`;
  for (let index = 0; index < count; index++) {
    await running.dataSource.query(
      `INSERT INTO search.chunks (organization_id, document_id, index, text, token_count, embedding, embedding_model, tsv)
       VALUES ($1, $2, $3, $4, 2, $5::vector, 'test', to_tsvector('english', $4))`,
      [organizationId, documentId, index, `chunk number ${index}`, embedding],
    );
  }
}

const documentRefs = (...ids: string[]) => ids.map((id) => ({ __typename: 'Document', id }));

beforeAll(async () => {
  harness = await SubgraphHarness.start(searchSubgraph);
  running = harness.running;
  tokens = harness.tokens;
  const [column] = await running.dataSource.query<{ dimension: number }[]>(
    `SELECT atttypmod AS dimension FROM pg_attribute WHERE attrelid = 'search.chunks'::regclass AND attname = 'embedding'`,
  );
  dimension = column.dimension;
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => jest.restoreAllMocks());

describe('Document.chunkCount', () => {
  it("counts a document's chunks in the caller's organization only", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const [contract, memo, bDocument, unindexed] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    await insertChunks(a.organizationId, contract, 3);
    await insertChunks(a.organizationId, memo, 1);
    await insertChunks(b.organizationId, bDocument, 2);
    const representations = documentRefs(contract, memo, bDocument, unindexed);

    const asA = await graphql(running.url, CHUNK_COUNTS, { representations }, a.token);
    expect(asA.errors).toBeUndefined();
    expect(asA.data?._entities).toEqual([
      { id: contract, chunkCount: 3 },
      { id: memo, chunkCount: 1 },
      { id: bDocument, chunkCount: 0 },
      { id: unindexed, chunkCount: 0 },
    ]);

    const asB = await graphql(running.url, CHUNK_COUNTS, { representations }, b.token);
    expect(asB.errors).toBeUndefined();
    expect(asB.data?._entities).toEqual([
      { id: contract, chunkCount: 0 },
      { id: memo, chunkCount: 0 },
      { id: bDocument, chunkCount: 2 },
      { id: unindexed, chunkCount: 0 },
    ]);
  });

  it('answers every Document of one _entities call with one batched count', async () => {
    const a = await newOrganization(Role.VIEWER);
    const documents = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of documents.entries()) await insertChunks(a.organizationId, id, i + 1);
    const execute = jest.spyOn(CountDocumentChunksService.prototype, 'execute');

    const response = await graphql(
      running.url,
      CHUNK_COUNTS,
      { representations: documentRefs(...documents) },
      a.token,
    );

    expect(response.data?._entities).toEqual(documents.map((id, i) => ({ id, chunkCount: i + 1 })));
    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute.mock.calls[0][1]).toEqual(documents);
  });

  it('requires a signed-in caller', async () => {
    const response = await graphql(running.url, CHUNK_COUNTS, {
      representations: documentRefs(randomUUID()),
    });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('rejects a malformed document id as bad input', async () => {
    const a = await newOrganization();
    const response = await graphql(
      running.url,
      CHUNK_COUNTS,
      { representations: documentRefs('not-an-id') },
      a.token,
    );
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });
});
