-- CustomerSegmentation SQLite schema version 2: an index for streaming activity by time range (keyset pages on (at_ns, seq)).
CREATE INDEX IF NOT EXISTS "{activity_name}_at" ON {activity} (at_ns, seq);
