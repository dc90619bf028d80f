import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record's link (user_sources) keeps what its two foreign keys did on delete, through triggers,
 * without their check on every insert. Every SCIM user create writes a link, and each foreign key
 * check locked its parent row FOR KEY SHARE: the connector's row, shared by every concurrent create
 * of that connector, so each check turned its lock into a new MultiXact and wrote WAL for it
 * (without the two checks, Postgres ran the whole create statement 5 to 18% faster at 10 concurrent
 * connections). What stays true:
 * - deleting a connector deletes its links (was ON DELETE CASCADE);
 * - deleting a directory user leaves its links with user_id NULL (was ON DELETE SET NULL), which the
 *   lifecycle relies on for a user a rule deleted;
 * - a link is only ever written in the statement that writes or locks its directory user and its
 *   connector's SCIM record, whose own foreign key still checks the connector.
 */
export class LinkTriggers1763920000000 implements MigrationInterface {
  name = 'LinkTriggers1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_sources DROP CONSTRAINT fk_user_sources_connector, DROP CONSTRAINT fk_user_sources_user`);
    await q.query(`
      CREATE FUNCTION roster_connectors_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM user_sources s USING gone WHERE s.connector_id = gone.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_connectors_deleted_links AFTER DELETE ON connectors
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION roster_connectors_deleted()`);
    await q.query(`
      CREATE FUNCTION roster_users_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE user_sources s SET user_id = NULL FROM gone WHERE s.user_id = gone.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_users_deleted_links AFTER DELETE ON users
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION roster_users_deleted()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_users_deleted_links ON users`);
    await q.query(`DROP FUNCTION roster_users_deleted()`);
    await q.query(`DROP TRIGGER trg_connectors_deleted_links ON connectors`);
    await q.query(`DROP FUNCTION roster_connectors_deleted()`);
    // The checks come back: anything they would refuse (nothing, while the triggers did their work) goes first.
    await q.query(`DELETE FROM user_sources s WHERE NOT EXISTS (SELECT 1 FROM connectors c WHERE c.id = s.connector_id)`);
    await q.query(`UPDATE user_sources s SET user_id = NULL WHERE user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)`);
    await q.query(`
      ALTER TABLE user_sources
        ADD CONSTRAINT fk_user_sources_connector FOREIGN KEY (connector_id) REFERENCES connectors (id) ON DELETE CASCADE,
        ADD CONSTRAINT fk_user_sources_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL`);
  }
}
