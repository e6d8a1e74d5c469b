-- Views over a newsevents lake for a plain duckdb shell (`pip install duckdb-cli`, or
-- Python's duckdb module). Paths are relative to the lake directory:
--     cd LAKE && duckdb -init /path/to/schemas/views.sql
-- From any other folder, let newsevents write the views with the lake's absolute paths:
--     newsevents sql --init-script --lake LAKE > lake.sql && duckdb -init lake.sql
-- (`newsevents sql` itself builds equivalent views from the list of visible files.)
--
-- A file is visible when its run (in its name, part-RUN-N.parquet) has a manifest in
-- `runs`, which the commit writes last, and no committed run lists it as replaced
-- (compaction, reprocessing). In-flight files live under _staging/ and never match.
--
-- `runs` holds one row per run: manifests of recent runs, and history files of older
-- ones (folded by the manifest checkpoint, runs/_checkpoint.json); while a fold is
-- unfinished a run's row can be in both, hence QUALIFY.
CREATE OR REPLACE VIEW runs AS
SELECT * FROM read_parquet('runs/dt=*/*.parquet', hive_partitioning = true, union_by_name = true)
QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY dt) = 1;

CREATE OR REPLACE VIEW articles AS
SELECT * EXCLUDE (filename) FROM read_parquet('articles/dt=*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)
WHERE regexp_extract(filename, 'part-(.+)-[0-9]+\.parquet$', 1) IN (SELECT run_id FROM runs)
  AND regexp_extract(filename, '[^/]+/dt=[^/]+/[^/]+$') NOT IN (SELECT unnest(replaced_files) FROM runs);

CREATE OR REPLACE VIEW events AS
SELECT * EXCLUDE (filename) FROM read_parquet('events/dt=*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)
WHERE regexp_extract(filename, 'part-(.+)-[0-9]+\.parquet$', 1) IN (SELECT run_id FROM runs)
  AND regexp_extract(filename, '[^/]+/dt=[^/]+/[^/]+$') NOT IN (SELECT unnest(replaced_files) FROM runs);

CREATE OR REPLACE VIEW places AS
SELECT * EXCLUDE (filename) FROM read_parquet('places/dt=*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)
WHERE regexp_extract(filename, 'part-(.+)-[0-9]+\.parquet$', 1) IN (SELECT run_id FROM runs)
  AND regexp_extract(filename, '[^/]+/dt=[^/]+/[^/]+$') NOT IN (SELECT unnest(replaced_files) FROM runs);

CREATE OR REPLACE VIEW rejects AS
SELECT * EXCLUDE (filename) FROM read_parquet('rejects/dt=*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)
WHERE regexp_extract(filename, 'part-(.+)-[0-9]+\.parquet$', 1) IN (SELECT run_id FROM runs)
  AND regexp_extract(filename, '[^/]+/dt=[^/]+/[^/]+$') NOT IN (SELECT unnest(replaced_files) FROM runs);

-- One row per real-world incident; an incidents partition is rewritten whole when a
-- run adds reports to it, and the files it supersedes are listed as replaced.
CREATE OR REPLACE VIEW incidents AS
SELECT * EXCLUDE (filename) FROM read_parquet('incidents/dt=*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)
WHERE regexp_extract(filename, 'part-(.+)-[0-9]+\.parquet$', 1) IN (SELECT run_id FROM runs)
  AND regexp_extract(filename, '[^/]+/dt=[^/]+/[^/]+$') NOT IN (SELECT unnest(replaced_files) FROM runs);

-- The stream's windowed aggregates: one row per fired pane, event type and country.
CREATE OR REPLACE VIEW event_windows AS
SELECT * EXCLUDE (filename) FROM read_parquet('event_windows/dt=*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)
WHERE regexp_extract(filename, 'part-(.+)-[0-9]+\.parquet$', 1) IN (SELECT run_id FROM runs)
  AND regexp_extract(filename, '[^/]+/dt=[^/]+/[^/]+$') NOT IN (SELECT unnest(replaced_files) FROM runs);
