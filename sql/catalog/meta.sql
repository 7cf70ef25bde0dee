-- Who and when: database, server version, block size, keywords that need quoting.
SELECT pg_catalog.current_database()::text AS db_name,
       pg_catalog.version() AS server_version,
       pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS captured_at,
       pg_catalog.current_setting('block_size')::int8 AS block_size,
       ARRAY(SELECT word::text FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U') AS quoted_keywords
