//! The objects that stand alone: schemas, extensions, types, sequences, functions and the
//! database-wide kinds. Made with `object_ddl`'s renderers, altered where an ALTER exists,
//! else dropped and made again; a change no SQL makes safely is a step that fails on purpose.

use super::step::{hazard, Step};
use super::{Builder, Phase};
use crate::ddl::{self, literal};
use crate::ident::{quote_ident, Keywords};
use crate::model::{Function, Privileges};
use std::collections::HashSet;

pub(crate) fn grantee(role: &str, kw: &Keywords) -> String {
    if role == "public" {
        "PUBLIC".into()
    } else {
        quote_ident(role, kw)
    }
}

/// The statements that take `on` from the privileges `before` to `after` (None: the
/// built-in default, which gives the owner everything and PUBLIC `public_default`).
pub(crate) fn privileges_delta(on: &str, before: Option<&Privileges>, after: Option<&Privileges>, owner: Option<&String>, public_default: &[&str], kw: &Keywords) -> Vec<String> {
    let mut out = Vec::new();
    let mut grantees: Vec<String> = before.iter().flat_map(|p| p.keys().cloned()).collect();
    grantees.push("public".into());
    grantees.extend(owner.cloned());
    grantees.sort();
    grantees.dedup();
    for g in &grantees {
        out.push(format!("REVOKE ALL ON {on} FROM {};", grantee(g, kw)));
    }
    match after {
        Some(p) => {
            let mut text = String::new();
            crate::grants::object_privileges(on, Some(p), owner, kw, &mut text);
            out.extend(super::sql_text::split_statements(&text).into_iter().filter(|s| !s.starts_with("REVOKE")));
        }
        None => {
            if let Some(o) = owner {
                out.push(format!("GRANT ALL ON {on} TO {};", quote_ident(o, kw)));
            }
            if !public_default.is_empty() {
                out.push(format!("GRANT {} ON {on} TO PUBLIC;", public_default.join(", ")));
            }
        }
    }
    out
}

/// An object the plan makes gets the source's default privileges (they are in force while
/// the plan runs; the target's come last): where some apply to it, its privileges are set
/// again to exactly the target's. `objects`: `tables`, `sequences`, `functions`, `types`,
/// `schemas`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn after_default_privileges(b: &mut Builder, phase: Phase, on: &str, objects: &str, schema: Option<&str>, privileges: Option<&Privileges>, owner: Option<&String>, public_default: &[&str]) -> bool {
    let mut granted = Privileges::new();
    for d in b.src.default_privileges.values() {
        let applies = d.objects == objects && (d.schema.is_none() || d.schema.as_deref() == schema);
        if applies {
            for (g, list) in &d.privileges {
                granted.entry(g.clone()).or_default().extend(list.iter().cloned());
            }
        }
    }
    if granted.is_empty() {
        return false;
    }
    for st in privileges_delta(on, Some(&granted), privileges, owner, public_default, b.kw) {
        b.push(phase, Step::new(st).hazard(hazard::AUTHZ_UPDATE));
    }
    true
}

/// A step that stops the plan with an explanation: no SQL does this change safely.
pub(crate) fn manual_step(what: &str, object: &str, hint: &str) -> Step {
    let message = format!("pg_lens cannot plan this change: {what} ({object})");
    let body = format!("RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = {}, HINT = {}", literal(&message), literal(hint));
    Step::new(format!("DO $lens$ BEGIN {} ; END $lens$;", body.replace("$lens$", "$ lens $"))).hazard(hazard::NEEDS_MANUAL_STEP)
}

/// Owner, comment and privileges of a paired object: the ALTERs for what changed.
struct Decor<'x> {
    what: &'static str,
    name: String,
    privileges_on: Option<String>,
    public_default: &'x [&'x str],
}

fn decorate(b: &mut Builder, phase: Phase, d: Decor, section: &str, from: &str, to: &str) {
    let source = crate::sections::section(&b.sv, section).and_then(|m| m.get(from)).cloned().unwrap_or_default();
    let target = crate::sections::section(&b.tv, section).and_then(|m| m.get(to)).cloned().unwrap_or_default();
    let get = |v: &serde_json::Value, f: &str| v.get(f).cloned();
    let (sc, tc) = (get(&source, "comment"), get(&target, "comment"));
    if sc != tc {
        let c = tc.as_ref().and_then(|v| v.as_str()).map(literal).unwrap_or_else(|| "NULL".into());
        b.push(phase, Step::new(format!("COMMENT ON {} {} IS {c};", d.what, d.name)));
    }
    let (so, to_owner) = (get(&source, "owner"), get(&target, "owner"));
    let owner = to_owner.as_ref().and_then(|v| v.as_str()).map(str::to_string);
    if so != to_owner {
        if let Some(o) = &owner {
            b.push(phase, Step::new(format!("ALTER {} {} OWNER TO {};", d.what, d.name, quote_ident(o, b.kw))).hazard(hazard::AUTHZ_UPDATE));
        }
    }
    if let Some(on) = &d.privileges_on {
        let (sp, tp) = (get(&source, "privileges"), get(&target, "privileges"));
        if sp != tp {
            let parse = |v: Option<serde_json::Value>| v.and_then(|x| serde_json::from_value::<Privileges>(x).ok());
            let (before, after) = (parse(sp), parse(tp));
            for s in privileges_delta(on, before.as_ref(), after.as_ref(), owner.as_ref(), d.public_default, b.kw) {
                b.push(phase, Step::new(s).hazard(hazard::AUTHZ_UPDATE));
            }
        }
    }
}

/// What a function is called in ALTER and DROP: an aggregate by its full signature.
pub(crate) fn function_name(f: &Function, kw: &Keywords) -> (&'static str, String) {
    match f.kind.as_str() {
        "aggregate" => {
            let args = if f.identity_arguments.is_empty() { "*" } else { f.identity_arguments.as_str() };
            ("AGGREGATE", format!("{}.{}({args})", quote_ident(&f.schema, kw), quote_ident(&f.name, kw)))
        }
        "procedure" => ("PROCEDURE", f.key.clone()),
        _ => ("FUNCTION", f.key.clone()),
    }
}

/// Drop phase of a source entry no target entry pairs with: early when the target reuses its
/// key (a new object under the same name), else after everything that may still use it:
/// routines before the types they take, types before the extensions that bring theirs.
fn drop_phase(b: &Builder, section: &str, key: &str) -> Phase {
    let reused = crate::sections::section(&b.tv, section).is_some_and(|m| m.contains_key(key));
    if reused {
        return Phase::DropReplaced;
    }
    match section {
        "casts" | "operators" | "operatorClasses" => Phase::DropRoutineUsers,
        "functions" => Phase::DropRoutines,
        "extensions" | "foreignServers" | "foreignDataWrappers" => Phase::DropExtensions,
        _ => Phase::DropTypes,
    }
}

pub(crate) fn plan_objects(b: &mut Builder) {
    schemas(b);
    extensions(b);
    types(b);
    sequences(b);
    functions(b);
    database_wide(b);
}

fn schemas(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    for (key, s) in &src.schemas {
        if b.target_of("schemas", key).is_none() && !tgt.meta.schemas.contains(&s.name) {
            b.push(Phase::DropSchemas, Step::new(format!("DROP SCHEMA {key};")));
        }
    }
    for (key, t) in &tgt.schemas {
        match b.source_of("schemas", key).cloned() {
            Some(from) => decorate(b, Phase::Schemas, Decor { what: "SCHEMA", name: key.clone(), privileges_on: Some(format!("SCHEMA {key}")), public_default: &[] }, "schemas", &from, key),
            None => {
                let mut out = format!("CREATE SCHEMA IF NOT EXISTS {key};\n");
                crate::grants::owner("SCHEMA", key, t.owner.as_ref(), b.kw, &mut out);
                if let Some(c) = &t.comment {
                    out.push_str(&format!("COMMENT ON SCHEMA {key} IS {};\n", literal(c)));
                }
                crate::grants::object_privileges(&format!("SCHEMA {key}"), t.privileges.as_ref(), t.owner.as_ref(), b.kw, &mut out);
                b.push_sql(Phase::Schemas, &out);
                let _ = after_default_privileges(b, Phase::Schemas, &format!("SCHEMA {key}"), "schemas", None, t.privileges.as_ref(), t.owner.as_ref(), &[]);
            }
        }
    }
}

fn extensions(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    for (key, e) in &src.extensions {
        if b.target_of("extensions", key).is_none() {
            let step = Step::new(format!("DROP EXTENSION {};", quote_ident(&e.name, b.kw))).hazard(hazard::UNTRACKED_DEPENDENCIES).hazard(hazard::DELETES_DATA);
            b.push(drop_phase(b, "extensions", key), step);
        }
    }
    for (key, e) in &tgt.extensions {
        let name = quote_ident(&e.name, b.kw);
        match b.source_of("extensions", key).cloned() {
            Some(from) => {
                let s = &src.extensions[&from];
                if s.version != e.version {
                    b.push(Phase::Extensions, Step::new(format!("ALTER EXTENSION {name} UPDATE TO {};", literal(&e.version))).hazard(hazard::EXTENSION_UPGRADE));
                }
                if s.schema != e.schema {
                    b.push(Phase::Extensions, Step::new(format!("ALTER EXTENSION {name} SET SCHEMA {};", quote_ident(&e.schema, b.kw))));
                }
            }
            None => {
                let sql = format!("CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA {} VERSION {};", quote_ident(&e.schema, b.kw), literal(&e.version));
                b.push(Phase::Extensions, Step::new(sql).hazard(hazard::UNTRACKED_DEPENDENCIES));
            }
        }
    }
}

fn types(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    // drops: what uses a type before the type
    for (key, t) in &src.types {
        if b.target_of("types", key).is_none() {
            // a range calls its subtype difference function
            let phase = match drop_phase(b, "types", key) {
                Phase::DropTypes if t.kind == "range" => Phase::DropRoutineUsers,
                p => p,
            };
            b.push(phase, Step::new(format!("DROP TYPE {key};")));
        }
    }
    for key in src.domains.keys() {
        if b.target_of("domains", key).is_none() {
            b.push(drop_phase(b, "domains", key), Step::new(format!("DROP DOMAIN {key};")));
        }
    }
    for key in src.enums.keys() {
        if b.target_of("enums", key).is_none() {
            b.push(drop_phase(b, "enums", key), Step::new(format!("DROP TYPE {key};")));
        }
    }
    for key in src.collations.keys() {
        if b.target_of("collations", key).is_none() {
            b.push(drop_phase(b, "collations", key), Step::new(format!("DROP COLLATION {key};")));
        }
    }
    // collations
    for (key, c) in &tgt.collations {
        match b.source_of("collations", key).cloned() {
            Some(from) => decorate(b, Phase::Collations, Decor { what: "COLLATION", name: key.clone(), privileges_on: None, public_default: &[] }, "collations", &from, key),
            None => b.push_sql(Phase::Collations, &ddl::collation_ddl(c, b.kw)),
        }
    }
    // enums
    for (key, e) in &tgt.enums {
        match b.source_of("enums", key).cloned() {
            Some(from) => {
                let before = src.enums[&from].values.clone();
                enum_values(b, key, &before, &e.values);
                decorate(b, Phase::Types, Decor { what: "TYPE", name: key.clone(), privileges_on: Some(format!("TYPE {key}")), public_default: &["USAGE"] }, "enums", &from, key);
            }
            None => {
                b.push_sql(Phase::Types, &ddl::enum_ddl(e, b.kw));
                let _ = after_default_privileges(b, Phase::Types, &format!("TYPE {key}"), "types", Some(&e.schema), e.privileges.as_ref(), e.owner.as_ref(), &["USAGE"]);
            }
        }
    }
    // domains
    for (key, d) in &tgt.domains {
        match b.source_of("domains", key).cloned() {
            Some(from) => {
                let s = src.domains[&from].clone();
                if s.default != d.default {
                    let how = d.default.as_ref().map(|x| format!("SET DEFAULT {x}")).unwrap_or_else(|| "DROP DEFAULT".into());
                    b.push(Phase::Types, Step::new(format!("ALTER DOMAIN {key} {how};")));
                }
                if s.not_null != d.not_null {
                    let how = if d.not_null { "SET NOT NULL" } else { "DROP NOT NULL" };
                    b.push(Phase::Types, Step::new(format!("ALTER DOMAIN {key} {how};")).hazard(hazard::VALIDATION_SCAN).long());
                }
                for (name, def) in &s.checks {
                    if d.checks.get(name) != Some(def) {
                        b.push(Phase::Types, Step::new(format!("ALTER DOMAIN {key} DROP CONSTRAINT {};", quote_ident(name, b.kw))));
                    }
                }
                for (name, def) in &d.checks {
                    if s.checks.get(name) != Some(def) {
                        b.push(Phase::Types, Step::new(format!("ALTER DOMAIN {key} ADD CONSTRAINT {} {def};", quote_ident(name, b.kw))).hazard(hazard::VALIDATION_SCAN).long());
                    }
                }
                decorate(b, Phase::Types, Decor { what: "DOMAIN", name: key.clone(), privileges_on: Some(format!("DOMAIN {key}")), public_default: &["USAGE"] }, "domains", &from, key);
            }
            None => {
                b.push_sql(Phase::Types, &ddl::domain_ddl(d, b.kw));
                let _ = after_default_privileges(b, Phase::Types, &format!("DOMAIN {key}"), "types", Some(&d.schema), d.privileges.as_ref(), d.owner.as_ref(), &["USAGE"]);
            }
        }
    }
    // composite and range types
    for (key, t) in &tgt.types {
        let phase = if t.kind == "range" { Phase::TypesAfterFunctions } else { Phase::Types };
        match b.source_of("types", key).cloned() {
            Some(from) => {
                let s = src.types[&from].clone();
                if s.attributes != t.attributes {
                    attributes(b, key, &s.attributes, &t.attributes);
                }
                decorate(b, phase, Decor { what: "TYPE", name: key.clone(), privileges_on: Some(format!("TYPE {key}")), public_default: &["USAGE"] }, "types", &from, key);
            }
            None => {
                let sql = if t.kind == "range" { ddl::range_ddl(t, b.kw) } else { ddl::composite_ddl(t, b.kw) };
                b.push_sql(phase, &sql);
                let _ = after_default_privileges(b, phase, &format!("TYPE {key}"), "types", Some(&t.schema), t.privileges.as_ref(), t.owner.as_ref(), &["USAGE"]);
            }
        }
    }
}

/// New enum values go in at their place (`ADD VALUE ... BEFORE/AFTER`); a value removed or
/// moved has no SQL that keeps the rows that hold it.
fn enum_values(b: &mut Builder, key: &str, before: &[String], after: &[String]) {
    let kept: Vec<&String> = after.iter().filter(|v| before.contains(v)).collect();
    let in_order = before.iter().filter(|v| after.contains(v)).collect::<Vec<_>>() == kept;
    if kept.len() != before.len() || !in_order {
        let removed: Vec<&String> = before.iter().filter(|v| !after.contains(v)).collect();
        let what = if removed.is_empty() { "enum values change order".to_string() } else { format!("enum values are removed: {}", removed.iter().map(|v| literal(v)).collect::<Vec<_>>().join(", ")) };
        b.push(Phase::Types, manual_step(&what, key, "Map the rows that hold them to other values, then make a new type and change the columns to it (ALTER COLUMN ... TYPE new USING col::text::new)."));
        return;
    }
    for (i, v) in after.iter().enumerate() {
        if before.contains(v) {
            continue;
        }
        let place = match after[i + 1..].iter().find(|n| before.contains(n)) {
            Some(next) => format!(" BEFORE {}", literal(next)),
            None => match after[..i].last() {
                Some(prev) => format!(" AFTER {}", literal(prev)),
                None => String::new(),
            },
        };
        b.push(Phase::Types, Step::new(format!("ALTER TYPE {key} ADD VALUE {}{place};", literal(v))));
    }
}

/// A composite type's attributes: the kept ones are a prefix in order (as a table's columns).
fn attributes(b: &mut Builder, key: &str, before: &[crate::model::TypeAttribute], after: &[crate::model::TypeAttribute]) {
    let mut kept = 0;
    while kept < after.len() && kept < before.len() && after[kept].name == before[kept].name {
        kept += 1;
    }
    let keep_names: HashSet<&str> = after[..kept].iter().map(|a| a.name.as_str()).collect();
    for a in before.iter().filter(|a| !keep_names.contains(a.name.as_str())) {
        b.push(Phase::Types, Step::new(format!("ALTER TYPE {key} DROP ATTRIBUTE {};", quote_ident(&a.name, b.kw))).hazard(hazard::DELETES_DATA));
    }
    for (a, s) in after[..kept].iter().zip(before) {
        if a.data_type != s.data_type || a.collation != s.collation {
            let collate = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
            b.push(Phase::Types, Step::new(format!("ALTER TYPE {key} ALTER ATTRIBUTE {} TYPE {}{collate};", quote_ident(&a.name, b.kw), a.data_type)));
        }
    }
    for a in &after[kept..] {
        let collate = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
        b.push(Phase::Types, Step::new(format!("ALTER TYPE {key} ADD ATTRIBUTE {} {}{collate};", quote_ident(&a.name, b.kw), a.data_type)));
    }
}

fn sequences(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    for (key, s) in &src.sequences {
        if b.target_of("sequences", key).is_some() {
            continue;
        }
        // an identity's sequence goes with its column; a serial's with its table or column
        let owner_goes = s.owned_by.as_ref().is_some_and(|c| b.target_of("columns", c).is_none());
        if s.identity || owner_goes {
            continue;
        }
        b.push(drop_phase(b, "sequences", key), Step::new(format!("DROP SEQUENCE {key};")).hazard(hazard::DELETES_DATA));
    }
    for (key, t) in &tgt.sequences {
        match b.source_of("sequences", key).cloned() {
            Some(from) => {
                let s = src.sequences[&from].clone();
                let options = s.data_type != t.data_type || s.start != t.start || s.increment != t.increment || s.min != t.min || s.max != t.max || s.cache != t.cache || s.cycle != t.cycle;
                if options {
                    let as_type = if t.identity { String::new() } else { format!("AS {} ", t.data_type) };
                    b.push(Phase::Types, Step::new(format!("ALTER SEQUENCE {key} {as_type}{};", ddl::identity_options(t))));
                }
                let owner_now = s.owned_by.as_ref().map(|c| b.target_of("columns", c).cloned().unwrap_or_default());
                if owner_now != t.owned_by && !t.identity {
                    let to = t.owned_by.clone().unwrap_or_else(|| "NONE".into());
                    b.push(Phase::Attach, Step::new(format!("ALTER SEQUENCE {key} OWNED BY {to};")));
                }
                decorate(b, Phase::Types, Decor { what: "SEQUENCE", name: key.clone(), privileges_on: Some(format!("SEQUENCE {key}")), public_default: &[] }, "sequences", &from, key);
            }
            None if t.owned_by.is_none() => {
                b.push_sql(Phase::Types, &ddl::sequence_ddl(t, b.kw));
                let _ = after_default_privileges(b, Phase::Types, &format!("SEQUENCE {key}"), "sequences", Some(&t.schema), t.privileges.as_ref(), t.owner.as_ref(), &[]);
            }
            // a column's sequence is made with its table or column (`tables`)
            None => {}
        }
    }
}

fn functions(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    let mut gone: Vec<(&String, &Function)> = src.functions.iter().collect();
    gone.sort_by_key(|(_, f)| f.kind != "aggregate");
    for (key, f) in gone {
        if b.target_of("functions", key).is_none() {
            let (what, name) = function_name(f, b.kw);
            // one that uses a table's row type or reads tables goes before the tables do
            let phase = if b.src_x.function_reads.contains_key(key) { Phase::DropTableParts } else { drop_phase(b, "functions", key) };
            b.push(phase, Step::new(format!("DROP {what} {name};")).hazard(hazard::UNTRACKED_DEPENDENCIES));
        }
    }
    for (key, f) in &tgt.functions {
        let late = f.kind == "aggregate" || b.tgt_x.function_reads.contains_key(key);
        let phase = if late { Phase::LateFunctions } else { Phase::Functions };
        let (what, name) = function_name(f, b.kw);
        match b.source_of("functions", key).cloned() {
            Some(from) => {
                let changed = b.changed("functions", &from, key);
                let body = changed.iter().any(|c| !matches!(c.as_str(), "comment" | "owner" | "privileges"));
                if body {
                    b.push(phase, Step::new(ddl::statement(&f.definition)).hazard(hazard::UNTRACKED_DEPENDENCIES));
                }
                let privileges = if f.kind == "aggregate" { None } else { Some(format!("ROUTINE {key}")) };
                decorate(b, phase, Decor { what, name, privileges_on: privileges, public_default: &["EXECUTE"] }, "functions", &from, key);
            }
            None => {
                let sql = ddl::function_ddl(f, b.kw);
                b.push_sql(phase, &sql);
                if f.kind != "aggregate" {
                    let _ = after_default_privileges(b, phase, &format!("ROUTINE {key}"), "functions", Some(&f.schema), f.privileges.as_ref(), f.owner.as_ref(), &["EXECUTE"]);
                }
            }
        }
    }
}

fn database_wide(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    for (key, c) in &src.casts {
        if b.target_of("casts", key).is_none() {
            b.push(drop_phase(b, "casts", key), Step::new(format!("DROP CAST {};", c.key)).hazard(hazard::UNTRACKED_DEPENDENCIES));
        }
    }
    for (key, c) in &tgt.casts {
        match b.source_of("casts", key).cloned() {
            Some(from) => decorate(b, Phase::TypesAfterFunctions, Decor { what: "CAST", name: key.clone(), privileges_on: None, public_default: &[] }, "casts", &from, key),
            None => b.push_sql(Phase::TypesAfterFunctions, &ddl::cast_ddl(c)),
        }
    }
    for (key, o) in &src.operators {
        if b.target_of("operators", key).is_none() {
            let sig = format!("{}.{} ({}, {})", quote_ident(&o.schema, b.kw), o.name, o.left.as_deref().unwrap_or("NONE"), o.right);
            b.push(drop_phase(b, "operators", key), Step::new(format!("DROP OPERATOR {sig};")).hazard(hazard::UNTRACKED_DEPENDENCIES));
        }
    }
    for (key, o) in &tgt.operators {
        match b.source_of("operators", key).cloned() {
            Some(from) => {
                let sig = format!("{}.{} ({}, {})", quote_ident(&o.schema, b.kw), o.name, o.left.as_deref().unwrap_or("NONE"), o.right);
                decorate(b, Phase::TypesAfterFunctions, Decor { what: "OPERATOR", name: sig, privileges_on: None, public_default: &[] }, "operators", &from, key);
            }
            None => b.push_sql(Phase::TypesAfterFunctions, &ddl::operator_ddl(o, b.kw)),
        }
    }
    for (key, c) in &src.operator_classes {
        if b.target_of("operatorClasses", key).is_none() {
            let name = format!("{}.{}", quote_ident(&c.schema, b.kw), quote_ident(&c.name, b.kw));
            b.push(drop_phase(b, "operatorClasses", key), Step::new(format!("DROP OPERATOR CLASS {name} USING {};", quote_ident(&c.method, b.kw))));
        }
    }
    for (key, c) in &tgt.operator_classes {
        match b.source_of("operatorClasses", key).cloned() {
            Some(from) => decorate(b, Phase::TypesAfterFunctions, Decor { what: "OPERATOR CLASS", name: key.clone(), privileges_on: None, public_default: &[] }, "operatorClasses", &from, key),
            None => b.push_sql(Phase::TypesAfterFunctions, &ddl::operator_class_ddl(c, b.kw)),
        }
    }
    for key in src.foreign_servers.keys() {
        if b.target_of("foreignServers", key).is_none() {
            b.push(drop_phase(b, "foreignServers", key), Step::new(format!("DROP SERVER {key};")));
        }
    }
    for key in src.foreign_data_wrappers.keys() {
        if b.target_of("foreignDataWrappers", key).is_none() {
            b.push(Phase::DropExtensions, Step::new(format!("DROP FOREIGN DATA WRAPPER {key};")));
        }
    }
    for (key, w) in &tgt.foreign_data_wrappers {
        match b.source_of("foreignDataWrappers", key).cloned() {
            Some(from) => decorate(b, Phase::Extensions, Decor { what: "FOREIGN DATA WRAPPER", name: key.clone(), privileges_on: None, public_default: &[] }, "foreignDataWrappers", &from, key),
            None => b.push_sql(Phase::Extensions, &ddl::wrapper_ddl(w, b.kw)),
        }
    }
    for (key, f) in &tgt.foreign_servers {
        match b.source_of("foreignServers", key).cloned() {
            Some(from) => decorate(b, Phase::Extensions, Decor { what: "SERVER", name: key.clone(), privileges_on: Some(format!("FOREIGN SERVER {key}")), public_default: &[] }, "foreignServers", &from, key),
            None => b.push_sql(Phase::Extensions, &ddl::server_ddl(f, b.kw)),
        }
    }
    for key in src.publications.keys() {
        if b.target_of("publications", key).is_none() {
            b.push(Phase::DropDatabaseWide, Step::new(format!("DROP PUBLICATION {key};")).hazard(hazard::REPLICATION));
        }
    }
    for (key, p) in &tgt.publications {
        match b.source_of("publications", key).cloned() {
            Some(from) => decorate(b, Phase::DatabaseWide, Decor { what: "PUBLICATION", name: key.clone(), privileges_on: None, public_default: &[] }, "publications", &from, key),
            None => {
                let sql = ddl::publication_ddl(p, b.kw);
                for s in super::sql_text::split_statements(&sql) {
                    b.push(Phase::DatabaseWide, Step::new(s).hazard(hazard::REPLICATION));
                }
            }
        }
    }
    for key in src.event_triggers.keys() {
        if b.target_of("eventTriggers", key).is_none() {
            b.push(Phase::DropDatabaseWide, Step::new(format!("DROP EVENT TRIGGER {key};")));
        }
    }
    for (key, t) in &tgt.event_triggers {
        match b.source_of("eventTriggers", key).cloned() {
            Some(from) => {
                let s = &src.event_triggers[&from];
                if s.enabled != t.enabled {
                    let state = ddl::enabled_state(&t.enabled).unwrap_or("ENABLE");
                    b.push(Phase::EventTriggers, Step::new(format!("ALTER EVENT TRIGGER {key} {state};")));
                }
                decorate(b, Phase::EventTriggers, Decor { what: "EVENT TRIGGER", name: key.clone(), privileges_on: None, public_default: &[] }, "eventTriggers", &from, key);
            }
            None => b.push_sql(Phase::EventTriggers, &ddl::event_trigger_ddl(t, b.kw)),
        }
    }
    default_privileges(b);
}

/// Default privileges: an entry's old grants revoked, its new ones granted (an entry for all
/// schemas that goes back to the built-in defaults gets its role's and PUBLIC's back). An
/// entry follows its schema's renames (it is paired by oid).
fn default_privileges(b: &mut Builder) {
    let (src, tgt) = (b.src, b.tgt);
    let head = |d: &crate::model::DefaultPrivileges, kw: &Keywords| {
        let mut head = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", quote_ident(&d.role, kw));
        if let Some(schema) = &d.schema {
            head.push_str(&format!(" IN SCHEMA {}", quote_ident(schema, kw)));
        }
        head
    };
    for (key, s) in &src.default_privileges {
        let t = b.target_of("defaultPrivileges", key).and_then(|k| tgt.default_privileges.get(k));
        if t.is_some_and(|t| t.privileges == s.privileges) {
            continue;
        }
        // revoked under the names of the source (before renames) unless the entry stays
        let (phase, d) = match t {
            Some(t) => (Phase::DatabaseWide, t),
            None => (Phase::DropDatabaseWide, s),
        };
        let objects = s.objects.to_uppercase();
        let h = head(d, b.kw);
        for g in s.privileges.keys() {
            b.push(phase, Step::new(format!("{h} REVOKE ALL ON {objects} FROM {};", grantee(g, b.kw))).hazard(hazard::AUTHZ_UPDATE));
        }
        if t.is_none() && s.schema.is_none() {
            b.push(phase, Step::new(format!("{h} GRANT ALL ON {objects} TO {};", quote_ident(&s.role, b.kw))).hazard(hazard::AUTHZ_UPDATE));
            match objects.as_str() {
                "FUNCTIONS" => b.push(phase, Step::new(format!("{h} GRANT EXECUTE ON FUNCTIONS TO PUBLIC;")).hazard(hazard::AUTHZ_UPDATE)),
                "TYPES" => b.push(phase, Step::new(format!("{h} GRANT USAGE ON TYPES TO PUBLIC;")).hazard(hazard::AUTHZ_UPDATE)),
                _ => {}
            }
        }
    }
    for (key, t) in &tgt.default_privileges {
        let s = b.source_of("defaultPrivileges", key).and_then(|k| src.default_privileges.get(k));
        if s.is_some_and(|s| s.privileges == t.privileges) {
            continue;
        }
        let mut text = String::new();
        crate::grants::default_privileges(t, b.kw, &mut text);
        for st in super::sql_text::split_statements(&text) {
            b.push(Phase::DatabaseWide, Step::new(st).hazard(hazard::AUTHZ_UPDATE));
        }
    }
}
