import type { EntityManager } from 'typeorm';
import type { Role } from '../../../core/auth/role';
import type { OrganizationRecord } from '../entities/organization.entity';
import type { UserRecord } from '../entities/user.entity';
import { queryOne } from './sql-rows';

/** A member with their organization and their role there. */
export interface MemberView {
  user: UserRecord;
  organization: OrganizationRecord;
  role: Role;
}

interface Row {
  userId: string;
  email: string;
  userName: string;
  userCreatedAt: Date;
  organizationId: string;
  organizationName: string;
  slug: string;
  organizationCreatedAt: Date;
  role: Role;
}

const SELECT = `
  SELECT u.id AS "userId", u.email, u.name AS "userName", u.created_at AS "userCreatedAt",
         o.id AS "organizationId", o.name AS "organizationName", o.slug, o.created_at AS "organizationCreatedAt",
         m.role
    FROM accounts.memberships m
    JOIN accounts.users u ON u.id = m.user_id
    JOIN accounts.organizations o ON o.id = m.organization_id`;

function toView(row: Row): MemberView {
  return {
    user: {
      id: row.userId,
      email: row.email,
      name: row.userName,
      createdAt: row.userCreatedAt,
    } as UserRecord,
    organization: {
      id: row.organizationId,
      name: row.organizationName,
      slug: row.slug,
      createdAt: row.organizationCreatedAt,
    },
    role: row.role,
  };
}

/** The user's membership of one organization, with its current role; null when it ended. */
export async function loadMembership(
  manager: EntityManager,
  organizationId: string,
  userId: string,
): Promise<MemberView | null> {
  const row = await queryOne<Row>(
    manager,
    `${SELECT} WHERE m.organization_id = $1 AND m.user_id = $2`,
    [organizationId, userId],
  );
  return row ? toView(row) : null;
}

/**
 * The organization a user signs in to: their first membership. Users belong to one
 * organization today (signUp and addMember both create the user); with several this
 * is where an organization chooser would plug in.
 */
export async function loadHomeMembership(
  manager: EntityManager,
  userId: string,
): Promise<MemberView | null> {
  const row = await queryOne<Row>(
    manager,
    `${SELECT} WHERE m.user_id = $1 ORDER BY m.created_at, m.organization_id LIMIT 1`,
    [userId],
  );
  return row ? toView(row) : null;
}
