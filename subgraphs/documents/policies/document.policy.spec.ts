import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';
import { ErrorCode } from '../../../core/errors';
import { authorize, can, canSee, DocumentAction, type GuardedDocument } from './document.policy';

const organizationId = randomUUID();
const principal = (role: Role, userId = randomUUID(), org = organizationId): Principal => ({
  kind: 'user',
  userId,
  organizationId: org,
  role,
});
const documentOf = (uploadedById: string, org = organizationId): GuardedDocument => ({
  id: randomUUID(),
  organizationId: org,
  uploadedById,
});

function codeOf(fn: () => void): unknown {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code;
  }
}

describe('document policy', () => {
  // The guard of every action, for every role, on the caller's own document and on another
  // member's. A change of who may do what shows up here in review.
  it('grants exactly this table', () => {
    const table: Record<string, Record<string, string>> = {};
    for (const role of [Role.VIEWER, Role.MEMBER, Role.ADMIN, Role.OWNER]) {
      const caller = principal(role);
      const own = documentOf(caller.userId);
      const others = documentOf(randomUUID());
      table[role] = {};
      for (const action of Object.values(DocumentAction)) {
        const onOwn = can(caller, action, own);
        const onOthers = can(caller, action, others);
        table[role][action] = onOwn === onOthers ? String(onOwn) : `own only`;
      }
    }
    expect(table).toEqual({
      VIEWER: {
        read: 'true',
        create: 'false',
        update: 'false',
        delete: 'false',
        manageCategories: 'false',
      },
      MEMBER: {
        read: 'true',
        create: 'true',
        update: 'own only',
        delete: 'own only',
        manageCategories: 'false',
      },
      ADMIN: {
        read: 'true',
        create: 'true',
        update: 'true',
        delete: 'true',
        manageCategories: 'true',
      },
      OWNER: {
        read: 'true',
        create: 'true',
        update: 'true',
        delete: 'true',
        manageCategories: 'true',
      },
    });
  });

  it("sees only the caller's organization", () => {
    const caller = principal(Role.OWNER);
    expect(canSee(caller, documentOf(caller.userId))).toBe(true);
    expect(canSee(caller, documentOf(caller.userId, randomUUID()))).toBe(false);
  });

  it("allows nothing on another organization's document, whatever the role", () => {
    for (const role of Object.values(Role)) {
      const caller = principal(role);
      const foreign = documentOf(caller.userId, randomUUID());
      for (const action of [DocumentAction.Read, DocumentAction.Update, DocumentAction.Delete]) {
        expect(can(caller, action, foreign)).toBe(false);
        // NOT_FOUND, never FORBIDDEN: nothing tells that the document exists.
        expect(codeOf(() => authorize(caller, action, foreign))).toBe(ErrorCode.NOT_FOUND);
      }
    }
  });

  it('explains a refusal', () => {
    const member = principal(Role.MEMBER);
    expect(() => authorize(member, DocumentAction.Delete, documentOf(randomUUID()))).toThrow(
      /Members may delete only documents they uploaded/,
    );
    expect(() => authorize(principal(Role.VIEWER), DocumentAction.Create)).toThrow(
      'Creating documents requires the MEMBER role or above; you are VIEWER',
    );
    expect(() => authorize(member, DocumentAction.ManageCategories)).toThrow(
      'Setting the categories requires the ADMIN role or above; you are MEMBER',
    );
    expect(codeOf(() => authorize(member, DocumentAction.ManageCategories))).toBe(
      ErrorCode.FORBIDDEN,
    );
  });

  it('treats an API key like its creator', () => {
    const userId = randomUUID();
    const key: Principal = {
      ...principal(Role.MEMBER, userId),
      kind: 'apiKey',
      apiKeyId: randomUUID(),
    };
    expect(can(key, DocumentAction.Update, documentOf(userId))).toBe(true);
    expect(can(key, DocumentAction.Update, documentOf(randomUUID()))).toBe(false);
  });

  it('refuses to decide a document action without the document', () => {
    expect(() => authorize(principal(Role.OWNER), DocumentAction.Update)).toThrow(
      /needs the document/,
    );
    expect(can(principal(Role.OWNER), DocumentAction.Delete)).toBe(false);
  });
});
