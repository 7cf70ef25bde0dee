//! `lens_migration`, `lens_migration_script` and `lens_migration_guard`: plans from one
//! snapshot to another (`lens_core::migration`), from the live schema, verified in place.

use crate::catalog::reader::Scope;
use crate::errors::{bad_argument, raise};
use crate::functions::ddl::keywords;
use crate::functions::snapshot::take_snapshot;
use crate::functions::drift::check_encoded_snapshot;
use crate::jsonb_datum::{JsonbBytes, JsonbValue};
use crate::spi_read::{arg, in_subtransaction, query};
use lens_core::migration::focus::ModelAndJson;
use lens_core::migration::script::guard_statement;
use lens_core::migration::step::timeouts;
use lens_core::migration::{Options, Plan};
use lens_core::model::Snapshot;
use pgrx::datum::Interval;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;

const DEFAULT_LOCK_MS: i64 = 3_000;
const DEFAULT_STATEMENT_MS: i64 = 60_000;

/// A snapshot argument as the model and as JSON, or an ERROR saying which argument and why.
fn snapshot_arg(value: Option<JsonbValue>, which: &str) -> ModelAndJson {
    let Some(JsonbValue(value)) = value else {
        bad_argument(format!("{which} is NULL"), "Pass a snapshot that lens_snapshot() returned.");
    };
    match lens_core::snapshot_io::snapshot_and_value(value) {
        Ok(read) => read,
        Err(e) => bad_argument(format!("{which}: {}", e.message), e.hint),
    }
}

/// Both snapshots of a plan from their jsonb bytes, focused on what the plan can touch
/// (`lens_core::migration::focus`: the parts of tables no change reaches are never read).
fn snapshot_pair(source: Option<JsonbBytes>, target: Option<JsonbBytes>) -> (ModelAndJson, ModelAndJson) {
    let given = |s: Option<JsonbBytes>, which: &str| -> JsonbBytes {
        let Some(s) = s else { bad_argument(format!("{which} is NULL"), "Pass a snapshot that lens_snapshot() returned.") };
        check_encoded_snapshot(&s, which);
        s
    };
    let (source, target) = (given(source, "source"), given(target, "target"));
    match lens_core::migration::focus::read_pair(source.0, target.0) {
        Ok(pair) => pair,
        Err(e) => bad_argument(e.message, e.hint),
    }
}

fn millis(i: Option<Interval>, default: i64, which: &str) -> i64 {
    let Some(i) = i else { return default };
    let micros = i.as_micros();
    if micros < 0 || i.months() != 0 {
        bad_argument(format!("{which} must be a positive duration of days, hours, minutes or seconds"), "Pass e.g. interval '3 seconds'.");
    }
    (micros / 1000).min(i128::from(i32::MAX)) as i64
}

fn interval(ms: Option<i64>) -> Option<Interval> {
    ms.map(|ms| Interval::from_micros(ms * 1000))
}

/// The schema pg_lens is installed in, quoted: the guard is called by its qualified name.
fn extension_schema() -> String {
    Spi::connect(|_| {
        let rows = query("migration_extension_schema", "SELECT pg_catalog.quote_ident(n.nspname)::text FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_lens'", &[]);
        if rows.len() == 0 { "public".to_string() } else { rows.string(0, 1) }
    })
}

fn server_major() -> u32 {
    (pg_sys::PG_VERSION_NUM / 10000) as u32
}

struct Settings {
    online: bool,
    lock_ms: i64,
    statement_ms: i64,
    large_table_rows: i64,
}

impl Settings {
    fn new(online: Option<bool>, lock_timeout: Option<Interval>, statement_timeout: Option<Interval>, large_table_rows: Option<i64>) -> Self {
        let rows = large_table_rows.unwrap_or(100_000);
        if rows < 0 {
            bad_argument("large_table_rows must not be negative", "Pass the row estimate above which a strong lock is a hazard, e.g. 100000.");
        }
        Settings {
            online: online.unwrap_or(false),
            lock_ms: millis(lock_timeout, DEFAULT_LOCK_MS, "lock_timeout"),
            statement_ms: millis(statement_timeout, DEFAULT_STATEMENT_MS, "statement_timeout"),
            large_table_rows: rows,
        }
    }

    /// The plan between two snapshots at hand as models and as JSON.
    fn plan(&self, (source, sv): (Snapshot, serde_json::Value), (target, tv): (Snapshot, serde_json::Value)) -> Plan {
        let options = Options { online: self.online, large_table_rows: self.large_table_rows, major: server_major() };
        match lens_core::migration::plan_with_values(&source, &target, sv, tv, &keywords(), &options) {
            Ok(plan) => plan,
            Err(e) => bad_argument(e.message, e.hint),
        }
    }
}

type Row = (i32, String, Vec<String>, bool, Option<Interval>, Option<Interval>);

/// The guard first, then each step with its timeouts.
fn rows(plan: &Plan, s: &Settings) -> Vec<Row> {
    let mut out = vec![(1, guard_statement(plan, &extension_schema()), Vec::new(), true, interval(Some(s.lock_ms)), interval(Some(s.statement_ms)))];
    for (i, step) in plan.steps.iter().enumerate() {
        let t = timeouts(step, s.lock_ms, s.statement_ms);
        let hazards = step.hazards.iter().map(|h| h.to_string()).collect();
        out.push((i as i32 + 2, step.statement.clone(), hazards, step.in_transaction, interval(t.lock_ms), interval(t.statement_ms)));
    }
    out
}

/// The statements that turn a database whose schema is `source` into `target`: the guard
/// (the plan runs only on `source`'s schema), then each step with its hazards and the
/// timeouts to run it under. `online`: CONCURRENTLY index builds, NOT VALID then VALIDATE.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
#[allow(clippy::type_complexity)]
fn lens_migration(
    source: Option<JsonbBytes>,
    target: Option<JsonbBytes>,
    online: default!(Option<bool>, "false"),
    lock_timeout: default!(Option<Interval>, "'3s'"),
    statement_timeout: default!(Option<Interval>, "'1min'"),
    large_table_rows: default!(Option<i64>, "100000"),
) -> TableIterator<
    'static,
    (
        name!(step, i32),
        name!(statement, String),
        name!(hazards, Vec<String>),
        name!(in_transaction, bool),
        name!(lock_timeout, Option<Interval>),
        name!(statement_timeout, Option<Interval>),
    ),
> {
    let clock = crate::spi_read::PhaseClock::start();
    let (source, target) = snapshot_pair(source, target);
    clock.lap("migration: both snapshots read");
    let settings = Settings::new(online, lock_timeout, statement_timeout, large_table_rows);
    let plan = settings.plan(source, target);
    clock.lap("migration: plan");
    TableIterator::new(rows(&plan, &settings))
}

/// `lens_migration` as a psql script: it stops at the first error, begins with the guard,
/// sets each statement's timeouts at session level and says each step's hazards in comments.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_migration_script(
    source: Option<JsonbBytes>,
    target: Option<JsonbBytes>,
    online: default!(Option<bool>, "false"),
    lock_timeout: default!(Option<Interval>, "'3s'"),
    statement_timeout: default!(Option<Interval>, "'1min'"),
    large_table_rows: default!(Option<i64>, "100000"),
) -> String {
    let (source, target) = snapshot_pair(source, target);
    let settings = Settings::new(online, lock_timeout, statement_timeout, large_table_rows);
    let plan = settings.plan(source, target);
    lens_core::migration::script::render(&plan, &extension_schema(), settings.lock_ms, settings.statement_ms)
}

/// Which of `wanted` exist here (a schema a plan adds is not read from the live database).
fn existing_schemas(wanted: &[String]) -> Vec<String> {
    Spi::connect(|_| {
        let rows = query("migration_existing_schemas", "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY($1) ORDER BY 1", &[arg(wanted.to_vec())]);
        (0..rows.len()).map(|r| rows.string(r, 1)).collect()
    })
}

/// The live schemas of `target` that exist.
fn live_source(target: &Snapshot) -> Snapshot {
    take_snapshot(&Scope::schemas(Some(existing_schemas(&target.meta.schemas))))
}

/// The live snapshot a plan to `target` starts from: the schemas `target` covers that exist
/// here (what `lens_migration(target)` plans from).
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_migration_source(target: Option<JsonbValue>) -> crate::jsonb_datum::EncodedJsonb {
    let (target, _) = snapshot_arg(target, "target");
    crate::functions::snapshot::take_encoded_snapshot(&Scope::schemas(Some(existing_schemas(&target.meta.schemas)))).0
}

/// Plans from the live schemas `target` covers to `target`. With `verify`, runs the plan
/// in a subtransaction (CONCURRENTLY steps in their in-transaction form), compares the
/// result's signature with the target's, and rolls everything back: `verified` says what
/// happened to each step, and a last row the outcome. Verifying takes the plan's locks and
/// does its rewrites: for staging and CI, refused unless `lens.verify_allowed` is on.
#[pg_extern(volatile, name = "lens_migration")]
#[search_path(pg_catalog, pg_temp)]
#[allow(clippy::type_complexity)]
fn lens_migration_live(
    target: Option<JsonbValue>,
    verify: default!(Option<bool>, "false"),
    online: default!(Option<bool>, "false"),
    lock_timeout: default!(Option<Interval>, "'3s'"),
    statement_timeout: default!(Option<Interval>, "'1min'"),
    large_table_rows: default!(Option<i64>, "100000"),
) -> TableIterator<
    'static,
    (
        name!(step, i32),
        name!(statement, String),
        name!(hazards, Vec<String>),
        name!(in_transaction, bool),
        name!(lock_timeout, Option<Interval>),
        name!(statement_timeout, Option<Interval>),
        name!(verified, Option<String>),
    ),
> {
    let (target, target_json) = snapshot_arg(target, "target");
    let verify = verify.unwrap_or(false);
    if verify && !crate::gucs::VERIFY_ALLOWED.get() {
        raise(
            PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            "verifying a migration plan is not allowed on this database",
            "Verifying runs the plan (its locks and rewrites) before rolling it back: for staging and CI. A superuser enables it with SET lens.verify_allowed = on.",
        );
    }
    let settings = Settings::new(online, lock_timeout, statement_timeout, large_table_rows);
    let source = live_source(&target);
    let source_json = serde_json::to_value(&source).unwrap_or_else(|e| crate::errors::internal(format!("the live snapshot could not be written as JSON: {e}")));
    let schemas = target.meta.schemas.clone();
    let section_signatures = target.meta.section_signatures.clone();
    let plan = settings.plan((source, source_json), (target, target_json));
    let rows = rows(&plan, &settings);
    if !verify {
        return TableIterator::new(rows.into_iter().map(|(a, b, c, d, e, f)| (a, b, c, d, e, f, None)).collect::<Vec<_>>());
    }
    let outcome = verify_plan(&plan, schemas, &section_signatures);
    let mut out: Vec<_> = rows.into_iter().zip(outcome.steps).map(|((a, b, c, d, e, f), v)| (a, b, c, d, e, f, Some(v))).collect();
    let last = out.len() as i32 + 1;
    out.push((last, format!("-- verification: {}", lens_core::ident::comment_text(&outcome.summary)), Vec::new(), true, None, None, Some(outcome.verdict)));
    TableIterator::new(out)
}

struct Verification {
    steps: Vec<String>,
    summary: String,
    verdict: String,
}

/// Runs the guard and every step in one subtransaction that is always rolled back.
fn verify_plan(plan: &Plan, schemas: Vec<String>, wanted: &lens_core::model::Map<String>) -> Verification {
    let mut statements: Vec<(String, bool)> = vec![(guard_statement(plan, &extension_schema()), false)];
    for step in &plan.steps {
        match &step.in_transaction_form {
            Some(form) if !step.in_transaction => statements.push((form.clone(), true)),
            _ => statements.push((step.statement.clone(), false)),
        }
    }
    let result = crate::spi_read::in_rolled_back_subtransaction(move || {
        let mut states = Vec::new();
        let mut failed = None;
        for (sql, substituted) in &statements {
            if failed.is_some() {
                states.push("not reached".to_string());
                continue;
            }
            let sql_owned = sql.clone();
            match in_subtransaction(move || Spi::run(&sql_owned)) {
                Ok(Ok(())) => states.push(if *substituted { format!("ran in its in-transaction form: {sql}") } else { "ran".to_string() }),
                Ok(Err(e)) => {
                    let text = format!("failed: {e}");
                    states.push(text.clone());
                    failed = Some(text);
                }
                Err(e) => {
                    let text = format!("failed: {} {}", crate::spi_read::sqlstate(&e), crate::spi_read::error_message(&e));
                    states.push(text.clone());
                    failed = Some(text);
                }
            }
        }
        let signature = failed.is_none().then(|| {
            let result = take_snapshot(&Scope::schemas(Some(schemas.clone())));
            (result.meta.signature.clone(), result.meta.section_signatures.clone())
        });
        (states, failed, signature)
    });
    match result {
        Ok((steps, failed, signature)) => {
            let (summary, verdict) = match (failed, signature) {
                (Some(f), _) => (format!("a step {f}; nothing was kept"), "failed".to_string()),
                (None, Some((s, _))) if s == plan.target_signature => (format!("every step ran and the result signs {s}, as the target does; rolled back"), "signature matches".to_string()),
                (None, Some((s, sections))) => {
                    let mut differ: Vec<&String> = sections.keys().chain(wanted.keys()).filter(|k| sections.get(*k) != wanted.get(*k)).collect();
                    differ.dedup();
                    let names: Vec<&str> = differ.iter().map(|k| k.as_str()).collect();
                    (format!("every step ran but the result signs {s}, the target {}; sections that differ: {}; rolled back", plan.target_signature, names.join(", ")), "signature differs".to_string())
                }
                (None, None) => ("not run".to_string(), "failed".to_string()),
            };
            Verification { steps, summary, verdict }
        }
        Err(e) => crate::errors::internal(format!("verifying the plan failed: {}", crate::spi_read::error_message(&e))),
    }
}

/// Stops a migration plan on a database whose schema is not the plan's source: its
/// signature over `schemas` must be `signature`.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_migration_guard(signature: Option<String>, schemas: Option<Vec<Option<String>>>) -> bool {
    let Some(expected) = signature else {
        bad_argument("signature is NULL", "Pass the plan's source signature, as lens_migration's first step does.");
    };
    let names = crate::functions::snapshot::name_list(schemas, "schemas").unwrap_or_default();
    let live = take_snapshot(&Scope::schemas(Some(existing_schemas(&names)))).meta.signature;
    if live != expected {
        raise(
            PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            format!("this database's schema is not the one the migration plan was made for (it signs {live}, the plan's source {expected})"),
            "Nothing was changed. Plan again from this database: lens_migration(target) or scripts/lens_migrate.sh.",
        );
    }
    true
}
