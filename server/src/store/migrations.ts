/**
 * Versioned schema migrations. Append only: never edit a migration that has shipped.
 * SQL here is written to run on both SQLite and PostgreSQL where the dialects agree;
 * `sqlite` / `postgres` hold the parts where they do not.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, auth sessions, chairs, readings',
    sqlite: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('nurse', 'clinician', 'admin')),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        is_demo INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE auth_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
      CREATE TABLE chairs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        hl7_bed TEXT UNIQUE,
        position INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE readings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        chair_id TEXT NOT NULL REFERENCES chairs (id),
        session_id TEXT,
        measured_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('device', 'manual', 'simulator')),
        systolic REAL,
        diastolic REAL,
        mean REAL,
        heart_rate REAL,
        spo2 REAL,
        resp_rate REAL,
        rejected TEXT NOT NULL DEFAULT '[]',
        flags TEXT NOT NULL DEFAULT '[]',
        entered_by TEXT,
        payload_hash TEXT NOT NULL
      );
      CREATE INDEX readings_chair_time ON readings (chair_id, measured_at);
    `,
  },
  {
    version: 2,
    name: 'patients, protocols, sessions and their events',
    sqlite: `
      CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        mrn TEXT UNIQUE,
        risk_flags TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE protocols (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT,
        PRIMARY KEY (id, version)
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        chair_id TEXT NOT NULL REFERENCES chairs (id),
        protocol_id TEXT NOT NULL,
        protocol_version INTEGER NOT NULL,
        phase TEXT NOT NULL,
        active INTEGER NOT NULL,
        state TEXT NOT NULL,
        checked_in_at INTEGER NOT NULL,
        checked_in_by TEXT NOT NULL,
        ended_at INTEGER,
        revision INTEGER NOT NULL DEFAULT 0,
        FOREIGN KEY (protocol_id, protocol_version) REFERENCES protocols (id, version)
      );
      CREATE UNIQUE INDEX sessions_one_active_per_chair ON sessions (chair_id) WHERE active = 1;
      CREATE INDEX sessions_patient ON sessions (patient_id, checked_in_at);
      CREATE INDEX sessions_checked_in ON sessions (checked_in_at);
      CREATE TABLE session_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        user_id TEXT,
        username TEXT NOT NULL,
        role TEXT NOT NULL,
        from_phase TEXT,
        to_phase TEXT,
        payload TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX session_events_session ON session_events (session_id, seq);
      CREATE INDEX readings_session ON readings (session_id, measured_at);
    `,
  },
  {
    version: 3,
    name: 'alert engine state per session, alerts and their history',
    sqlite: `
      CREATE TABLE alert_engines (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id),
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        chair_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        priority TEXT NOT NULL,
        status TEXT NOT NULL,
        raised_at INTEGER NOT NULL,
        cleared_at INTEGER,
        snapshot TEXT NOT NULL
      );
      CREATE INDEX alerts_session ON alerts (session_id, raised_at);
      CREATE INDEX alerts_open ON alerts (status) WHERE status <> 'cleared';
      CREATE TABLE alert_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL REFERENCES alerts (id),
        session_id TEXT NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX alert_events_session ON alert_events (session_id, seq);
    `,
  },
  {
    version: 4,
    name: 'devices and HL7 messages',
    sqlite: `
      CREATE TABLE hl7_devices (
        device_id TEXT PRIMARY KEY COLLATE NOCASE,
        chair_id TEXT NOT NULL REFERENCES chairs (id),
        created_at INTEGER NOT NULL,
        created_by TEXT
      );
      CREATE INDEX hl7_devices_chair ON hl7_devices (chair_id);
      CREATE TABLE hl7_unmapped_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        sending_device TEXT,
        bed TEXT,
        control_id TEXT,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL,
        raw_truncated INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 5,
    name: 'append-only audit trail',
    sqlite: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        user_id TEXT,
        username TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        target_type TEXT,
        target_id TEXT,
        session_id TEXT,
        details TEXT NOT NULL DEFAULT '{}',
        ip TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_session ON audit_log (session_id, at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
  {
    version: 6,
    name: 'device tokens',
    sqlite: `
      CREATE TABLE device_tokens (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at INTEGER,
        last_used_at INTEGER
      );
    `,
  },
  {
    version: 7,
    name: 'signatures, addenda, review filters and reading corrections',
    sqlite: `
      CREATE TABLE session_signatures (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id),
        signed_by TEXT NOT NULL,
        signed_by_name TEXT NOT NULL,
        signed_at INTEGER NOT NULL,
        statement TEXT NOT NULL
      );
      CREATE TABLE session_addenda (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES session_signatures (session_id),
        text TEXT NOT NULL,
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX session_addenda_session ON session_addenda (session_id, seq);
      CREATE TRIGGER session_signatures_no_update BEFORE UPDATE ON session_signatures
        BEGIN SELECT RAISE(ABORT, 'a signature cannot be changed'); END;
      CREATE TRIGGER session_addenda_no_update BEFORE UPDATE ON session_addenda
        BEGIN SELECT RAISE(ABORT, 'an addendum cannot be changed'); END;
      ALTER TABLE sessions ADD COLUMN override_used INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE readings ADD COLUMN supersedes TEXT;
      CREATE INDEX readings_supersedes ON readings (supersedes) WHERE supersedes IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'stored readings and session events are never changed; a session update bumps its revision',
    // A session's version (Store.findSessionVersion: revision and counts) then tells whether what a
    // report shows changed, which the review's report cache relies on. A new readings column belongs
    // in readings_no_update's list.
    sqlite: `
      CREATE TRIGGER readings_attach_only BEFORE UPDATE OF session_id ON readings
        WHEN OLD.session_id IS NOT NULL OR NEW.session_id IS NULL
        BEGIN SELECT RAISE(ABORT, 'a stored reading is never changed, only attached to a session'); END;
      CREATE TRIGGER readings_no_update BEFORE UPDATE OF seq, id, chair_id, measured_at, received_at, source,
        systolic, diastolic, mean, heart_rate, spo2, resp_rate, rejected, flags, entered_by, payload_hash, supersedes ON readings
        BEGIN SELECT RAISE(ABORT, 'a stored reading is never changed, only attached to a session'); END;
      CREATE TRIGGER readings_no_delete BEFORE DELETE ON readings
        BEGIN SELECT RAISE(ABORT, 'a stored reading is never deleted'); END;
      CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
        BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
      CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
        BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
      CREATE TRIGGER sessions_revision_rises BEFORE UPDATE ON sessions
        WHEN NEW.revision <= OLD.revision
        BEGIN SELECT RAISE(ABORT, 'every update of a session bumps its revision'); END;
    `,
  },
  {
    version: 9,
    name: 'alarm reach: chair assignments, push subscriptions, server keys, delivery attempts, HL7 alerts out',
    // docs/architecture.md "Alarm reach". assignments: one row per chair for the current shift.
    // alert_deliveries: every attempt to tell someone (push, HL7 gateway), kept so a clinician can
    // answer "who was told, when". hl7_alert_outbox: ORU^R40 messages queued durably and resent
    // until the gateway answers AA.
    sqlite: `
      CREATE TABLE assignments (
        chair_id TEXT PRIMARY KEY REFERENCES chairs (id),
        primary_user_id TEXT NOT NULL REFERENCES users (id),
        backup_user_id TEXT REFERENCES users (id),
        assigned_by TEXT NOT NULL,
        assigned_at INTEGER NOT NULL
      );
      CREATE TABLE push_subscriptions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        endpoint TEXT NOT NULL UNIQUE,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        label TEXT,
        created_at INTEGER NOT NULL,
        last_success_at INTEGER,
        failures INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
      CREATE TABLE server_keys (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE alert_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL,
        session_id TEXT,
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        step TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT,
        at INTEGER NOT NULL
      );
      CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id, seq);
      CREATE INDEX alert_deliveries_session ON alert_deliveries (session_id, seq);
      CREATE TABLE hl7_alert_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at INTEGER,
        acked_at INTEGER,
        last_error TEXT
      );
      CREATE INDEX hl7_alert_outbox_pending ON hl7_alert_outbox (seq) WHERE acked_at IS NULL;
    `,
  },
];
