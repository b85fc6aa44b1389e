-- CustomerSegmentation SQLite schema version 1: customers and activity. Idempotent (IF NOT EXISTS everywhere).
-- Instants are INTEGER nanoseconds since 1970-01-01 UTC. Amounts are kept twice: the exact decimal text (round trip)
-- and INTEGER units of 1/10 000 (exact sums in SQL; SQLite has no decimal type).
CREATE TABLE IF NOT EXISTS {customers} (
    customer_id          TEXT    NOT NULL PRIMARY KEY,
    version              INTEGER NOT NULL CHECK (version > 0),
    kind                 INTEGER NOT NULL,
    display_name         TEXT    NOT NULL,
    emails               TEXT    NOT NULL,
    phones               TEXT    NOT NULL,
    region               TEXT,
    industry             TEXT,
    company_size         TEXT,
    acquisition_channel  TEXT,
    owner                TEXT,
    birthday_month       INTEGER,
    birthday_day         INTEGER,
    birthday_year        INTEGER,
    marketing_consent    INTEGER NOT NULL,
    custom_attributes    TEXT    NOT NULL,
    created_at_ns        INTEGER NOT NULL,
    updated_at_ns        INTEGER NOT NULL,
    last_verified_at_ns  INTEGER
);

CREATE TABLE IF NOT EXISTS {activity} (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id       TEXT    NOT NULL,
    kind              INTEGER NOT NULL,
    at_ns             INTEGER NOT NULL,
    amount            TEXT,
    amount_e4         INTEGER,
    currency          TEXT,
    order_id          TEXT,
    quantity          INTEGER,
    interaction_kind  INTEGER,
    satisfaction      INTEGER,
    nps               INTEGER,
    channel           TEXT,
    referred_id       TEXT
);

CREATE INDEX IF NOT EXISTS "{activity_name}_customer_at" ON {activity} (customer_id, at_ns, seq);
