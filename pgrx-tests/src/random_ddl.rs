//! A randomized stream of DDL statements over a small pool of awkward names (so that drops
//! and renames find what earlier statements made): the capture and migration tests replay it.

/// xorshift64*: reproducible without a dependency.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub const SCHEMAS: &[&str] = &["public", "\"Sales Dept\"", "ünï", "s2"];
pub const TABLES: &[&str] = &["t1", "t2", "\"Order Items\"", "\"select\"", "\"a.b\"", "Ünïcode"];
pub const COLUMNS: &[&str] = &["c1", "c2", "\"Mixed Case\"", "\"from\"", "c3"];
pub const TYPES: &[&str] = &["int", "bigint", "text", "numeric(10,2)", "boolean", "timestamptz"];
/// Made once for the cluster by the test.
pub const ROLES: &[&str] = &["lens_random_a", "\"Lens Random B.\u{fc}\""];

/// `major`: the server's; PostgreSQL 18 and later also draw the kinds of KINDS_18.
pub fn statement(rng: &mut Rng, major: u32) -> (&'static str, String) {
    let s = rng.pick(SCHEMAS);
    let t = format!("{s}.{}", rng.pick(TABLES));
    let t2 = format!("{}.{}", rng.pick(SCHEMAS), rng.pick(TABLES));
    let c = rng.pick(COLUMNS);
    let c2 = rng.pick(COLUMNS);
    let ty = rng.pick(TYPES);
    let n = rng.below(1000);
    // names from small pools, so that drops and renames find what earlier statements made
    let m = n % 6;
    // constraints go on two tables with three names each, so that drops and renames hit
    let ct = ["public.t1", "public.t2"][n as usize % 2];
    let cm = rng.below(3);
    let kinds = KINDS.len() + if major >= 18 { KINDS_18.len() } else { 0 };
    let kind = rng.below(kinds as u64);
    let role = rng.pick(ROLES);
    let sql = match kind {
        0..=3 => format!("CREATE TABLE {t} (id int PRIMARY KEY, {c} {ty}, note text DEFAULT 'x')"),
        4 => format!("DROP TABLE {t}"),
        5 => format!("DROP TABLE {t} CASCADE"),
        6 => format!("ALTER TABLE {t} RENAME TO {}", rng.pick(TABLES)),
        7 | 8 => format!("ALTER TABLE {t} ADD COLUMN {c} {ty}{}", if n % 2 == 0 { " DEFAULT NULL" } else { "" }),
        9 => format!("ALTER TABLE {t} DROP COLUMN {c}{}", if n % 2 == 0 { " CASCADE" } else { "" }),
        10 => format!("ALTER TABLE {t} RENAME COLUMN {c} TO {c2}"),
        11 => format!("ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING NULL"),
        12 => format!("ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT NULL"),
        13 => format!("ALTER TABLE {t} ALTER COLUMN {c} {} NOT NULL", if n % 2 == 0 { "SET" } else { "DROP" }),
        14 => format!("CREATE INDEX \"ix {m}\" ON {t} ({c}){}", if n % 3 == 0 { format!(" WHERE {c} IS NOT NULL") } else { String::new() }),
        15 => format!("CREATE UNIQUE INDEX ON {t} (lower({c}::text))"),
        16 => format!("DROP INDEX {s}.\"ix {}\"", rng.below(6)),
        17 => format!("ALTER TABLE {ct} ADD CONSTRAINT \"uq {cm}\" UNIQUE ({c})"),
        18 => format!("ALTER TABLE {ct} ADD CONSTRAINT \"ck {cm}\" CHECK (id > {n})"),
        19 => format!("ALTER TABLE {ct} DROP CONSTRAINT \"{}{cm}\"", ["uq ", "ck ", "fk "][n as usize % 3]),
        20 | 21 => format!(
            "ALTER TABLE {ct} ADD CONSTRAINT \"fk {cm}\" FOREIGN KEY (id) REFERENCES {t2} (id) ON DELETE {}{}",
            ["CASCADE", "SET NULL", "RESTRICT", "NO ACTION"][n as usize % 4],
            if n % 5 == 0 { " DEFERRABLE INITIALLY DEFERRED" } else { "" }
        ),
        22 => format!("CREATE VIEW {s}.\"v {}\" AS SELECT * FROM {t}", n % 4),
        23 => format!("CREATE MATERIALIZED VIEW {s}.\"mv {}\" AS SELECT id FROM {t}", n % 3),
        24 => format!("DROP VIEW {s}.\"v {}\" CASCADE", n % 4),
        25 => format!("CREATE SCHEMA {s}"),
        26 => format!("DROP SCHEMA {} CASCADE", rng.pick(&SCHEMAS[1..])),
        27 => format!("ALTER SCHEMA {} RENAME TO {}", rng.pick(&SCHEMAS[1..]), rng.pick(&SCHEMAS[1..])),
        28 => format!("CREATE TABLE {s}.\"parted {}\" (id int, k int NOT NULL, PRIMARY KEY (id, k)) PARTITION BY RANGE (k)", n % 2),
        29 => format!(
            "CREATE TABLE {s}.\"part {m}\" PARTITION OF {s}.\"parted {}\" FOR VALUES FROM ({}) TO ({})",
            n % 2,
            m * 10,
            m * 10 + 10
        ),
        30 => format!("ALTER TABLE {s}.\"parted {}\" DETACH PARTITION {s}.\"part {}\"", n % 2, rng.below(6)),
        31 => format!("CREATE TYPE {s}.\"mood {}\" AS ENUM ('sad', 'ok')", n % 3),
        32 => format!("COMMENT ON TABLE {t} IS 'note {n}'"),
        33 => format!("CREATE SEQUENCE {s}.\"seq {}\" INCREMENT {}", n % 3, n % 7 + 1),
        34 => format!("ALTER INDEX {s}.\"ix {m}\" RENAME TO \"ix {}\"", rng.below(6)),
        35 => {
            let kind = ["uq ", "ck ", "fk "][n as usize % 3];
            format!("ALTER TABLE {ct} RENAME CONSTRAINT \"{kind}{cm}\" TO \"{kind}{}\"", rng.below(3))
        }
        36 => format!("ALTER VIEW {s}.\"v {}\" RENAME TO \"v {}\"", n % 4, rng.below(4)),
        37 => format!(
            "ALTER TABLE {s}.\"parted {}\" ATTACH PARTITION {t} FOR VALUES FROM ({}) TO ({})",
            n % 2,
            100 + m * 10,
            110 + m * 10
        ),
        38 => format!("CREATE TABLE {t} (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k))"),
        39 => format!("ALTER TYPE {s}.\"mood {}\" RENAME TO \"mood {}\"", n % 3, rng.below(3)),
        40 => format!("CREATE TABLE {t} (id int PRIMARY KEY, mood {s}.\"mood {}\" DEFAULT 'ok')", n % 3),
        41 => format!("ALTER SEQUENCE {s}.\"seq {}\" RENAME TO \"seq {}\"", n % 3, rng.below(3)),
        // functions, privileges, owners, extensions and schemas (issue 11)
        42 | 43 => format!("CREATE FUNCTION {s}.\"f {}\"(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + {n}'", n % 3),
        44 => format!("CREATE OR REPLACE FUNCTION {s}.\"f {}\"(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a * {n}'", n % 3),
        45 => format!("DROP FUNCTION {s}.\"f {}\"(int)", n % 3),
        46 => format!("ALTER FUNCTION {s}.\"f {}\"(int) RENAME TO \"f {}\"", n % 3, rng.below(3)),
        47 => format!("GRANT SELECT{} ON {t} TO {role}", if n % 2 == 0 { ", INSERT" } else { "" }),
        48 => format!("REVOKE ALL ON {t} FROM {role}"),
        49 => format!("GRANT UPDATE ({c}) ON {t} TO {role}{}", if n % 2 == 0 { " WITH GRANT OPTION" } else { "" }),
        50 => format!("{} USAGE ON SCHEMA {s} {} {role}", if n % 2 == 0 { "GRANT" } else { "REVOKE" }, if n % 2 == 0 { "TO" } else { "FROM" }),
        51 => match n % 3 {
            0 => format!("REVOKE EXECUTE ON FUNCTION {s}.\"f {}\"(int) FROM PUBLIC", n % 3),
            _ => format!("GRANT EXECUTE ON FUNCTION {s}.\"f {}\"(int) TO {role}", n % 3),
        },
        52 => format!("ALTER TABLE {t} OWNER TO {}", if n % 2 == 0 { role } else { "CURRENT_USER" }),
        53 => format!("ALTER FUNCTION {s}.\"f {}\"(int) OWNER TO {}", n % 3, if n % 2 == 0 { role } else { "CURRENT_USER" }),
        54 => format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} {} SELECT ON TABLES {} {role}",
            if n % 2 == 0 { "GRANT" } else { "REVOKE" },
            if n % 2 == 0 { "TO" } else { "FROM" }
        ),
        55 => format!("CREATE EXTENSION citext SCHEMA {s} VERSION '1.5'"),
        56 => "ALTER EXTENSION citext UPDATE TO '1.6'".to_string(),
        57 => "DROP EXTENSION citext".to_string(),
        // more of what later statements need to find (so drops and renames of them happen)
        58 | 59 => format!("CREATE INDEX \"ix {m}\" ON {t} ({c})"),
        60 => format!("CREATE TYPE {s}.\"mood {}\" AS ENUM ('sad', 'ok')", n % 3),
        61 => format!("CREATE TABLE {s}.\"parted {}\" (id int, k int NOT NULL, PRIMARY KEY (id, k)) PARTITION BY RANGE (k)", n % 2),
        62 => format!("CREATE TABLE {t} (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k))"),
        63 => format!("CREATE TYPE {s}.\"pair {}\" AS (a int, b text)", n % 2),
        64 => format!("ALTER TYPE {s}.\"pair {}\" ADD ATTRIBUTE {c} {ty}", n % 2),
        65 => format!("CREATE STATISTICS {s}.\"st {}\" ON id, {c} FROM {t}", n % 3),
        66 => format!("DROP STATISTICS {s}.\"st {}\"", n % 3),
        67 => format!("CREATE RULE \"r {}\" AS ON UPDATE TO {t} DO ALSO NOTHING", n % 2),
        68 => format!("CREATE COLLATION {s}.\"coll {}\" (provider = libc, locale = 'C')", n % 2),
        69 => format!("ALTER INDEX {s}.\"ix {m}\" RENAME TO \"ix {}\"", rng.below(6)),
        70 => format!("ALTER TYPE {s}.\"mood {}\" RENAME TO \"mood {}\"", n % 3, rng.below(3)),
        71 => format!("COMMENT ON SCHEMA {s} IS 'schema note {n}'"),
        // PostgreSQL 18 (KINDS_18)
        72 => format!("ALTER TABLE {t} ADD CONSTRAINT \"nn {cm}\" NOT NULL {c}"),
        73 => format!("ALTER TABLE {ct} ADD CONSTRAINT \"nnv {cm}\" NOT NULL {c} NOT VALID"),
        74 => format!("ALTER TABLE {ct} VALIDATE CONSTRAINT \"nnv {cm}\""),
        75 => format!("ALTER TABLE {t} ADD COLUMN {c} bigint GENERATED ALWAYS AS (id * {n}) VIRTUAL"),
        76 => format!("ALTER TABLE {ct} ADD CONSTRAINT \"ck {cm}\" CHECK (id > {n}) NOT ENFORCED"),
        _ => format!("ALTER TABLE {ct} ADD CONSTRAINT \"fk {cm}\" FOREIGN KEY (id) REFERENCES {t2} (id) NOT ENFORCED"),
    };
    let name = KINDS.get(kind as usize).or_else(|| KINDS_18.get(kind as usize - KINDS.len())).copied().unwrap_or("?");
    (name, sql)
}

/// What the stream draws on PostgreSQL 18 and later besides KINDS.
pub const KINDS_18: &[&str] = &[
    "add named not null", "add not null not valid", "validate not null", "add virtual column", "add check not enforced",
    "add fk not enforced",
];

/// What each branch of `statement` does, to check that the stream covered them.
pub const KINDS: &[&str] = &[
    "create table", "create table", "create table", "create table", "drop table", "drop table cascade", "rename table",
    "add column", "add column", "drop column", "rename column", "change column type", "set default", "nullability",
    "create index", "create expression index", "drop index", "add unique", "add check", "drop constraint", "add fk",
    "add fk", "create view", "create materialized view", "drop view cascade", "create schema", "drop schema cascade",
    "rename schema", "create partitioned table", "create partition", "detach partition", "create enum", "comment",
    "create sequence", "rename index", "rename constraint", "rename view", "attach partition",
    "create table to attach", "rename enum", "create table with enum", "rename sequence",
    "create function", "create function", "replace function", "drop function", "rename function", "grant on table",
    "revoke on table", "grant on column", "grant or revoke on schema", "grant or revoke on function", "table owner",
    "function owner", "default privileges", "create extension", "update extension", "drop extension", "create index",
    "create index", "create enum", "create partitioned table", "create table to attach", "create composite type",
    "add type attribute", "create statistics", "drop statistics", "create rule", "create collation", "rename index",
    "rename enum", "comment on schema",
];

