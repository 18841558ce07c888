import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLE_CHECK = `role IN ('OWNER','ADMIN','MEMBER','VIEWER')`;

/**
 * Organizations, users and their memberships; refresh-token families (one per sign-in) and
 * their tokens; API keys. Foreign keys stay inside the `accounts` schema.
 */
export class CreateAccounts1764000000000 implements MigrationInterface {
  name = 'CreateAccounts1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts.organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX organizations_slug ON accounts.organizations (slug)`,
    );

    // E-mail addresses are stored lower-cased, so a plain unique index is case-insensitive.
    await queryRunner.query(`
      CREATE TABLE accounts.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        password_hash text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email ON accounts.users (email)`);

    await queryRunner.query(`
      CREATE TABLE accounts.memberships (
        organization_id uuid NOT NULL REFERENCES accounts.organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES accounts.users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (${ROLE_CHECK}),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, user_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX memberships_user ON accounts.memberships (user_id, created_at)`,
    );

    // One family per sign-in: every rotation of its refresh token stays in it, and revoking
    // the family (logout, reuse detected) is one row that rotation locks before it writes.
    await queryRunner.query(`
      CREATE TABLE accounts.refresh_token_families (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES accounts.organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES accounts.users (id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        revoked_reason text CHECK (revoked_reason IN ('logout','reuse_detected','membership_ended'))
      )`);
    await queryRunner.query(
      `CREATE INDEX refresh_token_families_user ON accounts.refresh_token_families (user_id)`,
    );

    // Only the SHA-256 of a token is stored; the token itself leaves the server once.
    await queryRunner.query(`
      CREATE TABLE accounts.refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL REFERENCES accounts.refresh_token_families (id) ON DELETE CASCADE,
        token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        rotated_at timestamptz(3),
        revoked_at timestamptz(3)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX refresh_tokens_hash ON accounts.refresh_tokens (token_hash)`,
    );
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_family ON accounts.refresh_tokens (family_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_expires ON accounts.refresh_tokens (expires_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE accounts.api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES accounts.organizations (id) ON DELETE CASCADE,
        created_by uuid NOT NULL REFERENCES accounts.users (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (${ROLE_CHECK}),
        prefix text NOT NULL,
        key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_used_at timestamptz(3),
        revoked_at timestamptz(3)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_prefix ON accounts.api_keys (prefix)`);
    await queryRunner.query(
      `CREATE INDEX api_keys_organization ON accounts.api_keys (organization_id, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE accounts.api_keys`);
    await queryRunner.query(`DROP TABLE accounts.refresh_tokens`);
    await queryRunner.query(`DROP TABLE accounts.refresh_token_families`);
    await queryRunner.query(`DROP TABLE accounts.memberships`);
    await queryRunner.query(`DROP TABLE accounts.users`);
    await queryRunner.query(`DROP TABLE accounts.organizations`);
  }
}
