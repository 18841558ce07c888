import { IsNull, type DataSource, type Repository } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { keysetPage, type Page } from '../../../core/db/keyset-page';
import { NotFoundError } from '../../../core/errors';
import { parseId } from '../../../core/graphql/ids';
import { NotificationRecord } from '../entities/notification.entity';
import { notificationScope } from '../policies/notification.policy';
import type { Notification } from '../resolvers/notification.types';

export function toNotification(record: NotificationRecord): Notification {
  return {
    id: record.id,
    kind: record.kind,
    title: record.title,
    body: record.body,
    severity: record.severity,
    read: record.readAt !== null,
    createdAt: record.createdAt,
    document: record.documentId ? { id: record.documentId } : null,
    finding: record.findingId ? { id: record.findingId } : null,
  };
}

/** Reading and marking the caller's notifications; every query goes through the policy. */
export class NotificationService {
  private readonly repository: Repository<NotificationRecord>;

  constructor(dataSource: DataSource) {
    this.repository = dataSource.getRepository(NotificationRecord);
  }

  private visible(principal: Principal) {
    return this.repository.createQueryBuilder('n').where(notificationScope(principal));
  }

  async find(principal: Principal, id: string): Promise<NotificationRecord | null> {
    return this.visible(principal)
      .andWhere('n.id = :id', { id: parseId(id) })
      .getOne();
  }

  async list(
    principal: Principal,
    args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null },
  ): Promise<Page<NotificationRecord>> {
    const qb = this.visible(principal);
    if (args.unreadOnly) qb.andWhere('n.read_at IS NULL');
    return keysetPage(qb, {
      alias: 'n',
      first: args.first,
      after: args.after,
      order: {
        column: 'n.created_at',
        direction: 'DESC',
        value: (n) => n.createdAt.toISOString(),
        parse: (raw) => new Date(String(raw)),
      },
    });
  }

  async unreadCount(principal: Principal): Promise<number> {
    return this.visible(principal).andWhere('n.read_at IS NULL').getCount();
  }

  async markRead(principal: Principal, id: string): Promise<NotificationRecord> {
    const record = await this.find(principal, id);
    if (!record) throw new NotFoundError('Notification', id);
    if (!record.readAt) {
      record.readAt = new Date();
      await this.repository.update({ id: record.id }, { readAt: record.readAt });
    }
    return record;
  }

  async markAllRead(principal: Principal): Promise<number> {
    const result = await this.repository.update(
      { ...notificationScope(principal), readAt: IsNull() },
      { readAt: new Date() },
    );
    return result.affected ?? 0;
  }
}
