//! The acceptance corpus: one case is the DDL before, the DDL of a change, and what the diff
//! must say (section, kind of change, key). One harness runs every case through
//!
//! 1. `lens_diff` of a snapshot before and one after the change: exactly the expected entries;
//! 2. capture: the drift rows of the change chain from the signature before to the one
//!    after (a change of one statement: its row's diff says exactly what is expected), and
//!    `lens_snapshot_at` of the last row and of the row before the change give both
//!    snapshots' signatures;
//! 3. a `lens_ddl_script()` round trip of both states: replayed in an empty database, the
//!    same signatures.
//!
//! Expectations read `section kind key`: kind `+` added, `-` removed, `~` changed, `>`
//! renamed (`from => to`), `reordered` (a table's columns). Cases run in groups, one pair of
//! databases per group, pg_lens installed in schema `lens` so that a case can drop every
//! user schema to start clean.

use pg_lens_e2e::*;
use postgres::Client;
use serde_json::Value;
use std::collections::BTreeSet;

struct Case {
    name: &'static str,
    before: &'static str,
    change: &'static str,
    expect: &'static [&'static str],
}

/// Functions the cases' triggers and defaults call, made in both databases first, in a
/// schema no case drops (they are in every snapshot, so the scripts rebuild them too).
const PRELUDE: &str = "CREATE SCHEMA fns;
    CREATE FUNCTION fns.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE FUNCTION fns.other() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
    CREATE FUNCTION fns.two() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2';";

const SECTIONS: &[&str] = &[
    "tables", "columns", "constraints.pks", "constraints.uniques", "constraints.checks", "constraints.exclusions",
    "relationships", "indexes", "views", "enums", "domains", "sequences", "triggers", "policies",
    "functions", "schemas", "extensions", "defaultPrivileges", "collations", "types", "statistics", "rules",
    "publications", "casts", "foreignDataWrappers", "foreignServers", "operators", "operatorClasses",
];

fn database(name: &str) -> Client {
    let mut admin = connect("postgres");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
    // roles are the cluster's: made once, kept (what a case grants them goes with its schema);
    // groups run at once, so two may make a role at the same moment (unique_violation)
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE lens_corpus_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
             DO $$ BEGIN CREATE ROLE \"Lens Corpus \u{e9}diteur\"; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;",
        )
        .unwrap();
    let mut db = connect(name);
    db.batch_execute("CREATE SCHEMA lens; CREATE EXTENSION pg_lens SCHEMA lens").unwrap();
    db.batch_execute(PRELUDE).unwrap();
    db.batch_execute("SET search_path = public, lens").unwrap();
    db
}

/// Every user schema dropped (but pg_lens's and the prelude's), public made again.
fn reset(db: &mut Client) {
    db.batch_execute(
        "DO $$ DECLARE s text; BEGIN
           FOR s IN SELECT nspname FROM pg_namespace
                    WHERE nspname NOT IN ('lens', 'fns', 'pg_catalog', 'information_schema')
                      AND nspname !~ '^pg_(toast|temp_|toast_temp_)' LOOP
             EXECUTE format('DROP SCHEMA %I CASCADE', s);
           END LOOP;
         END $$;
         DO $$ DECLARE p text; BEGIN
           FOR p IN SELECT pubname FROM pg_publication LOOP EXECUTE format('DROP PUBLICATION %I', p); END LOOP;
           FOR p IN SELECT fdwname FROM pg_foreign_data_wrapper w
                    WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_foreign_data_wrapper'::regclass AND d.objid = w.oid AND d.deptype = 'e') LOOP
             EXECUTE format('DROP FOREIGN DATA WRAPPER %I CASCADE', p);
           END LOOP;
         END $$;
         CREATE SCHEMA public;",
    )
    .unwrap();
}

/// The (section kind key) lines of a diff.
fn found(diff: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for path in SECTIONS {
        let mut at = diff;
        for part in path.split('.') {
            at = &at[part];
        }
        for (list, kind) in [("added", "+"), ("removed", "-"), ("changed", "~")] {
            for entry in at[list].as_array().into_iter().flatten() {
                out.insert(format!("{path} {kind} {}", entry["key"].as_str().unwrap_or("?")));
            }
        }
        for entry in at["renamed"].as_array().into_iter().flatten() {
            out.insert(format!("{path} > {} => {}", entry["from"].as_str().unwrap_or("?"), entry["to"].as_str().unwrap_or("?")));
        }
        for entry in at["reordered"].as_array().into_iter().flatten() {
            out.insert(format!("{path} reordered {}", entry["table"].as_str().unwrap_or("?")));
        }
    }
    out
}

fn signature(db: &mut Client) -> String {
    text(db, "SELECT lens_signature()")
}

fn last_id(db: &mut Client) -> i64 {
    db.query_one("SELECT coalesce(max(id), 0) FROM lens_drift", &[]).unwrap().get(0)
}

fn replays(replay: &mut Client, script: &str, expected: &str, what: &str) -> Result<(), String> {
    reset(replay);
    replay.batch_execute(script).map_err(|e| format!("{what}: the script does not run: {}\n{script}", describe(&e)))?;
    let got = signature(replay);
    if got != expected {
        return Err(format!("{what}: the replayed script signs {got}, the schema {expected}\n{script}"));
    }
    Ok(())
}

fn run(case: &Case, db: &mut Client, replay: &mut Client) -> Result<String, String> {
    reset(db);
    db.batch_execute(case.before).map_err(|e| format!("before: {}", describe(&e)))?;
    let before = json(db, "lens_snapshot()");
    let (before_signature, before_id) = (signature(db), last_id(db));
    let before_script = text(db, "SELECT lens_ddl_script()");
    db.batch_execute(case.change).map_err(|e| format!("change: {}", describe(&e)))?;
    let after_signature = signature(db);
    let after_id = last_id(db);

    // 1. the diff says exactly what the case expects
    let diff = json(db, &format!("lens_diff({}, lens_snapshot())", lit(&before)));
    let expected: BTreeSet<String> = expectation(case).iter().map(|s| s.to_string()).collect();
    let got = found(&diff);
    if got != expected {
        return Err(format!("diff: expected {expected:?}\n      got {got:?}\n{diff}"));
    }
    if diff["changed"].as_bool() != Some(!expected.is_empty()) || (before_signature == after_signature) != expected.is_empty() {
        return Err(format!("changed is {} and the signatures {} equal", diff["changed"], if before_signature == after_signature { "are" } else { "are not" }));
    }

    // 2. capture chains the signatures and time travel gives both states
    let rows = db
        .query("SELECT signature_before, signature_after FROM lens_drift WHERE id > $1 AND signature_after IS NOT NULL ORDER BY id", &[&before_id])
        .unwrap();
    let mut at = before_signature.clone();
    for row in &rows {
        let (from, to): (String, String) = (row.get(0), row.get(1));
        if from != at {
            return Err(format!("capture: a row starts from {from}, history was at {at}"));
        }
        at = to;
    }
    if at != after_signature {
        return Err(format!("capture: history ends at {at}, the schema is at {after_signature}"));
    }
    // a change of one statement: its row says what lens_diff says
    let diffs = db.query("SELECT diff::text FROM lens_drift WHERE id > $1 AND diff IS NOT NULL AND NOT partial ORDER BY id", &[&before_id]).unwrap();
    if let [row] = diffs.as_slice() {
        let captured: Value = serde_json::from_str(&row.get::<_, String>(0)).unwrap_or(Value::Null);
        if found(&captured) != expected {
            return Err(format!("capture: its row says {:?}, expected {expected:?}\n{captured}", found(&captured)));
        }
    }
    let travel = |db: &mut Client, id: i64| text(db, &format!("SELECT lens_signature(lens_snapshot_at({id}::bigint))"));
    if after_id > 0 && travel(db, after_id) != after_signature {
        return Err("lens_snapshot_at(the last row) is not the schema after the change".into());
    }
    if before_id > 0 && travel(db, before_id) != before_signature {
        return Err("lens_snapshot_at(the row before the change) is not the schema before it".into());
    }

    // 3. both states rebuild from their scripts
    replays(replay, &before_script, &before_signature, "before")?;

    // 4. the plan from before to after, run on the rebuilt before state, gives the after state
    let plan = plan_check(case, db, replay, &before, &expected, &after_signature)?;
    let after_script = text(db, "SELECT lens_ddl_script()");
    replays(replay, &after_script, &after_signature, "after")?;
    Ok(plan)
}

/// Runs `lens_migration(before, now)` on `replay` (at the before state) statement by
/// statement: it must end at the after signature (or stop at its manual step, on purpose),
/// renames must come out as RENAME, and a plan of renames only deletes nothing. The plan as
/// text for the golden file: each step's statement and hazards, the guard left out.
fn plan_check(case: &Case, db: &mut Client, replay: &mut Client, before: &Value, expected: &BTreeSet<String>, after_signature: &str) -> Result<String, String> {
    let sql = format!("SELECT statement, hazards FROM lens_migration({}, lens_snapshot()) ORDER BY step", lit(before));
    let steps: Vec<(String, Vec<String>)> = db.query(&sql, &[]).map_err(|e| format!("plan: {}", describe(&e)))?.iter().map(|r| (r.get(0), r.get(1))).collect();
    let listing = || steps.iter().skip(1).filter(|(st, _)| st != "SET check_function_bodies = false;").map(|(st, h)| format!("{st}\n  -- hazards: {}", if h.is_empty() { "none".to_string() } else { h.join(", ") })).collect::<Vec<_>>().join("\n");
    let manual = steps.iter().find(|(_, h)| h.iter().any(|x| x == "needs_manual_step")).map(|(st, _)| st.clone());
    for (st, _) in &steps {
        if let Err(e) = replay.batch_execute(st) {
            let code = e.as_db_error().map(|d| d.code().code().to_string()).unwrap_or_default();
            if manual.as_deref() == Some(st.as_str()) && code == "0A000" {
                return Ok(format!("-- case: {}\n{}\n", case.name, listing()));
            }
            return Err(format!("plan: {st}\n  -> {}\nplan:\n{}", describe(&e), listing()));
        }
    }
    if let Some(st) = manual {
        return Err(format!("plan: the manual step ran: {st}"));
    }
    let got = signature(replay);
    if got != after_signature {
        return Err(format!("plan: the before state signs {got} after the plan, the after state {after_signature}\nplan:\n{}", listing()));
    }
    let renames = expected.iter().filter(|e| e.split(' ').nth(1) == Some(">")).count();
    if renames > 0 {
        let renaming = steps.iter().filter(|(st, _)| st.contains(" RENAME ") || st.contains(" SET SCHEMA ")).count();
        if renaming == 0 {
            return Err(format!("plan: {renames} renames expected, no RENAME in the plan:\n{}", listing()));
        }
        let only_renames = expected.iter().all(|e| matches!(e.split(' ').nth(1), Some(">") | Some("~")));
        if only_renames && steps.iter().any(|(_, h)| h.iter().any(|x| x == "deletes_data")) {
            return Err(format!("plan: a rename that deletes data:\n{}", listing()));
        }
    }
    Ok(format!("-- case: {}\n{}\n", case.name, listing()))
}

/// What a case needs that not every test server has: it runs where that is, and is skipped,
/// saying so, elsewhere.
enum Need {
    /// ICU collations (Debian's 15 has them; the relocatable builds of the others do not)
    Icu,
    /// this major or a later one
    Major(u32),
}

const NEEDS: &[(&str, Need)] = &[
    ("create collation", Need::Icu),
    // PostgreSQL 15 syntax: NULLS NOT DISTINCT, publications' column lists and schemas
    ("unique nulls not distinct", Need::Major(15)),
    ("create publication", Need::Major(15)),
    ("publication of a schema", Need::Major(15)),
    ("grant maintain", Need::Major(17)),
    ("not null constraint with a name", Need::Major(18)),
    ("rename a not null constraint", Need::Major(18)),
    ("not null no inherit", Need::Major(18)),
    ("not null not valid, then validated", Need::Major(18)),
    ("virtual generated column", Need::Major(18)),
    ("temporal primary key", Need::Major(18)),
    ("temporal foreign key", Need::Major(18)),
    ("check not enforced", Need::Major(18)),
    ("foreign key not enforced, then enforced", Need::Major(18)),
];

/// Cases whose outcome a later major changes, from that major on: what the catalog of that
/// major holds (README, "PostgreSQL majors").
const FROM_MAJOR: &[(&str, u32, &[&str])] = &[
    // 18 keeps the partition's NOT NULL as a constraint that, detached, is the table's own
    // and keeps the parent's name
    ("detach partition", 18, &["tables ~ public.m26", "columns ~ public.m26.at"]),
];

fn expectation(case: &Case) -> &'static [&'static str] {
    FROM_MAJOR
        .iter()
        .filter(|(name, from, _)| *name == case.name && server_major() >= *from)
        .map(|(_, _, expect)| *expect)
        .next_back()
        .unwrap_or(case.expect)
}

fn runs_here(case: &Case, icu: bool) -> bool {
    let need = NEEDS.iter().find(|(name, _)| *name == case.name).map(|(_, need)| need);
    let (runs, why) = match need {
        None => (true, String::new()),
        Some(Need::Icu) => (icu, "it needs ICU".to_string()),
        Some(Need::Major(m)) => (server_major() >= *m, format!("it needs PostgreSQL {m}")),
    };
    if !runs {
        eprintln!("[{}] skipped on PostgreSQL {}: {why}", case.name, server_major());
    }
    runs
}

fn run_group(group: &str, cases: &[Case]) {
    let mut db = database(&format!("lens_corpus_{group}"));
    let mut replay = database(&format!("lens_corpus_{group}_replay"));
    let icu = has_icu();
    let mut failures = Vec::new();
    let mut plans = String::new();
    for case in cases.iter().filter(|c| runs_here(c, icu)) {
        match run(case, &mut db, &mut replay) {
            Ok(plan) => plans.push_str(&plan),
            Err(e) => failures.push(format!("[{}] {}", case.name, e)),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
    // the expected plans, reviewed as a golden file: 15's (each major's plans are checked by
    // running them; their text differs where the major prints definitions its own way)
    if server_major() == 15 && has_icu() {
        if let Some(diff) = golden(&format!("corpus_plans/{group}.sql"), &plans) {
            panic!("the plans of group {group}: {diff}");
        }
    }
}

const TABLES: &[Case] = &[
    Case { name: "create table", before: "", change: "CREATE TABLE t (id int PRIMARY KEY)",
        expect: &["tables + public.t", "columns + public.t.id", "constraints.pks + public.t:t_pkey", "indexes + public.t.t_pkey"] },
    Case { name: "drop table", before: "CREATE TABLE t (id int)", change: "DROP TABLE t",
        expect: &["tables - public.t", "columns - public.t.id"] },
    Case { name: "rename table", before: "CREATE TABLE t (id int)", change: "ALTER TABLE t RENAME TO u",
        expect: &["tables > public.t => public.u", "columns > public.t.id => public.u.id"] },
    Case { name: "move table to another schema", before: "CREATE SCHEMA s; CREATE TABLE t (id int)", change: "ALTER TABLE t SET SCHEMA s",
        expect: &["tables > public.t => s.t", "columns > public.t.id => s.t.id"] },
    Case { name: "awkward table name", before: "", change: "CREATE TABLE \"Order Items.\"\"x\"\"\n\u{e9}\" (\"select\" int)",
        expect: &["tables + public.\"Order Items.\"\"x\"\"\n\u{e9}\"", "columns + public.\"Order Items.\"\"x\"\"\n\u{e9}\".\"select\""] },
    Case { name: "comment on table", before: "CREATE TABLE t (id int)", change: "COMMENT ON TABLE t IS 'the table'",
        expect: &["tables ~ public.t"] },
    Case { name: "unlogged", before: "CREATE TABLE t (id int)", change: "ALTER TABLE t SET UNLOGGED", expect: &["tables ~ public.t"] },
    Case { name: "row level security", before: "CREATE TABLE t (id int)", change: "ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY",
        expect: &["tables ~ public.t"] },
    Case { name: "data changes nothing", before: "CREATE TABLE t (id int)", change: "INSERT INTO t SELECT generate_series(1, 1000); ANALYZE t",
        expect: &[] },
    Case { name: "inherit", before: "CREATE TABLE p (id int); CREATE TABLE c (id int)", change: "ALTER TABLE c INHERIT p",
        expect: &["tables ~ public.c"] },
    Case { name: "create an inheriting table", before: "CREATE TABLE p (id int)", change: "CREATE TABLE c (extra text) INHERITS (p)",
        expect: &["tables + public.c", "columns + public.c.id", "columns + public.c.extra"] },
    Case { name: "no inherit", before: "CREATE TABLE p (id int); CREATE TABLE c () INHERITS (p)", change: "ALTER TABLE c NO INHERIT p",
        expect: &["tables ~ public.c"] },
];

const COLUMNS: &[Case] = &[
    Case { name: "add column", before: "CREATE TABLE t (id int)", change: "ALTER TABLE t ADD COLUMN v text", expect: &["columns + public.t.v"] },
    Case { name: "drop column shifts nothing", before: "CREATE TABLE t (a int, b int, c int)", change: "ALTER TABLE t DROP COLUMN b",
        expect: &["columns - public.t.b"] },
    Case { name: "rename column", before: "CREATE TABLE t (a int, b int)", change: "ALTER TABLE t RENAME COLUMN a TO z",
        expect: &["columns > public.t.a => public.t.z"] },
    Case { name: "reserved word and capitals", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t RENAME COLUMN a TO \"Order\"",
        expect: &["columns > public.t.a => public.t.\"Order\""] },
    Case { name: "change type", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER COLUMN a TYPE bigint", expect: &["columns ~ public.t.a"] },
    Case { name: "typmod", before: "CREATE TABLE t (a varchar(10))", change: "ALTER TABLE t ALTER COLUMN a TYPE varchar(20)", expect: &["columns ~ public.t.a"] },
    Case { name: "set not null", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER COLUMN a SET NOT NULL", expect: &["columns ~ public.t.a"] },
    Case { name: "default", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER COLUMN a SET DEFAULT 42", expect: &["columns ~ public.t.a"] },
    Case { name: "default calling a function", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER COLUMN a SET DEFAULT fns.two()",
        expect: &["columns ~ public.t.a"] },
    Case { name: "drop default", before: "CREATE TABLE t (a int DEFAULT 1)", change: "ALTER TABLE t ALTER COLUMN a DROP DEFAULT", expect: &["columns ~ public.t.a"] },
    Case { name: "identity", before: "CREATE TABLE t (a int NOT NULL)", change: "ALTER TABLE t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY",
        expect: &["columns ~ public.t.a", "sequences + public.t_a_seq"] },
    Case { name: "generated column", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED",
        expect: &["columns + public.t.b"] },
    Case { name: "collation", before: "CREATE TABLE t (a text)", change: "ALTER TABLE t ALTER COLUMN a TYPE text COLLATE \"C\"", expect: &["columns ~ public.t.a"] },
    Case { name: "comment on column with a newline", before: "CREATE TABLE t (a int)", change: "COMMENT ON COLUMN t.a IS E'line one\\n-- line two */'",
        expect: &["columns ~ public.t.a"] },
    Case { name: "serial", before: "CREATE TABLE t (id int)", change: "ALTER TABLE t ADD COLUMN n serial",
        expect: &["columns + public.t.n", "sequences + public.t_n_seq"] },
    Case { name: "array and enum column", before: "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE t (id int)", change: "ALTER TABLE t ADD COLUMN m mood[]",
        expect: &["columns + public.t.m"] },
    Case { name: "drop and re-add at the end", before: "CREATE TABLE t (a int, b int, c int)", change: "ALTER TABLE t DROP COLUMN b; ALTER TABLE t ADD COLUMN b int",
        expect: &["columns reordered public.t"] },
];

const CONSTRAINTS: &[Case] = &[
    Case { name: "add primary key", before: "CREATE TABLE t (id int NOT NULL)", change: "ALTER TABLE t ADD PRIMARY KEY (id)",
        expect: &["constraints.pks + public.t:t_pkey", "indexes + public.t.t_pkey"] },
    Case { name: "drop primary key", before: "CREATE TABLE t (id int PRIMARY KEY)", change: "ALTER TABLE t DROP CONSTRAINT t_pkey",
        expect: &["constraints.pks - public.t:t_pkey", "indexes - public.t.t_pkey"] },
    Case { name: "unique", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)",
        expect: &["constraints.uniques + public.t:t_a_key", "indexes + public.t.t_a_key"] },
    Case { name: "unique nulls not distinct", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT u UNIQUE NULLS NOT DISTINCT (a)",
        expect: &["constraints.uniques + public.t:u", "indexes + public.t.u"] },
    Case { name: "check", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT positive CHECK (a > 0)",
        expect: &["constraints.checks + public.t:positive"] },
    Case { name: "check not valid, then validated", before: "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID",
        change: "ALTER TABLE t VALIDATE CONSTRAINT c", expect: &["constraints.checks ~ public.t:c"] },
    Case { name: "rename constraint", before: "CREATE TABLE t (a int CONSTRAINT c CHECK (a > 0))", change: "ALTER TABLE t RENAME CONSTRAINT c TO d",
        expect: &["constraints.checks > public.t:c => public.t:d"] },
    Case { name: "exclusion", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING btree (a WITH =)",
        expect: &["constraints.exclusions + public.t:x", "indexes + public.t.x"] },
    Case { name: "deferrable unique", before: "CREATE TABLE t (a int, CONSTRAINT u UNIQUE (a))",
        change: "ALTER TABLE t DROP CONSTRAINT u; ALTER TABLE t ADD CONSTRAINT u UNIQUE (a) DEFERRABLE INITIALLY DEFERRED",
        expect: &["constraints.uniques ~ public.t:u"] },
    Case { name: "foreign key", before: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int)", change: "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p",
        expect: &["relationships + public.c(p_id) -> public.p(id)"] },
    Case { name: "composite deferrable foreign key",
        before: "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE c (a int, b int)",
        change: "ALTER TABLE c ADD CONSTRAINT c_ab FOREIGN KEY (a, b) REFERENCES p DEFERRABLE INITIALLY DEFERRED",
        expect: &["relationships + public.c(a,b) -> public.p(a,b)"] },
    Case { name: "on delete cascade", before: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int CONSTRAINT fk REFERENCES p)",
        change: "ALTER TABLE c DROP CONSTRAINT fk; ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p ON DELETE CASCADE",
        expect: &["relationships ~ public.c(p_id) -> public.p(id)"] },
    Case { name: "self reference", before: "CREATE TABLE e (id int PRIMARY KEY, boss int)", change: "ALTER TABLE e ADD FOREIGN KEY (boss) REFERENCES e",
        expect: &["relationships + public.e(boss) -> public.e(id)"] },
    Case { name: "foreign key across schemas", before: "CREATE SCHEMA a; CREATE TABLE a.p (id int PRIMARY KEY); CREATE TABLE c (p_id int)",
        change: "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES a.p", expect: &["relationships + public.c(p_id) -> a.p(id)"] },
    Case { name: "drop foreign key", before: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int CONSTRAINT fk REFERENCES p)",
        change: "ALTER TABLE c DROP CONSTRAINT fk", expect: &["relationships - public.c(p_id) -> public.p(id)"] },
];

const INDEXES: &[Case] = &[
    Case { name: "create index", before: "CREATE TABLE t (a int)", change: "CREATE INDEX t_a ON t (a)", expect: &["indexes + public.t.t_a"] },
    Case { name: "drop index", before: "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a)", change: "DROP INDEX t_a", expect: &["indexes - public.t.t_a"] },
    Case { name: "rename index", before: "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a)", change: "ALTER INDEX t_a RENAME TO t_a2",
        expect: &["indexes > public.t.t_a => public.t.t_a2"] },
    Case { name: "expression index", before: "CREATE TABLE t (a text)", change: "CREATE INDEX t_lower ON t (lower(a))", expect: &["indexes + public.t.t_lower"] },
    Case { name: "partial index", before: "CREATE TABLE t (a int)", change: "CREATE INDEX t_pos ON t (a) WHERE a > 0", expect: &["indexes + public.t.t_pos"] },
    Case { name: "include and desc", before: "CREATE TABLE t (a int, b int)", change: "CREATE UNIQUE INDEX t_ab ON t (a DESC NULLS LAST) INCLUDE (b)",
        expect: &["indexes + public.t.t_ab"] },
    Case { name: "gin index", before: "CREATE TABLE t (doc jsonb)", change: "CREATE INDEX t_doc ON t USING gin (doc jsonb_path_ops)", expect: &["indexes + public.t.t_doc"] },
    Case { name: "brin with options", before: "CREATE TABLE t (at timestamptz)", change: "CREATE INDEX t_at ON t USING brin (at) WITH (pages_per_range = 16)",
        expect: &["indexes + public.t.t_at"] },
    Case { name: "comment on index", before: "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a)", change: "COMMENT ON INDEX t_a IS 'hot'",
        expect: &["indexes ~ public.t.t_a"] },
    Case { name: "index on a materialized view", before: "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM t",
        change: "CREATE UNIQUE INDEX mv_a ON mv (a)", expect: &["indexes + public.mv.mv_a"] },
    Case { name: "index with an awkward name", before: "CREATE TABLE t (a int)", change: "CREATE INDEX \"t.a idx\" ON t (a)",
        expect: &["indexes + public.t.\"t.a idx\""] },
];

const VIEWS: &[Case] = &[
    Case { name: "create view", before: "CREATE TABLE t (a int)", change: "CREATE VIEW v AS SELECT a FROM t",
        expect: &["tables + public.v", "views + public.v", "columns + public.v.a"] },
    Case { name: "replace view body", before: "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t WHERE a > 0",
        change: "CREATE OR REPLACE VIEW v AS SELECT a FROM t WHERE a > 1", expect: &["views ~ public.v"] },
    Case { name: "view on a view", before: "CREATE TABLE t (a int); CREATE VIEW v1 AS SELECT a FROM t", change: "CREATE VIEW v0 AS SELECT a FROM v1",
        expect: &["tables + public.v0", "views + public.v0", "columns + public.v0.a"] },
    Case { name: "materialized view", before: "CREATE TABLE t (a int)", change: "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t",
        expect: &["tables + public.mv", "views + public.mv", "columns + public.mv.a"] },
    Case { name: "materialized view on a view", before: "CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t",
        change: "CREATE MATERIALIZED VIEW amv AS SELECT id FROM v", expect: &["tables + public.amv", "views + public.amv", "columns + public.amv.id"] },
    Case { name: "rename a column a view reads", before: "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a AS shown FROM t",
        change: "ALTER TABLE t RENAME COLUMN a TO b", expect: &["columns > public.t.a => public.t.b", "views ~ public.v"] },
    Case { name: "drop view", before: "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t", change: "DROP VIEW v",
        expect: &["tables - public.v", "views - public.v", "columns - public.v.a"] },
    Case { name: "instead of trigger", before: "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t",
        change: "CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION fns.touch()", expect: &["triggers + public.v.v_ins"] },
    Case { name: "comment on view", before: "CREATE VIEW v AS SELECT 1 AS one", change: "COMMENT ON VIEW v IS 'one'", expect: &["tables ~ public.v", "views ~ public.v"] },
    Case { name: "a name that would end a comment", before: "", change: "CREATE VIEW \"v */ x\nDROP SCHEMA fns CASCADE; --\" AS SELECT 1 AS one",
        expect: &["tables + public.\"v */ x\nDROP SCHEMA fns CASCADE; --\"", "views + public.\"v */ x\nDROP SCHEMA fns CASCADE; --\"",
                  "columns + public.\"v */ x\nDROP SCHEMA fns CASCADE; --\".one"] },
];

const TYPES: &[Case] = &[
    Case { name: "create enum", before: "", change: "CREATE TYPE mood AS ENUM ('sad', 'ok')", expect: &["enums + public.mood"] },
    Case { name: "add enum value", before: "CREATE TYPE mood AS ENUM ('sad', 'ok')", change: "ALTER TYPE mood ADD VALUE 'happy'", expect: &["enums ~ public.mood"] },
    Case { name: "add enum value before", before: "CREATE TYPE mood AS ENUM ('sad', 'ok')", change: "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'",
        expect: &["enums ~ public.mood"] },
    Case { name: "rename enum value", before: "CREATE TYPE mood AS ENUM ('sad', 'ok')", change: "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'",
        expect: &["enums ~ public.mood"] },
    Case { name: "rename enum", before: "CREATE TYPE mood AS ENUM ('a')", change: "ALTER TYPE mood RENAME TO feeling", expect: &["enums > public.mood => public.feeling"] },
    Case { name: "create domain", before: "", change: "CREATE DOMAIN pos AS int CHECK (VALUE > 0)", expect: &["domains + public.pos"] },
    Case { name: "domain constraint", before: "CREATE DOMAIN pos AS int", change: "ALTER DOMAIN pos ADD CONSTRAINT p CHECK (VALUE > 0)",
        expect: &["domains ~ public.pos"] },
    Case { name: "domain default and not null", before: "CREATE DOMAIN pos AS int", change: "ALTER DOMAIN pos SET DEFAULT 1; ALTER DOMAIN pos SET NOT NULL",
        expect: &["domains ~ public.pos"] },
    Case { name: "column of a domain", before: "CREATE DOMAIN pos AS int; CREATE TABLE t (id int)", change: "ALTER TABLE t ADD COLUMN p pos",
        expect: &["columns + public.t.p"] },
    Case { name: "standalone sequence", before: "", change: "CREATE SEQUENCE s START 10 INCREMENT 5", expect: &["sequences + public.s"] },
    Case { name: "alter sequence", before: "CREATE SEQUENCE s", change: "ALTER SEQUENCE s INCREMENT BY 2 CYCLE", expect: &["sequences ~ public.s"] },
    Case { name: "drop sequence", before: "CREATE SEQUENCE s", change: "DROP SEQUENCE s", expect: &["sequences - public.s"] },
    Case { name: "sequence values are data", before: "CREATE SEQUENCE s", change: "SELECT nextval('s'); SELECT nextval('s')", expect: &[] },
];

const TRIGGERS_AND_POLICIES: &[Case] = &[
    Case { name: "create trigger", before: "CREATE TABLE t (a int)", change: "CREATE TRIGGER touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION fns.touch()",
        expect: &["triggers + public.t.touch"] },
    Case { name: "disable trigger", before: "CREATE TABLE t (a int); CREATE TRIGGER touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION fns.touch()",
        change: "ALTER TABLE t DISABLE TRIGGER touch", expect: &["triggers ~ public.t.touch"] },
    Case { name: "rename trigger", before: "CREATE TABLE t (a int); CREATE TRIGGER touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION fns.touch()",
        change: "ALTER TRIGGER touch ON t RENAME TO \"Touch It\"", expect: &["triggers > public.t.touch => public.t.\"Touch It\""] },
    Case { name: "trigger with when", before: "CREATE TABLE t (a int)",
        change: "CREATE TRIGGER w AFTER UPDATE ON t FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION fns.other()",
        expect: &["triggers + public.t.w"] },
    Case { name: "drop trigger", before: "CREATE TABLE t (a int); CREATE TRIGGER touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION fns.touch()",
        change: "DROP TRIGGER touch ON t", expect: &["triggers - public.t.touch"] },
    Case { name: "create policy", before: "CREATE TABLE t (owner text); ALTER TABLE t ENABLE ROW LEVEL SECURITY",
        change: "CREATE POLICY mine ON t FOR SELECT USING (owner = current_user)", expect: &["policies + public.t:mine"] },
    Case { name: "alter policy", before: "CREATE TABLE t (owner text); CREATE POLICY mine ON t USING (owner = current_user)",
        change: "ALTER POLICY mine ON t USING (owner = session_user)", expect: &["policies ~ public.t:mine"] },
    Case { name: "restrictive policy with check", before: "CREATE TABLE t (a int)",
        change: "CREATE POLICY r ON t AS RESTRICTIVE FOR INSERT WITH CHECK (a > 0)", expect: &["policies + public.t:r"] },
    Case { name: "drop policy", before: "CREATE TABLE t (a int); CREATE POLICY p ON t USING (true)", change: "DROP POLICY p ON t",
        expect: &["policies - public.t:p"] },
];

const PARTITIONS: &[Case] = &[
    Case { name: "attach partition", before: "CREATE TABLE m (at date NOT NULL) PARTITION BY RANGE (at); CREATE TABLE m26 (at date NOT NULL)",
        change: "ALTER TABLE m ATTACH PARTITION m26 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", expect: &["tables ~ public.m26"] },
    Case { name: "detach partition", before: "CREATE TABLE m (at date NOT NULL) PARTITION BY RANGE (at); CREATE TABLE m26 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        change: "ALTER TABLE m DETACH PARTITION m26", expect: &["tables ~ public.m26"] },
    Case { name: "create partition", before: "CREATE TABLE m (at date NOT NULL, v int) PARTITION BY RANGE (at)",
        change: "CREATE TABLE m26 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        expect: &["tables + public.m26", "columns + public.m26.at", "columns + public.m26.v"] },
    Case { name: "index on a partitioned table",
        before: "CREATE TABLE m (at date NOT NULL, v int) PARTITION BY RANGE (at); CREATE TABLE m26 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        change: "CREATE INDEX m_v ON m (v)", expect: &["indexes + public.m.m_v", "indexes + public.m26.m26_v_idx"] },
    Case { name: "list partitions with a default", before: "CREATE TABLE l (k text NOT NULL) PARTITION BY LIST (k)",
        change: "CREATE TABLE l_ab PARTITION OF l FOR VALUES IN ('a', 'b'); CREATE TABLE l_rest PARTITION OF l DEFAULT",
        expect: &["tables + public.l_ab", "columns + public.l_ab.k", "tables + public.l_rest", "columns + public.l_rest.k"] },
    Case { name: "foreign key from a partitioned table",
        before: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE m (at date NOT NULL, p_id int) PARTITION BY RANGE (at); CREATE TABLE m26 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        change: "ALTER TABLE m ADD FOREIGN KEY (p_id) REFERENCES p", expect: &["relationships + public.m(p_id) -> public.p(id)"] },
    Case { name: "hash partitions in another schema", before: "CREATE SCHEMA \"Parts\"; CREATE TABLE h (id int NOT NULL) PARTITION BY HASH (id)",
        change: "CREATE TABLE \"Parts\".h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
        expect: &["tables + \"Parts\".h0", "columns + \"Parts\".h0.id"] },
];


/// Functions, privileges, owners, extensions and schemas: a role is `lens_corpus_reader` or
/// `"Lens Corpus \u{e9}diteur"` (made once for the cluster).
const OBJECTS: &[Case] = &[
    Case { name: "create function", before: "", change: "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a'",
        expect: &["functions + public.f(integer)"] },
    Case { name: "replace a function's body", before: "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a'",
        change: "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a + 1'", expect: &["functions ~ public.f(integer)"] },
    Case { name: "overloads are two entries", before: "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a'",
        change: "CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS 'SELECT a'", expect: &["functions + public.f(text)"] },
    Case { name: "awkward function name", before: "",
        change: "CREATE FUNCTION \"Fn.\"\"x\"\"\n\u{e9}\"(\"select\" int DEFAULT 1) RETURNS SETOF int LANGUAGE sql ROWS 10 AS 'SELECT 1'",
        expect: &["functions + public.\"Fn.\"\"x\"\"\n\u{e9}\"(integer)"] },
    Case { name: "rename function", before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", change: "ALTER FUNCTION f() RENAME TO g",
        expect: &["functions > public.f() => public.g()"] },
    Case { name: "drop function", before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", change: "DROP FUNCTION f()",
        expect: &["functions - public.f()"] },
    Case { name: "function settings", before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        change: "ALTER FUNCTION f() STABLE STRICT SECURITY DEFINER PARALLEL SAFE LEAKPROOF COST 5 SET search_path = pg_catalog, public",
        expect: &["functions ~ public.f()"] },
    Case { name: "function comment", before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        change: "COMMENT ON FUNCTION f() IS 'one'", expect: &["functions ~ public.f()"] },
    Case { name: "procedure", before: "", change: "CREATE PROCEDURE p(INOUT n int) LANGUAGE plpgsql AS $$ BEGIN n := n + 1; END $$",
        expect: &["functions + public.p(integer)"] },
    Case { name: "aggregate", before: "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b'",
        change: "CREATE AGGREGATE total(int) (SFUNC = add, STYPE = int, INITCOND = '0', PARALLEL = SAFE)",
        expect: &["functions + public.total(integer)"] },
    Case { name: "function returning a table's rows", before: "CREATE TABLE t (a int)",
        change: "CREATE FUNCTION rows_of_t() RETURNS SETOF t LANGUAGE sql STABLE AS 'SELECT * FROM t'",
        expect: &["functions + public.rows_of_t()"] },
    Case { name: "sql-standard body", before: "CREATE TABLE t (a int)",
        change: "CREATE FUNCTION count_t() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM t; END",
        expect: &["functions + public.count_t()"] },
    Case { name: "grant on a table", before: "CREATE TABLE t (a int)", change: "GRANT SELECT, INSERT ON t TO lens_corpus_reader",
        expect: &["tables ~ public.t"] },
    Case { name: "grant with grant option", before: "CREATE TABLE t (a int)",
        change: "GRANT UPDATE ON t TO \"Lens Corpus \u{e9}diteur\" WITH GRANT OPTION", expect: &["tables ~ public.t"] },
    Case { name: "revoke", before: "CREATE TABLE t (a int); GRANT SELECT ON t TO lens_corpus_reader", change: "REVOKE SELECT ON t FROM lens_corpus_reader",
        expect: &["tables ~ public.t"] },
    Case { name: "grant and revoke back to the defaults", before: "CREATE TABLE t (a int)",
        change: "GRANT SELECT ON t TO lens_corpus_reader; REVOKE SELECT ON t FROM lens_corpus_reader", expect: &[] },
    Case { name: "column privileges", before: "CREATE TABLE t (a int, \"select\" int)", change: "GRANT SELECT (a), UPDATE (\"select\") ON t TO lens_corpus_reader",
        expect: &["columns ~ public.t.a", "columns ~ public.t.\"select\""] },
    Case { name: "grant on all tables in a schema", before: "CREATE TABLE t (a int); CREATE TABLE u (a int)",
        change: "GRANT SELECT ON ALL TABLES IN SCHEMA public TO lens_corpus_reader", expect: &["tables ~ public.t", "tables ~ public.u"] },
    Case { name: "grant on a sequence", before: "CREATE SEQUENCE s", change: "GRANT USAGE ON SEQUENCE s TO lens_corpus_reader",
        expect: &["sequences ~ public.s"] },
    Case { name: "grant on a function", before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        change: "REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC; GRANT EXECUTE ON FUNCTION f() TO lens_corpus_reader", expect: &["functions ~ public.f()"] },
    Case { name: "grant on a type", before: "CREATE TYPE mood AS ENUM ('ok')", change: "REVOKE USAGE ON TYPE mood FROM PUBLIC",
        expect: &["enums ~ public.mood"] },
    Case { name: "grant on a schema", before: "CREATE SCHEMA \"Sales Dept\"", change: "GRANT USAGE ON SCHEMA \"Sales Dept\" TO lens_corpus_reader",
        expect: &["schemas ~ \"Sales Dept\""] },
    Case { name: "table owner", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t OWNER TO lens_corpus_reader", expect: &["tables ~ public.t"] },
    Case { name: "function owner", before: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        change: "ALTER FUNCTION f() OWNER TO \"Lens Corpus \u{e9}diteur\"", expect: &["functions ~ public.f()"] },
    Case { name: "schema owner and comment", before: "CREATE SCHEMA s", change: "ALTER SCHEMA s OWNER TO lens_corpus_reader; COMMENT ON SCHEMA s IS 'the s'",
        expect: &["schemas ~ s"] },
    Case { name: "create schema", before: "", change: "CREATE SCHEMA \"New.Schema\"", expect: &["schemas + \"New.Schema\""] },
    Case { name: "default privileges in a schema", before: "",
        change: "ALTER DEFAULT PRIVILEGES FOR ROLE lens_corpus_reader IN SCHEMA public GRANT SELECT ON TABLES TO \"Lens Corpus \u{e9}diteur\"",
        expect: &["defaultPrivileges + lens_corpus_reader IN SCHEMA public ON TABLES"] },
    Case { name: "default privileges revoked", before: "ALTER DEFAULT PRIVILEGES FOR ROLE lens_corpus_reader IN SCHEMA public GRANT SELECT ON TABLES TO \"Lens Corpus \u{e9}diteur\"",
        change: "ALTER DEFAULT PRIVILEGES FOR ROLE lens_corpus_reader IN SCHEMA public REVOKE SELECT ON TABLES FROM \"Lens Corpus \u{e9}diteur\"",
        expect: &["defaultPrivileges - lens_corpus_reader IN SCHEMA public ON TABLES"] },
    Case { name: "create extension", before: "", change: "CREATE EXTENSION citext", expect: &["extensions + citext"] },
    Case { name: "update extension", before: "CREATE EXTENSION citext VERSION '1.5'", change: "ALTER EXTENSION citext UPDATE TO '1.6'",
        expect: &["extensions ~ citext"] },
    Case { name: "drop extension", before: "CREATE EXTENSION citext", change: "DROP EXTENSION citext", expect: &["extensions - citext"] },
    Case { name: "table options", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t SET (fillfactor = 70, autovacuum_enabled = false)",
        expect: &["tables ~ public.t"] },
    Case { name: "view options", before: "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t",
        change: "ALTER VIEW v SET (security_barrier = true, check_option = local)", expect: &["tables ~ public.v"] },
    Case { name: "replica identity", before: "CREATE TABLE t (a int NOT NULL); CREATE UNIQUE INDEX t_a ON t (a)",
        change: "ALTER TABLE t REPLICA IDENTITY USING INDEX t_a", expect: &["tables ~ public.t", "indexes ~ public.t.t_a"] },
    Case { name: "column storage, compression and statistics", before: "CREATE TABLE t (a int, b text)",
        change: "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500, ALTER COLUMN b SET STORAGE EXTERNAL, ALTER COLUMN b SET COMPRESSION pglz",
        expect: &["columns ~ public.t.a", "columns ~ public.t.b"] },
    Case { name: "column options", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER COLUMN a SET (n_distinct = 100)",
        expect: &["columns ~ public.t.a"] },
    Case { name: "create collation", before: "", change: "CREATE COLLATION \"Case Blind\" (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
        expect: &["collations + public.\"Case Blind\""] },
    Case { name: "collation comment and owner", before: "CREATE COLLATION c1 (provider = libc, locale = 'C')",
        change: "COMMENT ON COLLATION c1 IS 'bytewise'; ALTER COLLATION c1 OWNER TO lens_corpus_reader", expect: &["collations ~ public.c1"] },
    Case { name: "drop collation", before: "CREATE COLLATION c1 (provider = libc, locale = 'C')", change: "DROP COLLATION c1",
        expect: &["collations - public.c1"] },
    Case { name: "composite type", before: "", change: "CREATE TYPE pair AS (a int, \"B b\" text COLLATE \"C\")", expect: &["types + public.pair"] },
    Case { name: "composite type attribute added", before: "CREATE TYPE pair AS (a int)", change: "ALTER TYPE pair ADD ATTRIBUTE b text",
        expect: &["types ~ public.pair"] },
    Case { name: "composite type attribute renamed", before: "CREATE TYPE pair AS (a int)", change: "ALTER TYPE pair RENAME ATTRIBUTE a TO z",
        expect: &["types ~ public.pair"] },
    Case { name: "range type", before: "", change: "CREATE TYPE numr AS RANGE (SUBTYPE = numeric)", expect: &["types + public.numr"] },
    Case { name: "rename composite type", before: "CREATE TYPE pair AS (a int)", change: "ALTER TYPE pair RENAME TO couple",
        expect: &["types > public.pair => public.couple"] },
    Case { name: "create statistics", before: "CREATE TABLE t (a int, b int)", change: "CREATE STATISTICS s1 (ndistinct) ON a, b FROM t",
        expect: &["statistics + public.s1"] },
    Case { name: "statistics target", before: "CREATE TABLE t (a int, b int); CREATE STATISTICS s1 ON a, b FROM t",
        change: "ALTER STATISTICS s1 SET STATISTICS 500", expect: &["statistics ~ public.s1"] },
    Case { name: "drop statistics", before: "CREATE TABLE t (a int, b int); CREATE STATISTICS s1 ON a, b FROM t", change: "DROP STATISTICS s1",
        expect: &["statistics - public.s1"] },
    Case { name: "create rule", before: "CREATE TABLE t (a int); CREATE TABLE log (a int)",
        change: "CREATE RULE keep AS ON DELETE TO t DO ALSO INSERT INTO log VALUES (OLD.a)", expect: &["rules + public.t:keep"] },
    Case { name: "disable rule", before: "CREATE TABLE t (a int); CREATE RULE nothing_more AS ON UPDATE TO t DO INSTEAD NOTHING",
        change: "ALTER TABLE t DISABLE RULE nothing_more", expect: &["rules ~ public.t:nothing_more"] },
    Case { name: "drop rule", before: "CREATE TABLE t (a int); CREATE RULE nothing_more AS ON UPDATE TO t DO INSTEAD NOTHING",
        change: "DROP RULE nothing_more ON t", expect: &["rules - public.t:nothing_more"] },
    Case { name: "create publication", before: "CREATE TABLE t (a int PRIMARY KEY, b text)",
        change: "CREATE PUBLICATION \"Pub One\" FOR TABLE t (a, b) WHERE (a > 0) WITH (publish = 'insert, update')",
        expect: &["publications + \"Pub One\""] },
    Case { name: "publication gains a table", before: "CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE PUBLICATION p FOR TABLE t",
        change: "ALTER PUBLICATION p ADD TABLE u", expect: &["publications ~ p"] },
    Case { name: "a published table dropped", before: "CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE PUBLICATION p FOR TABLE t, u",
        change: "DROP TABLE u", expect: &["tables - public.u", "columns - public.u.a", "publications ~ p"] },
    Case { name: "a published table renamed", before: "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t",
        change: "ALTER TABLE t RENAME TO t2", expect: &["tables > public.t => public.t2", "columns > public.t.a => public.t2.a", "publications ~ p"] },
    Case { name: "publication of a schema", before: "CREATE SCHEMA s; CREATE TABLE s.t (a int)",
        change: "CREATE PUBLICATION ps FOR TABLES IN SCHEMA s WITH (publish_via_partition_root = true)", expect: &["publications + ps"] },
    Case { name: "create cast", before: "CREATE TYPE mood AS ENUM ('ok')", change: "CREATE CAST (mood AS text) WITH INOUT AS ASSIGNMENT",
        expect: &["casts + (public.mood AS text)"] },
    Case { name: "drop cast", before: "CREATE TYPE mood AS ENUM ('ok'); CREATE CAST (mood AS text) WITH INOUT",
        change: "DROP CAST (mood AS text)", expect: &["casts - (public.mood AS text)"] },
    Case { name: "foreign data wrapper", before: "", change: "CREATE FOREIGN DATA WRAPPER \"plain fdw\" OPTIONS (debug 'true')",
        expect: &["foreignDataWrappers + \"plain fdw\""] },
    Case { name: "foreign server with a secret", before: "CREATE FOREIGN DATA WRAPPER plain",
        change: "CREATE SERVER \"Remote.1\" TYPE 'rest' FOREIGN DATA WRAPPER plain OPTIONS (host 'api.example', api_token 's3cr3t')",
        expect: &["foreignServers + \"Remote.1\""] },
    Case { name: "server options and usage", before: "CREATE EXTENSION postgres_fdw; CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'a')",
        change: "ALTER SERVER s OPTIONS (SET host 'b', ADD dbname 'app'); GRANT USAGE ON FOREIGN SERVER s TO lens_corpus_reader",
        expect: &["foreignServers ~ s"] },
    Case { name: "foreign table", before: "CREATE EXTENSION postgres_fdw; CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw",
        change: "CREATE FOREIGN TABLE ft (a int OPTIONS (column_name 'b'), c text NOT NULL) SERVER s OPTIONS (schema_name 'remote', table_name 't')",
        expect: &["tables + public.ft", "columns + public.ft.a", "columns + public.ft.c"] },
    Case { name: "foreign table options", before: "CREATE EXTENSION postgres_fdw; CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw; \
                                                  CREATE FOREIGN TABLE ft (a int) SERVER s OPTIONS (table_name 't')",
        change: "ALTER FOREIGN TABLE ft OPTIONS (SET table_name 'u'); ALTER FOREIGN TABLE ft ALTER COLUMN a OPTIONS (ADD column_name 'z')",
        expect: &["tables ~ public.ft", "columns ~ public.ft.a"] },
    Case { name: "create operator", before: "CREATE FUNCTION int_eq(a int, b int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT a = b'",
        change: "CREATE OPERATOR === (FUNCTION = int_eq, LEFTARG = int, RIGHTARG = int, COMMUTATOR = ===, RESTRICT = eqsel)",
        expect: &["operators + public.===(integer, integer)"] },
    Case { name: "operator comment", before: "CREATE FUNCTION neg(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT -a'; CREATE OPERATOR ~~~ (FUNCTION = neg, RIGHTARG = int)",
        change: "COMMENT ON OPERATOR ~~~ (NONE, int) IS 'negates'", expect: &["operators ~ public.~~~(NONE, integer)"] },
    Case { name: "create operator class", before: "",
        change: "CREATE OPERATOR CLASS \"int desc ops\" FOR TYPE int USING btree AS OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 btint4cmp(int, int)",
        expect: &["operatorClasses + public.\"int desc ops\" USING btree"] },
];

/// What the newer majors added (each case says its major in NEEDS): PostgreSQL 17's MAINTAIN,
/// 18's NOT NULL constraints, virtual generated columns, temporal keys, NOT ENFORCED.
const NEWER_MAJORS: &[Case] = &[
    Case { name: "grant maintain", before: "CREATE TABLE t (a int)", change: "GRANT MAINTAIN ON t TO PUBLIC", expect: &["tables ~ public.t"] },
    Case { name: "not null constraint with a name", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT \"a is set\" NOT NULL a",
        expect: &["columns ~ public.t.a"] },
    Case { name: "rename a not null constraint", before: "CREATE TABLE t (a int CONSTRAINT x NOT NULL)", change: "ALTER TABLE t RENAME CONSTRAINT x TO y",
        expect: &["columns ~ public.t.a"] },
    Case { name: "not null no inherit", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a NO INHERIT",
        expect: &["columns ~ public.t.a"] },
    Case { name: "not null not valid, then validated", before: "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a NOT VALID",
        change: "ALTER TABLE t VALIDATE CONSTRAINT a_nn", expect: &["columns ~ public.t.a"] },
    Case { name: "virtual generated column", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) VIRTUAL",
        expect: &["columns + public.t.b"] },
    Case { name: "temporal primary key", before: "CREATE EXTENSION btree_gist; CREATE TABLE t (id int, during daterange)",
        change: "ALTER TABLE t ADD PRIMARY KEY (id, during WITHOUT OVERLAPS)",
        expect: &["constraints.pks + public.t:t_pkey", "indexes + public.t.t_pkey", "columns ~ public.t.id", "columns ~ public.t.during"] },
    Case { name: "temporal foreign key",
        before: "CREATE EXTENSION btree_gist; CREATE TABLE p (id int, during daterange, PRIMARY KEY (id, during WITHOUT OVERLAPS)); CREATE TABLE c (id int, during daterange)",
        change: "ALTER TABLE c ADD FOREIGN KEY (id, PERIOD during) REFERENCES p (id, PERIOD during)",
        expect: &["relationships + public.c(id,during) -> public.p(id,during)"] },
    Case { name: "check not enforced", before: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT ENFORCED",
        expect: &["constraints.checks + public.t:c"] },
    Case { name: "foreign key not enforced, then enforced",
        before: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int, CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p NOT ENFORCED)",
        change: "ALTER TABLE c ALTER CONSTRAINT fk ENFORCED", expect: &["relationships ~ public.c(p_id) -> public.p(id)"] },
];

#[test]
fn corpus_newer_majors() {
    run_group("newer", NEWER_MAJORS);
}

#[test]
fn corpus_objects() {
    run_group("objects", OBJECTS);
}

#[test]
fn corpus_tables() {
    run_group("tables", TABLES);
}

#[test]
fn corpus_columns() {
    run_group("columns", COLUMNS);
}

#[test]
fn corpus_constraints() {
    run_group("constraints", CONSTRAINTS);
}

#[test]
fn corpus_indexes() {
    run_group("indexes", INDEXES);
}

#[test]
fn corpus_views() {
    run_group("views", VIEWS);
}

#[test]
fn corpus_types() {
    run_group("types", TYPES);
}

#[test]
fn corpus_triggers_and_policies() {
    run_group("triggers", TRIGGERS_AND_POLICIES);
}

#[test]
fn corpus_partitions() {
    run_group("partitions", PARTITIONS);
}

#[test]
fn the_corpus_is_large_enough() {
    let all = [TABLES, COLUMNS, CONSTRAINTS, INDEXES, VIEWS, TYPES, TRIGGERS_AND_POLICIES, PARTITIONS, OBJECTS];
    let total: usize = all.iter().map(|g| g.len()).sum();
    assert!(total >= 80, "{total} cases");
    // every section of the snapshot is covered by some case
    let covered: BTreeSet<&str> =
        all.iter().flat_map(|g| g.iter()).flat_map(|c| c.expect.iter()).map(|e| e.split(' ').next().unwrap_or("")).collect();
    for path in SECTIONS {
        assert!(covered.contains(path), "no case covers {path}");
    }
}

/// Every case NEEDS and FROM_MAJOR name is a case of the corpus (a misspelt name would
/// quietly run everywhere, or expect the old outcome).
#[test]
fn case_notes_name_real_cases() {
    let groups: [&[Case]; 10] =
        [TABLES, COLUMNS, CONSTRAINTS, INDEXES, VIEWS, TYPES, TRIGGERS_AND_POLICIES, PARTITIONS, OBJECTS, NEWER_MAJORS];
    let names: BTreeSet<&str> = groups.iter().flat_map(|g| g.iter().map(|c| c.name)).collect();
    for name in NEEDS.iter().map(|(n, _)| *n).chain(FROM_MAJOR.iter().map(|(n, _, _)| *n)) {
        assert!(names.contains(name), "no corpus case is named {name:?}");
    }
}
