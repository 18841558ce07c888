import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { MembershipRecord } from '../entities/membership.entity';
import type { UserRecord } from '../entities/user.entity';
import { membershipScope } from '../policies/membership.policy';

/** The members of the caller's organization, oldest first. */
export class ListMembersService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(principal: Principal): Promise<(MembershipRecord & { user: UserRecord })[]> {
    const memberships = await this.dataSource.getRepository(MembershipRecord).find({
      where: membershipScope(principal),
      relations: { user: true },
      order: { createdAt: 'ASC', userId: 'ASC' },
    });
    return memberships as (MembershipRecord & { user: UserRecord })[];
  }
}
