/**
 * The PostgreSQL twin of every migration in migrations.ts, by version (append only, like them).
 * A unit test fails when a version exists on one side only, so a new SQLite migration cannot ship
 * without its PostgreSQL counterpart.
 *
 * How the dialects are mapped, so both stores behave the same:
 * - `INTEGER PRIMARY KEY AUTOINCREMENT` → `BIGINT GENERATED ALWAYS AS IDENTITY`; other INTEGERs
 *   (epoch-ms times, versions, positions) → BIGINT; 0/1 flags → BOOLEAN; REAL → DOUBLE PRECISION.
 * - Every TEXT column uses the "C" collation: byte order, as SQLite's BINARY collation sorts and
 *   compares, whatever locale the database was created with. (`lower()` under "C" folds ASCII
 *   only, exactly like SQLite's NOCASE, and ILIKE under "C" matches like SQLite's LIKE.)
 * - JSON stays TEXT, stored exactly as the store wrote it, as in SQLite.
 * - SQLite's RAISE(ABORT) triggers → a PL/pgSQL trigger function that raises an exception.
 */
export interface PostgresMigration {
  version: number;
  sql: string;
}

export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (
        id TEXT COLLATE "C" PRIMARY KEY,
        username TEXT COLLATE "C" NOT NULL UNIQUE,
        display_name TEXT COLLATE "C" NOT NULL,
        role TEXT COLLATE "C" NOT NULL CHECK (role IN ('nurse', 'clinician', 'admin')),
        password_hash TEXT COLLATE "C" NOT NULL,
        disabled BOOLEAN NOT NULL DEFAULT false,
        is_demo BOOLEAN NOT NULL DEFAULT false,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE auth_sessions (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
      CREATE TABLE chairs (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        hl7_bed TEXT COLLATE "C" UNIQUE,
        position BIGINT NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE readings (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        chair_id TEXT COLLATE "C" NOT NULL REFERENCES chairs (id),
        session_id TEXT COLLATE "C",
        measured_at BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        source TEXT COLLATE "C" NOT NULL CHECK (source IN ('device', 'manual', 'simulator')),
        systolic DOUBLE PRECISION,
        diastolic DOUBLE PRECISION,
        mean DOUBLE PRECISION,
        heart_rate DOUBLE PRECISION,
        spo2 DOUBLE PRECISION,
        resp_rate DOUBLE PRECISION,
        rejected TEXT COLLATE "C" NOT NULL DEFAULT '[]',
        flags TEXT COLLATE "C" NOT NULL DEFAULT '[]',
        entered_by TEXT COLLATE "C",
        payload_hash TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX readings_chair_time ON readings (chair_id, measured_at);

      -- PostgreSQL only: the table @socket.io/postgres-adapter keeps large packets in (its own
      -- definition). Created here, under the migration lock, because two server processes that
      -- create it at the same moment race (CREATE TABLE IF NOT EXISTS is not safe concurrently).
      CREATE TABLE IF NOT EXISTS socket_io_attachments (
        id BIGSERIAL UNIQUE,
        created_at TIMESTAMPTZ DEFAULT NOW(),
        payload BYTEA
      );
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE patients (
        id TEXT COLLATE "C" PRIMARY KEY,
        display_name TEXT COLLATE "C" NOT NULL,
        mrn TEXT COLLATE "C" UNIQUE,
        risk_flags TEXT COLLATE "C" NOT NULL DEFAULT '[]',
        created_at BIGINT NOT NULL
      );
      CREATE TABLE protocols (
        id TEXT COLLATE "C" NOT NULL,
        version BIGINT NOT NULL,
        definition TEXT COLLATE "C" NOT NULL,
        created_at BIGINT NOT NULL,
        created_by TEXT COLLATE "C",
        PRIMARY KEY (id, version)
      );
      CREATE TABLE sessions (
        id TEXT COLLATE "C" PRIMARY KEY,
        patient_id TEXT COLLATE "C" NOT NULL REFERENCES patients (id),
        chair_id TEXT COLLATE "C" NOT NULL REFERENCES chairs (id),
        protocol_id TEXT COLLATE "C" NOT NULL,
        protocol_version BIGINT NOT NULL,
        phase TEXT COLLATE "C" NOT NULL,
        active BOOLEAN NOT NULL,
        state TEXT COLLATE "C" NOT NULL,
        checked_in_at BIGINT NOT NULL,
        checked_in_by TEXT COLLATE "C" NOT NULL,
        ended_at BIGINT,
        revision BIGINT NOT NULL DEFAULT 0,
        FOREIGN KEY (protocol_id, protocol_version) REFERENCES protocols (id, version)
      );
      CREATE UNIQUE INDEX sessions_one_active_per_chair ON sessions (chair_id) WHERE active;
      CREATE INDEX sessions_patient ON sessions (patient_id, checked_in_at);
      CREATE INDEX sessions_checked_in ON sessions (checked_in_at);
      CREATE TABLE session_events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
        type TEXT COLLATE "C" NOT NULL,
        at BIGINT NOT NULL,
        user_id TEXT COLLATE "C",
        username TEXT COLLATE "C" NOT NULL,
        role TEXT COLLATE "C" NOT NULL,
        from_phase TEXT COLLATE "C",
        to_phase TEXT COLLATE "C",
        payload TEXT COLLATE "C" NOT NULL DEFAULT '{}'
      );
      CREATE INDEX session_events_session ON session_events (session_id, seq);
      CREATE INDEX readings_session ON readings (session_id, measured_at);
    `,
  },
  {
    version: 3,
    sql: `
      CREATE TABLE alert_engines (
        session_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions (id),
        state TEXT COLLATE "C" NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE alerts (
        id TEXT COLLATE "C" PRIMARY KEY,
        session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
        chair_id TEXT COLLATE "C" NOT NULL,
        rule_id TEXT COLLATE "C" NOT NULL,
        priority TEXT COLLATE "C" NOT NULL,
        status TEXT COLLATE "C" NOT NULL,
        raised_at BIGINT NOT NULL,
        cleared_at BIGINT,
        snapshot TEXT COLLATE "C" NOT NULL,
        -- PostgreSQL only: insertion order. Alerts raised by one evaluation share raised_at; SQLite
        -- lists those in rowid (insertion) order, and this column lets PostgreSQL do the same.
        row_order BIGINT GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX alerts_session ON alerts (session_id, raised_at);
      CREATE INDEX alerts_open ON alerts (status) WHERE status <> 'cleared';
      CREATE TABLE alert_events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id TEXT COLLATE "C" NOT NULL REFERENCES alerts (id),
        session_id TEXT COLLATE "C" NOT NULL,
        type TEXT COLLATE "C" NOT NULL,
        at BIGINT NOT NULL,
        payload TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX alert_events_session ON alert_events (session_id, seq);
    `,
  },
  {
    version: 4,
    sql: `
      -- SQLite compares device ids with its NOCASE collation. Here the id keeps its spelling and a
      -- unique index on lower(device_id) ("C": ASCII folding, as NOCASE) makes it case-insensitive.
      CREATE TABLE hl7_devices (
        device_id TEXT COLLATE "C" PRIMARY KEY,
        chair_id TEXT COLLATE "C" NOT NULL REFERENCES chairs (id),
        created_at BIGINT NOT NULL,
        created_by TEXT COLLATE "C"
      );
      CREATE UNIQUE INDEX hl7_devices_device_id_nocase ON hl7_devices (lower(device_id));
      CREATE INDEX hl7_devices_chair ON hl7_devices (chair_id);
      CREATE TABLE hl7_unmapped_messages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        received_at BIGINT NOT NULL,
        sending_device TEXT COLLATE "C",
        bed TEXT COLLATE "C",
        control_id TEXT COLLATE "C",
        reason TEXT COLLATE "C" NOT NULL,
        raw TEXT COLLATE "C" NOT NULL,
        raw_truncated BOOLEAN NOT NULL DEFAULT false
      );
    `,
  },
  {
    version: 5,
    sql: `
      CREATE TABLE audit_log (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        user_id TEXT COLLATE "C",
        username TEXT COLLATE "C" NOT NULL,
        role TEXT COLLATE "C" NOT NULL,
        action TEXT COLLATE "C" NOT NULL,
        target_type TEXT COLLATE "C",
        target_id TEXT COLLATE "C",
        session_id TEXT COLLATE "C",
        details TEXT COLLATE "C" NOT NULL DEFAULT '{}',
        ip TEXT COLLATE "C"
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_session ON audit_log (session_id, at);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the audit trail is append-only';
        END;
      $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      -- PostgreSQL also has TRUNCATE, which skips row triggers.
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
    `,
  },
  {
    version: 6,
    sql: `
      CREATE TABLE device_tokens (
        id TEXT COLLATE "C" PRIMARY KEY,
        label TEXT COLLATE "C" NOT NULL,
        token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        created_by TEXT COLLATE "C" NOT NULL,
        revoked_at BIGINT,
        last_used_at BIGINT
      );
    `,
  },
  {
    version: 7,
    sql: `
      CREATE TABLE session_signatures (
        session_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions (id),
        signed_by TEXT COLLATE "C" NOT NULL,
        signed_by_name TEXT COLLATE "C" NOT NULL,
        signed_at BIGINT NOT NULL,
        statement TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE session_addenda (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id TEXT COLLATE "C" NOT NULL REFERENCES session_signatures (session_id),
        text TEXT COLLATE "C" NOT NULL,
        username TEXT COLLATE "C" NOT NULL,
        display_name TEXT COLLATE "C" NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX session_addenda_session ON session_addenda (session_id, seq);
      -- Raises the message given as the trigger's argument.
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '%', TG_ARGV[0];
        END;
      $$;
      CREATE TRIGGER session_signatures_no_update BEFORE UPDATE ON session_signatures
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a signature cannot be changed');
      CREATE TRIGGER session_addenda_no_update BEFORE UPDATE ON session_addenda
        FOR EACH ROW EXECUTE FUNCTION refuse_change('an addendum cannot be changed');
      ALTER TABLE sessions ADD COLUMN override_used BOOLEAN NOT NULL DEFAULT false;
      ALTER TABLE readings ADD COLUMN supersedes TEXT COLLATE "C";
      CREATE INDEX readings_supersedes ON readings (supersedes) WHERE supersedes IS NOT NULL;
    `,
  },
  {
    version: 8,
    sql: `
      -- Only attaching (session_id from NULL to a session) may change a stored reading, whatever its columns.
      CREATE FUNCTION readings_attach_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.session_id IS NULL AND NEW.session_id IS NOT NULL
            AND to_jsonb(NEW) - 'session_id' = to_jsonb(OLD) - 'session_id' THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'a stored reading is never changed, only attached to a session';
        END;
      $$;
      CREATE TRIGGER readings_attach_only BEFORE UPDATE ON readings
        FOR EACH ROW EXECUTE FUNCTION readings_attach_only();
      CREATE TRIGGER readings_no_delete BEFORE DELETE ON readings
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a stored reading is never deleted');
      CREATE TRIGGER readings_no_truncate BEFORE TRUNCATE ON readings
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('a stored reading is never deleted');
      CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
        FOR EACH ROW EXECUTE FUNCTION refuse_change('session events are append-only');
      CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
        FOR EACH ROW EXECUTE FUNCTION refuse_change('session events are append-only');
      CREATE TRIGGER session_events_no_truncate BEFORE TRUNCATE ON session_events
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('session events are append-only');
      CREATE TRIGGER sessions_revision_rises BEFORE UPDATE ON sessions
        FOR EACH ROW WHEN (NEW.revision <= OLD.revision) EXECUTE FUNCTION refuse_change('every update of a session bumps its revision');
    `,
  },
  {
    version: 9,
    sql: `
      CREATE TABLE assignments (
        chair_id TEXT COLLATE "C" PRIMARY KEY REFERENCES chairs (id),
        primary_user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
        backup_user_id TEXT COLLATE "C" REFERENCES users (id),
        assigned_by TEXT COLLATE "C" NOT NULL,
        assigned_at BIGINT NOT NULL
      );
      CREATE TABLE push_subscriptions (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
        endpoint TEXT COLLATE "C" NOT NULL UNIQUE,
        p256dh TEXT COLLATE "C" NOT NULL,
        auth TEXT COLLATE "C" NOT NULL,
        label TEXT COLLATE "C",
        created_at BIGINT NOT NULL,
        last_success_at BIGINT,
        failures INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
      CREATE TABLE server_keys (
        name TEXT COLLATE "C" PRIMARY KEY,
        value TEXT COLLATE "C" NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE alert_deliveries (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id TEXT COLLATE "C" NOT NULL,
        session_id TEXT COLLATE "C",
        channel TEXT COLLATE "C" NOT NULL,
        target TEXT COLLATE "C" NOT NULL,
        step TEXT COLLATE "C" NOT NULL,
        status TEXT COLLATE "C" NOT NULL,
        detail TEXT COLLATE "C",
        at BIGINT NOT NULL
      );
      CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id, seq);
      CREATE INDEX alert_deliveries_session ON alert_deliveries (session_id, seq);
      CREATE TABLE hl7_alert_outbox (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id TEXT COLLATE "C" NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        message TEXT COLLATE "C" NOT NULL,
        created_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at BIGINT,
        acked_at BIGINT,
        last_error TEXT COLLATE "C"
      );
      CREATE INDEX hl7_alert_outbox_pending ON hl7_alert_outbox (seq) WHERE acked_at IS NULL;
    `,
  },
];
