-- Every FK as an edge (referencing table, referenced table). lens_risk walks them in memory:
-- pg_constraint has no index on confrelid, so a recursive query would scan it once per level
-- of the walk (360 ms for a table 2,806 of 5,000 tables reach, against one scan here).
SELECT con.conrelid::int8, con.confrelid::int8 FROM pg_catalog.pg_constraint con WHERE con.contype = 'f'
