//! A plan as a psql script: it stops at the first error, begins with the guard, and sets
//! each statement's timeouts at session level (`SET LOCAL` does nothing outside a
//! transaction block, where concurrent index builds run).

use super::step::timeouts;
use super::Plan;
use crate::ddl::literal;
use crate::ident::comment_text;
use std::fmt::Write;

/// The statement that stops a plan on a database whose schema is not the plan's source;
/// `schema`: where pg_lens is installed, quoted.
pub fn guard_statement(plan: &Plan, schema: &str) -> String {
    let schemas: Vec<String> = plan.schemas.iter().map(|s| literal(s)).collect();
    format!("SELECT {schema}.lens_migration_guard({}, ARRAY[{}]::text[]);", literal(&plan.source_signature), schemas.join(", "))
}

/// A duration as PostgreSQL reads it in `SET ... = '...'`: 0 is no limit.
pub fn duration(ms: Option<i64>) -> String {
    match ms {
        None => "0".into(),
        Some(ms) => format!("'{ms}ms'"),
    }
}

pub fn render(plan: &Plan, schema: &str, lock_ms: i64, statement_ms: i64) -> String {
    let mut out = String::new();
    let schemas: Vec<String> = plan.schemas.iter().map(|s| comment_text(s)).collect();
    let _ = writeln!(out, "-- pg_lens migration plan of schemas: {}", schemas.join(", "));
    let _ = writeln!(out, "-- from signature {} to {}", comment_text(&plan.source_signature), comment_text(&plan.target_signature));
    let _ = writeln!(out, "-- {} statements; each runs in its own transaction unless the step says otherwise", plan.steps.len() + 1);
    out.push_str("\\set ON_ERROR_STOP on\n");
    let _ = writeln!(out, "-- step 1: guard: stops here unless the database's schema is the plan's source\n{}", guard_statement(plan, schema));
    let (mut lock_now, mut statement_now) = (String::new(), String::new());
    for (i, step) in plan.steps.iter().enumerate() {
        let t = timeouts(step, lock_ms, statement_ms);
        let hazards = if step.hazards.is_empty() { "none".to_string() } else { step.hazards.join(", ") };
        let place = if step.in_transaction { "" } else { "; outside a transaction" };
        let _ = writeln!(out, "-- step {}: hazards: {}{place}", i + 2, comment_text(&hazards));
        let (lock, statement) = (duration(t.lock_ms), duration(t.statement_ms));
        if lock != lock_now {
            let _ = writeln!(out, "SET lock_timeout = {lock};");
            lock_now = lock;
        }
        if statement != statement_now {
            let _ = writeln!(out, "SET statement_timeout = {statement};");
            statement_now = statement;
        }
        let _ = writeln!(out, "{}", step.statement);
    }
    out
}
