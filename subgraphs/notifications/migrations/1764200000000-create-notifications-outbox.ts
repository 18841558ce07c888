import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql } from '../../../core/events/outbox';

/** `notification.created` events leave through this outbox (notificationReceived, webhooks). */
export class CreateNotificationsOutbox1764200000000 implements MigrationInterface {
  name = 'CreateNotificationsOutbox1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of createOutboxTableSql('notifications'))
      await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications.outbox`);
  }
}
