package gov.approval.engine.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates the outbox table, its index and its NOTIFY trigger; idempotent and safe when several engines start at once. */
public final class OutboxSchema {

  static final String[] DDL = {
    // serialises concurrent start-ups of several engine nodes against the same database
    "SELECT pg_advisory_xact_lock(7245310781)",
    """
    CREATE TABLE IF NOT EXISTS outbox (
      seq bigserial PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      key text NOT NULL,
      type text NOT NULL,
      payload jsonb NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )""",
    "CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL",
    // The relay's per-key ordering check looks for earlier unpublished rows of the same key.
    "CREATE INDEX IF NOT EXISTS outbox_unpublished_key ON outbox (key, seq) WHERE published_at IS NULL",
    // The relay's lease (libs/shared/messaging OUTBOX_LEASE_DDL): it claims rows, sends them with no transaction open,
    // then marks them. Added only when missing: ALTER TABLE would lock the table against running engines.
    """
    DO $do$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'outbox' AND column_name = 'lease_until'
      ) THEN
        ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
      END IF;
    END
    $do$""",
    """
    CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      PERFORM pg_notify('outbox', '');
      RETURN NULL;
    END
    $fn$""",
    // created only when missing: CREATE OR REPLACE TRIGGER would lock the table against running engines
    """
    DO $do$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgname = 'outbox_notify' AND tgrelid = 'outbox'::regclass AND NOT tgisinternal
      ) THEN
        CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
          FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
      END IF;
    END
    $do$""",
  };

  private OutboxSchema() {}

  public static void create(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String sql : DDL) statement.execute(sql);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the outbox table: " + e.getMessage(), e);
    }
  }
}
