import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addOutboxTraceColumnsSql, dropOutboxTraceColumnsSql } from '../../../core/events/outbox';

/** Events carry the request id and traceparent of what wrote them (core/events/outbox.ts). */
export class OutboxTrace1764700002000 implements MigrationInterface {
  name = 'OutboxTrace1764700002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(addOutboxTraceColumnsSql('notifications'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(dropOutboxTraceColumnsSql('notifications'));
  }
}
