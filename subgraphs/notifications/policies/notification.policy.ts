import type { FindOptionsWhere } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import type { NotificationRecord } from '../entities/notification.entity';

/**
 * What a caller may see and change: their own notifications in their own organization.
 * The one place this is decided; reads and writes both apply it.
 */
export function notificationScope(principal: Principal): FindOptionsWhere<NotificationRecord> {
  return { organizationId: principal.organizationId, userId: principal.userId };
}
