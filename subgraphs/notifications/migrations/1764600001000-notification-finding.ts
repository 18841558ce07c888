import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notification about a compliance finding names it (`Notification.finding`, a reference the
 * compliance subgraph resolves). No foreign key: findings live in compliance's schema.
 */
export class NotificationFinding1764600001000 implements MigrationInterface {
  name = 'NotificationFinding1764600001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications.notifications ADD COLUMN finding_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications.notifications DROP COLUMN finding_id`);
  }
}
