-- Views over a newsevents lake. Paths are relative to the lake directory, so this file
-- works in a plain duckdb shell started there:
--     cd LAKE && duckdb -init /path/to/schemas/views.sql
-- or from anywhere after: SET file_search_path = 'LAKE';
-- `newsevents sql` runs the same statements (tables with no files yet get empty views).
--
-- Only committed runs are visible: in-flight files live under _staging/, and a row
-- counts only when its run has a manifest in `runs`, which the commit writes last. A
-- run that died while moving its files into place therefore shows nothing.
CREATE OR REPLACE VIEW runs AS
SELECT * FROM read_parquet('runs/dt=*/*.parquet', hive_partitioning = true, union_by_name = true);

CREATE OR REPLACE VIEW articles AS
SELECT * FROM read_parquet('articles/dt=*/*.parquet', hive_partitioning = true, union_by_name = true)
WHERE run_id IN (SELECT run_id FROM runs);

CREATE OR REPLACE VIEW events AS
SELECT * FROM read_parquet('events/dt=*/*.parquet', hive_partitioning = true, union_by_name = true)
WHERE run_id IN (SELECT run_id FROM runs);

CREATE OR REPLACE VIEW places AS
SELECT * FROM read_parquet('places/dt=*/*.parquet', hive_partitioning = true, union_by_name = true)
WHERE run_id IN (SELECT run_id FROM runs);

CREATE OR REPLACE VIEW rejects AS
SELECT * FROM read_parquet('rejects/dt=*/*.parquet', hive_partitioning = true, union_by_name = true)
WHERE run_id IN (SELECT run_id FROM runs);
