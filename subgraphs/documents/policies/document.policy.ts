import { Brackets, type FindOptionsWhere } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { Role, roleAtLeast } from '../../../core/auth/role';
import { ForbiddenError, NotFoundError } from '../../../core/errors';
import type { CategoryRecord } from '../entities/category.entity';
import type { DocumentRecord } from '../entities/document.entity';

/**
 * Who may see and do what with documents: the one place this is decided.
 *
 * (a) Visibility, "what may this caller see", is used by every read path: `document`,
 *     `documents`, the federation reference resolver, the text reader, and the lookups that
 *     updateDocument and deleteDocument make. Today it is the caller's organization. Sharing
 *     with users or groups grows here (an OR of EXISTS over a shares table in
 *     `visibleDocuments`, the same rule in `canSee`) without touching resolvers or services.
 * (b) `authorize` decides an action on a document the caller can see, by role and ownership.
 */

export enum DocumentAction {
  Read = 'read',
  Create = 'create',
  Update = 'update',
  Delete = 'delete',
  ManageCategories = 'manageCategories',
}

/** What a rule needs to know about a document. */
export type GuardedDocument = Pick<DocumentRecord, 'id' | 'organizationId' | 'uploadedById'>;

/** The visibility scope as SQL, for a query builder whose documents alias is `alias`. */
export function visibleDocuments(principal: Principal, alias: string): Brackets {
  return new Brackets((qb) => {
    qb.where(`${alias}.organization_id = :visibilityOrganizationId`, {
      visibilityOrganizationId: principal.organizationId,
    });
  });
}

/** The same scope for a row already in memory; must agree with `visibleDocuments`. */
export function canSee(principal: Principal, document: GuardedDocument): boolean {
  return document.organizationId === principal.organizationId;
}

/** The categories the caller's documents are filed under: their organization's. */
export function organizationCategories(principal: Principal): FindOptionsWhere<CategoryRecord> {
  return { organizationId: principal.organizationId };
}

/** The caller's role and relation to the document → allowed, or why not. */
type Rule = (principal: Principal, document: GuardedDocument | undefined) => true | string;

const ownOrAdmin =
  (verb: string, gerund: string): Rule =>
  (principal, document) => {
    if (roleAtLeast(principal.role, Role.ADMIN)) return true;
    if (!roleAtLeast(principal.role, Role.MEMBER)) {
      return `${gerund} documents requires the MEMBER role or above; you are ${principal.role}`;
    }
    if (document && document.uploadedById === principal.userId) return true;
    return `Members may ${verb} only documents they uploaded; to ${verb} another member's document takes the ADMIN role or above`;
  };

const atLeast =
  (minimum: Role, what: string): Rule =>
  (principal) =>
    roleAtLeast(principal.role, minimum) ||
    `${what} requires the ${minimum} role or above; you are ${principal.role}`;

const RULES: Record<DocumentAction, Rule> = {
  [DocumentAction.Read]: () => true,
  [DocumentAction.Create]: atLeast(Role.MEMBER, 'Creating documents'),
  [DocumentAction.Update]: ownOrAdmin('update', 'Updating'),
  [DocumentAction.Delete]: ownOrAdmin('delete', 'Deleting'),
  [DocumentAction.ManageCategories]: atLeast(Role.ADMIN, 'Setting the categories'),
};

/** Actions that are about one existing document (and need it to decide). */
const ON_A_DOCUMENT = new Set([DocumentAction.Read, DocumentAction.Update, DocumentAction.Delete]);

/** True when `principal` may do `action` (on `document`, for the actions about one document). */
export function can(
  principal: Principal,
  action: DocumentAction,
  document?: GuardedDocument,
): boolean {
  if (ON_A_DOCUMENT.has(action) && (!document || !canSee(principal, document))) return false;
  return RULES[action](principal, document) === true;
}

/**
 * Throws unless `principal` may do `action`. A document the caller cannot see is NOT_FOUND,
 * never FORBIDDEN, so nobody learns that another organization's document exists.
 */
export function authorize(
  principal: Principal,
  action: DocumentAction,
  document?: GuardedDocument,
): void {
  if (ON_A_DOCUMENT.has(action)) {
    if (!document) throw new Error(`authorize(${action}) needs the document it is about`);
    if (!canSee(principal, document)) throw new NotFoundError('Document', document.id);
  }
  const verdict = RULES[action](principal, document);
  if (verdict !== true) throw new ForbiddenError(verdict);
}
