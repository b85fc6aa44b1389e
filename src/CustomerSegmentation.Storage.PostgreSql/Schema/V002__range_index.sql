-- CustomerSegmentation schema version 2: an index for streaming activity by time range (keyset pages on
-- (at_ns, seq)) and a check that every row is one of the three record kinds.
CREATE INDEX IF NOT EXISTS "{activity_name}_at" ON {schema}.{activity} (at_ns, seq);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '{activity_name}_kind_check'
                   AND conrelid = '{schema}.{activity}'::regclass) THEN
        ALTER TABLE {schema}.{activity} ADD CONSTRAINT "{activity_name}_kind_check" CHECK (kind IN (0, 1, 2));
    END IF;
END $$;
