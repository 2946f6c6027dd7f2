-- Row count and checksum of every user table, one "schema.table|rows|checksum" line each.
-- Rendered by stackplan; used by stackplan-backup (inside the dump's snapshot) and stackplan-restore.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name,
       (xpath('/row/r/text()', s.x))[1]::text AS row_count,
       (xpath('/row/h/text()', s.x))[1]::text AS checksum
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT query_to_xml(format(
    'SELECT count(*) AS r, coalesce(sum((''x'' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) AS h FROM %I.%I AS t',
    n.nspname, c.relname), false, true, '') AS x
) s
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY 1;
