//! Tables, views and their parts: dropped (dependents first), made (with the renderers of
//! `lens_ddl_script`), and altered column by column, constraint by constraint.

use super::step::{hazard, Lock, Step};
use super::{Builder, Phase};
use crate::ddl::{self, literal, of};
use crate::ident::quote_ident;
use crate::model::{Column, Snapshot, Table};
use std::collections::HashSet;

fn is_view(t: &Table) -> bool {
    matches!(t.kind.as_str(), "view" | "materialized_view")
}

pub(crate) fn relation_word(kind: &str) -> &'static str {
    match kind {
        "view" => "VIEW",
        "materialized_view" => "MATERIALIZED VIEW",
        "foreign_table" => "FOREIGN TABLE",
        _ => "TABLE",
    }
}

/// The key of the table a part belongs to, in `snap`.
fn parents(t: &Table) -> Vec<String> {
    t.partition_of.iter().cloned().chain(t.inherits.iter().flatten().cloned()).collect()
}

pub(crate) fn plan_tables(b: &mut Builder) {
    drop_relations(b);
    drop_parts(b);
    create_relations(b);
    alter_tables(b);
    create_parts(b);
}

fn drop_relations(b: &mut Builder) {
    let order = ddl::creation_order(b.src, &b.src_x.view_reads);
    let dropped: HashSet<&str> = order.iter().filter(|k| b.target_of("tables", k).is_none()).map(String::as_str).collect();
    for key in order.iter().rev() {
        if b.target_of("tables", key).is_some() {
            continue;
        }
        let t = &b.src.tables[key];
        // a partition goes with its dropped parent
        if t.partition_of.as_deref().is_some_and(|p| dropped.contains(p)) {
            continue;
        }
        let word = relation_word(&t.kind);
        if is_view(t) {
            b.push(Phase::DropViews, Step::new(format!("DROP {word} {key};")));
        } else {
            let step = Step::new(format!("DROP {word} {key};")).hazard(hazard::DELETES_DATA).lock(Lock::Exclusive, key);
            b.push(Phase::DropTables, step);
        }
    }
}

/// The part's own drop, unless its table goes (or it came with a parent's).
fn drop_parts(b: &mut Builder) {
    let src = b.src;
    let table_stays = |b: &Builder, key: &str| b.target_of("tables", key).is_some();
    // FKs first, even those of dropped tables: a cycle of FKs between dropped tables
    for r in src.relationships.values() {
        if b.target_of("relationships", &r.key).is_some() || b.src_x.inherited_constraints.contains(&r.constraint_key) {
            continue;
        }
        let step = Step::new(format!("ALTER TABLE {} DROP CONSTRAINT {};", r.child_key, quote_ident(&r.name, b.kw))).lock(Lock::Exclusive, &r.child_key);
        b.push(Phase::DropForeignKeys, step);
    }
    let keys = src.constraints.pks.values().chain(src.constraints.uniques.values()).map(|k| (&k.key, &k.table_key, &k.name, "constraints.pks", true));
    let checks = src.constraints.checks.values().map(|c| (&c.key, &c.table_key, &c.name, "constraints.checks", false));
    let exclusions = src.constraints.exclusions.values().map(|x| (&x.key, &x.table_key, &x.name, "constraints.exclusions", true));
    let all: Vec<_> = keys.chain(checks).chain(exclusions).collect();
    for (key, table, name, section, has_index) in all {
        let section = if section == "constraints.pks" && src.constraints.uniques.contains_key(key) { "constraints.uniques" } else { section };
        if b.target_of(section, key).is_some() || !table_stays(b, table) || b.src_x.inherited_constraints.contains(key) {
            continue;
        }
        let mut step = Step::new(format!("ALTER TABLE {table} DROP CONSTRAINT {};", quote_ident(name, b.kw))).lock(Lock::Exclusive, table);
        if has_index {
            step = step.hazard(hazard::INDEX_DROPPED);
        }
        b.push(Phase::DropConstraints, step);
    }
    for i in src.indexes.values() {
        if b.target_of("indexes", &i.key).is_some() || !table_stays(b, &i.table_key) || i.constraint_key.is_some() || b.src_x.inherited_indexes.contains(&i.key) {
            continue;
        }
        let name = format!("{}.{}", quote_ident(&i.schema, b.kw), quote_ident(&i.name, b.kw));
        let partitioned = src.tables.get(&i.table_key).is_some_and(|t| t.kind == "partitioned");
        let step = if b.opts.online && !partitioned {
            Step::new(format!("DROP INDEX CONCURRENTLY {name};")).outside_transaction(format!("DROP INDEX {name};")).lock(Lock::Weak, &i.table_key)
        } else {
            Step::new(format!("DROP INDEX {name};")).lock(Lock::Exclusive, &i.table_key)
        };
        b.push(Phase::DropConstraints, step.hazard(hazard::INDEX_DROPPED));
    }
    for t in src.triggers.values() {
        if b.target_of("triggers", &t.key).is_none() && table_stays(b, &t.table_key) {
            let step = Step::new(format!("DROP TRIGGER {} ON {};", quote_ident(&t.name, b.kw), t.table_key)).lock(Lock::Share, &t.table_key).hazard(hazard::UNTRACKED_DEPENDENCIES);
            b.push(Phase::DropTableParts, step);
        }
    }
    // policies and rules may read other tables: they go before any table does
    for p in src.policies.values() {
        if b.target_of("policies", &p.key).is_none() {
            let step = Step::new(format!("DROP POLICY {} ON {};", quote_ident(&p.name, b.kw), p.table_key)).lock(Lock::Exclusive, &p.table_key).hazard(hazard::AUTHZ_UPDATE);
            b.push(Phase::DropTableParts, step);
        }
    }
    for r in src.rules.values() {
        if b.target_of("rules", &r.key).is_none() {
            b.push(Phase::DropTableParts, Step::new(format!("DROP RULE {} ON {};", quote_ident(&r.name, b.kw), r.table_key)).lock(Lock::Exclusive, &r.table_key));
        }
    }
    for s in src.statistics.values() {
        if b.target_of("statistics", &s.key).is_none() && table_stays(b, &s.table_key) {
            b.push(Phase::DropTableParts, Step::new(format!("DROP STATISTICS {};", s.key)));
        }
    }
    // columns, unless a parent's drop takes them along
    for c in src.columns.values() {
        if b.target_of("columns", &c.key).is_some() || !table_stays(b, &c.table_key) {
            continue;
        }
        let t = &src.tables[&c.table_key];
        if is_view(t) || inherited_column_goes_with_parent(b, t, &c.name) {
            continue;
        }
        let step = Step::new(format!("ALTER TABLE {} DROP COLUMN {};", c.table_key, quote_ident(&c.name, b.kw))).hazard(hazard::DELETES_DATA).lock(Lock::Exclusive, &c.table_key);
        b.push(Phase::DropColumns, step);
    }
}

/// Whether a parent of `t` (in the source) has a column `name` that it drops too.
fn inherited_column_goes_with_parent(b: &Builder, t: &Table, name: &str) -> bool {
    parents(t).iter().any(|p| of(&b.src_by.columns, p).iter().any(|c| c.name == name && b.target_of("columns", &c.key).is_none()))
}

fn create_relations(b: &mut Builder) {
    let tgt = b.tgt;
    let order = ddl::creation_order(tgt, &b.tgt_x.view_reads);
    for key in &order {
        if b.source_of("tables", key).is_some() {
            continue;
        }
        let t = &tgt.tables[key];
        let Some(sql) = ddl::table_ddl_without_fks(&b.tgt_by, key, &b.tgt_x, b.kw) else { continue };
        let phase = if is_view(t) { Phase::Views } else { Phase::Tables };
        b.push_sql(phase, &sql);
        // (a table's REVOKE ALL takes its columns' grants too: they are made again)
        if super::objects::after_default_privileges(b, phase, &format!("TABLE {key}"), "tables", Some(&t.schema), t.privileges.as_ref(), t.owner.as_ref(), &[]) {
            let mut grants = String::new();
            for c in of(&b.tgt_by.columns, key) {
                crate::grants::column_privileges(key, &quote_ident(&c.name, b.kw), c.privileges.as_ref(), b.kw, &mut grants);
            }
            b.push_sql(phase, &grants);
        }
        for s in of(&b.tgt_by.owned_sequences, key).to_vec() {
            let _ = super::objects::after_default_privileges(b, phase, &format!("SEQUENCE {}", s.key), "sequences", Some(&s.schema), s.privileges.as_ref(), s.owner.as_ref(), &[]);
        }
        let rules = ddl::rules_ddl(&b.tgt_by, key, b.kw);
        b.push_sql(Phase::TableParts, &rules);
    }
}

/// ALTERs of the tables both sides have: the table's own settings, then its columns.
fn alter_tables(b: &mut Builder) {
    let order = ddl::creation_order(b.tgt, &b.tgt_x.view_reads);
    for to in &order {
        let Some(from) = b.source_of("tables", to).cloned() else { continue };
        let changed = b.changed("tables", &from, to);
        let (s, t) = (&b.src.tables[&from], &b.tgt.tables[to]);
        table_settings(b, s, t, &changed);
        if !is_view(t) {
            columns(b, t);
        } else {
            view_columns(b, t);
        }
    }
}

fn table_settings(b: &mut Builder, s: &Table, t: &Table, changed: &[String]) {
    let key = &t.key;
    let word = relation_word(&t.kind);
    for field in changed {
        match field.as_str() {
            "comment" => b.push(Phase::Tables, Step::new(format!("COMMENT ON {word} {key} IS {};", comment(&t.comment)))),
            "owner" => {
                if let Some(o) = &t.owner {
                    b.push(Phase::Tables, Step::new(format!("ALTER {word} {key} OWNER TO {};", quote_ident(o, b.kw))).hazard(hazard::AUTHZ_UPDATE));
                }
            }
            "privileges" => {
                let stmts = super::objects::privileges_delta(&format!("TABLE {key}"), s.privileges.as_ref(), t.privileges.as_ref(), t.owner.as_ref(), &[], b.kw);
                push_all(b, Phase::Tables, stmts, hazard::AUTHZ_UPDATE);
                // REVOKE ALL on the table took its columns' grants along
                let mut grants = String::new();
                for c in of(&b.tgt_by.columns, key) {
                    crate::grants::column_privileges(key, &quote_ident(&c.name, b.kw), c.privileges.as_ref(), b.kw, &mut grants);
                }
                b.push_sql(Phase::Tables, &grants);
            }
            "rlsEnabled" => {
                let what = if t.rls_enabled { "ENABLE" } else { "DISABLE" };
                b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} {what} ROW LEVEL SECURITY;")).hazard(hazard::AUTHZ_UPDATE).lock(Lock::Exclusive, key));
            }
            "rlsForced" => {
                let what = if t.rls_forced { "FORCE" } else { "NO FORCE" };
                b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} {what} ROW LEVEL SECURITY;")).hazard(hazard::AUTHZ_UPDATE).lock(Lock::Exclusive, key));
            }
            "persistence" => {
                let what = if t.persistence == "unlogged" { "UNLOGGED" } else { "LOGGED" };
                b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} SET {what};")).hazard(hazard::TABLE_REWRITE).lock(Lock::Exclusive, key).long());
            }
            "options" => {
                let names = |o: &[String]| o.iter().map(|x| x.split('=').next().unwrap_or("").to_string()).collect::<Vec<_>>();
                let dropped: Vec<String> = names(&s.options).into_iter().filter(|n| !names(&t.options).contains(n)).map(|n| ddl::option_name(&n)).collect();
                if !dropped.is_empty() {
                    b.push(Phase::Tables, Step::new(format!("ALTER {word} {key} RESET ({});", dropped.join(", "))).lock(Lock::Weak, key));
                }
                if !t.options.is_empty() {
                    b.push(Phase::Tables, Step::new(format!("ALTER {word} {key} SET ({});", ddl::options_list(&t.options))).lock(Lock::Weak, key));
                }
            }
            "tablespace" => {
                let space = t.tablespace.as_ref().map(|s| quote_ident(s, b.kw)).unwrap_or_else(|| "pg_default".into());
                b.push(Phase::Tables, Step::new(format!("ALTER {word} {key} SET TABLESPACE {space};")).hazard(hazard::TABLE_REWRITE).lock(Lock::Exclusive, key).long());
            }
            "accessMethod" => {
                let method = t.access_method.as_ref().map(|m| quote_ident(m, b.kw)).unwrap_or_else(|| "heap".into());
                b.push(Phase::Tables, Step::new(format!("ALTER {word} {key} SET ACCESS METHOD {method};")).hazard(hazard::TABLE_REWRITE).lock(Lock::Exclusive, key).long());
            }
            "replicaIdentity" => {
                let how = match t.replica_identity.as_deref() {
                    Some("nothing") => "NOTHING".to_string(),
                    Some("full") => "FULL".to_string(),
                    Some("index") => match of(&b.tgt_by.indexes, key).iter().find(|i| i.is_replica_identity) {
                        Some(i) => format!("USING INDEX {}", quote_ident(&i.name, b.kw)),
                        None => "DEFAULT".to_string(),
                    },
                    _ => "DEFAULT".to_string(),
                };
                // after the index it names exists
                b.push(Phase::TableParts, Step::new(format!("ALTER TABLE {key} REPLICA IDENTITY {how};")).hazard(hazard::REPLICATION).lock(Lock::Exclusive, key));
            }
            _ => {}
        }
    }
    if changed.iter().any(|f| f == "partitionOf" || f == "partitionBound") {
        if let Some(parent) = &s.partition_of {
            // the detach runs before renames, under the source's names
            let detach = Step::new(format!("ALTER TABLE {parent} DETACH PARTITION {};", s.key)).lock(Lock::Exclusive, parent);
            b.push(Phase::Detach, detach);
        }
        if let (Some(parent), Some(bound)) = (&t.partition_of, &t.partition_bound) {
            let step = Step::new(format!("ALTER TABLE {parent} ATTACH PARTITION {key} {bound};")).hazard(hazard::VALIDATION_SCAN).lock(Lock::Exclusive, key).long();
            b.push(Phase::Attach, step);
        }
    }
    if changed.iter().any(|f| f == "inherits") {
        let before: Vec<String> = s.inherits.clone().unwrap_or_default();
        let after: Vec<String> = t.inherits.clone().unwrap_or_default();
        let gone: Vec<&String> = before.iter().filter(|p| !after.contains(&b.target_of("tables", p).cloned().unwrap_or_default())).collect();
        for p in gone {
            b.push(Phase::Detach, Step::new(format!("ALTER TABLE {} NO INHERIT {p};", s.key)).lock(Lock::Exclusive, &s.key));
        }
        let new: Vec<&String> = after.iter().filter(|p| b.source_of("tables", p).is_none_or(|sp| !before.contains(sp))).collect();
        for p in new {
            b.push(Phase::Attach, Step::new(format!("ALTER TABLE {key} INHERIT {p};")).lock(Lock::Exclusive, key));
        }
    }
}

fn comment(c: &Option<String>) -> String {
    c.as_deref().map(literal).unwrap_or_else(|| "NULL".into())
}

fn push_all(b: &mut Builder, phase: Phase, statements: Vec<String>, h: &'static str) {
    for s in statements {
        b.push(phase, Step::new(s).hazard(h));
    }
}

/// A view's columns: only their comments and privileges are its own (the body says the rest).
fn view_columns(b: &mut Builder, t: &Table) {
    for c in of(&b.tgt_by.columns, &t.key).to_vec() {
        let Some(from) = b.source_of("columns", &c.key).cloned() else { continue };
        let s = &b.src.columns[&from];
        column_decorations(b, &t.key, s, c);
    }
}

fn column_decorations(b: &mut Builder, table: &str, s: &Column, c: &Column) {
    let name = quote_ident(&c.name, b.kw);
    if s.comment != c.comment {
        b.push(Phase::Tables, Step::new(format!("COMMENT ON COLUMN {table}.{name} IS {};", comment(&c.comment))));
    }
    if s.privileges != c.privileges {
        let grantees: Vec<String> = s.privileges.iter().flat_map(|p| p.keys().cloned()).collect();
        let mut stmts: Vec<String> = grantees.iter().map(|g| format!("REVOKE ALL ({name}) ON TABLE {table} FROM {};", super::objects::grantee(g, b.kw))).collect();
        let mut out = String::new();
        crate::grants::column_privileges(table, &name, c.privileges.as_ref(), b.kw, &mut out);
        stmts.extend(super::sql_text::split_statements(&out));
        push_all(b, Phase::Tables, stmts, hazard::AUTHZ_UPDATE);
    }
}

/// Whether a parent of `t` (target) has the column `name`: the parent's ALTER reaches it.
fn inherited_in_target(b: &Builder, t: &Table, name: &str) -> bool {
    parents(t).iter().any(|p| of(&b.tgt_by.columns, p).iter().any(|c| c.name == name))
}

fn columns(b: &mut Builder, t: &Table) {
    let key = t.key.clone();
    let child = t.partition_of.is_some() || t.inherits.as_ref().is_some_and(|p| !p.is_empty());
    for c in of(&b.tgt_by.columns, &key).to_vec() {
        let inherited = child && inherited_in_target(b, t, &c.name);
        match b.source_of("columns", &c.key).cloned() {
            None => {
                let parent_adds = inherited && parents(t).iter().any(|p| of(&b.tgt_by.columns, p).iter().any(|pc| pc.name == c.name && b.source_of("columns", &pc.key).is_none()));
                if parent_adds {
                    continue;
                }
                add_column(b, t, c);
            }
            Some(from) => {
                let changed = b.changed("columns", &from, &c.key);
                if changed.is_empty() {
                    continue;
                }
                let sc = b.src.columns[&from].clone();
                alter_column(b, t, &sc, c, &changed, inherited);
            }
        }
    }
}

fn add_column(b: &mut Builder, t: &Table, c: &Column) {
    let key = &t.key;
    let owned: Vec<&crate::model::Sequence> = of(&b.tgt_by.owned_sequences, key).iter().copied().filter(|s| s.owned_by.as_deref() == Some(c.key.as_str())).collect();
    let identity = owned.iter().copied().find(|s| s.identity);
    let line = ddl::column_line(c, identity, b.kw);
    let mut step = Step::new(format!("ALTER TABLE {key} ADD COLUMN {};", line.trim_start())).lock(Lock::Exclusive, key);
    let volatile = c.default.as_deref().is_some_and(volatile_default);
    if volatile || c.identity.is_some() || (c.generated.is_some() && !c.generated_virtual) {
        step = step.hazard(hazard::TABLE_REWRITE).long();
    }
    if !c.is_nullable && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
        step = step.hazard(hazard::VALIDATION_SCAN);
    }
    // a serial's sequence exists before the default that calls it
    for s in owned.iter().filter(|s| !s.identity) {
        if b.source_of("sequences", &s.key).is_none() {
            b.push(Phase::Types, Step::new(format!("CREATE SEQUENCE {} {};", s.key, ddl::sequence_options(s))));
        }
    }
    b.push(Phase::Tables, step);
    for s in owned.iter().filter(|s| !s.identity) {
        b.push(Phase::Attach, Step::new(format!("ALTER SEQUENCE {} OWNED BY {};", s.key, c.key)));
    }
    if c.not_null_not_valid {
        let mut out = String::new();
        ddl::not_valid_not_nulls(t, &[c], b.kw, &mut out);
        b.push_sql(Phase::Tables, &out);
    }
    let blank = Column { comment: None, privileges: None, ..c.clone() };
    column_decorations(b, key, &blank, c);
    column_settings(b, key, &Column { storage: None, compression: None, statistics_target: None, options: vec![], ..c.clone() }, c);
}

/// Defaults the server evaluates per row when a column is added (a rewrite, not a fast
/// default): sequences, random values and clocks.
fn volatile_default(expr: &str) -> bool {
    let e = expr.to_ascii_lowercase();
    ["nextval(", "random(", "gen_random_uuid(", "uuid_generate_", "clock_timestamp(", "timeofday(", "statement_timestamp("].iter().any(|f| e.contains(f))
}

fn alter_column(b: &mut Builder, t: &Table, s: &Column, c: &Column, changed: &[String], inherited: bool) {
    let key = &t.key;
    let col = quote_ident(&c.name, b.kw);
    let at = format!("ALTER TABLE {key} ALTER COLUMN {col}");
    let retype = changed.iter().any(|f| f == "dataType" || f == "collation");
    if retype && !inherited {
        if s.default.is_some() {
            b.push(Phase::Tables, Step::new(format!("{at} DROP DEFAULT;")).lock(Lock::Exclusive, key));
        }
        let collate = c.collation.as_ref().map(|x| format!(" COLLATE {x}")).unwrap_or_default();
        let step = if super::casts::no_cast(&s.data_type, &c.data_type) {
            let what = format!("a column's type changes from {} to {}, which have no cast", s.data_type, c.data_type);
            super::objects::manual_step(&what, &format!("{key}.{col}"), "Write the conversion yourself: ALTER TABLE ... ALTER COLUMN ... TYPE ... USING <an expression of the old value>.")
        } else {
            Step::new(format!("{at} TYPE {}{collate} USING {col}::{};", c.data_type, c.data_type)).hazard(hazard::TABLE_REWRITE).lock(Lock::Exclusive, key).long()
        };
        b.push(Phase::Tables, step);
        if let Some(d) = &c.default {
            b.push(Phase::Tables, Step::new(format!("{at} SET DEFAULT {d};")).lock(Lock::Exclusive, key));
        }
    } else if changed.iter().any(|f| f == "default") {
        let step = match &c.default {
            Some(d) => Step::new(format!("{at} SET DEFAULT {d};")),
            None => Step::new(format!("{at} DROP DEFAULT;")),
        };
        b.push(Phase::Tables, step.lock(Lock::Exclusive, key));
    }
    if changed.iter().any(|f| f == "identity") {
        match (&s.identity, &c.identity) {
            (None, Some(kind)) => {
                let seq = of(&b.tgt_by.owned_sequences, key).iter().copied().find(|q| q.identity && q.owned_by.as_deref() == Some(c.key.as_str()));
                let options = seq.map(|q| format!(" (SEQUENCE NAME {} {})", q.key, ddl::identity_options(q))).unwrap_or_default();
                b.push(Phase::Tables, Step::new(format!("{at} ADD GENERATED {} AS IDENTITY{options};", identity_word(kind))).lock(Lock::Exclusive, key));
            }
            (Some(_), None) => b.push(Phase::Tables, Step::new(format!("{at} DROP IDENTITY;")).lock(Lock::Exclusive, key)),
            (Some(_), Some(kind)) => b.push(Phase::Tables, Step::new(format!("{at} SET GENERATED {};", identity_word(kind))).lock(Lock::Exclusive, key)),
            _ => {}
        }
    }
    if changed.iter().any(|f| f == "generated") {
        let step = match &c.generated {
            Some(expr) if b.opts.major >= 17 => Step::new(format!("{at} SET EXPRESSION AS ({expr});")).hazard(hazard::TABLE_REWRITE).long(),
            Some(_) => super::objects::manual_step("a generated column's expression changes", &format!("{key}.{col}"), "PostgreSQL before 17 has no SET EXPRESSION: drop the column and add it again."),
            None => Step::new(format!("{at} DROP EXPRESSION;")),
        };
        b.push(Phase::Tables, step.lock(Lock::Exclusive, key));
    }
    let nullability = changed.iter().any(|f| f == "isNullable" || f == "notNullNotValid");
    // an inherited column's NOT NULL comes with its parent's
    if nullability && (!inherited || c.is_nullable) {
        not_null(b, t, s, c);
    } else if changed.iter().any(|f| f == "notNullName") && !c.is_nullable {
        let old = not_null_name(b.src, &b.src_by, s);
        let new = c.not_null_name.clone().unwrap_or_else(|| crate::ident::server_chosen_name(&t.name, &c.name, "not_null"));
        if old != new {
            b.push(Phase::RenameParts, Step::new(format!("ALTER TABLE {key} RENAME CONSTRAINT {} TO {};", quote_ident(&old, b.kw), quote_ident(&new, b.kw))));
        }
    }
    column_decorations(b, key, s, c);
    column_settings(b, key, s, c);
}

/// The name of a column's NOT NULL constraint (PostgreSQL 18): its own, else a parent's
/// (an inherited one keeps the parent's name), else the one the server chose.
fn not_null_name(snap: &Snapshot, by: &ddl::ByTable, c: &Column) -> String {
    if let Some(name) = &c.not_null_name {
        return name.clone();
    }
    let Some(t) = snap.tables.get(&c.table_key) else { return String::new() };
    for p in parents(t) {
        if let Some(pc) = of(&by.columns, &p).iter().find(|pc| pc.name == c.name && !pc.is_nullable) {
            return not_null_name(snap, by, pc);
        }
    }
    crate::ident::server_chosen_name(&t.name, &c.name, "not_null")
}

fn identity_word(kind: &str) -> &'static str {
    if kind == "always" {
        "ALWAYS"
    } else {
        "BY DEFAULT"
    }
}

fn not_null(b: &mut Builder, t: &Table, s: &Column, c: &Column) {
    let key = &t.key;
    let col = quote_ident(&c.name, b.kw);
    let at = format!("ALTER TABLE {key} ALTER COLUMN {col}");
    if c.is_nullable {
        b.push(Phase::Tables, Step::new(format!("{at} DROP NOT NULL;")).lock(Lock::Exclusive, key));
        return;
    }
    if c.not_null_not_valid || c.not_null_name.is_some() || c.not_null_no_inherit {
        // PostgreSQL 18: a named or NOT VALID NOT NULL is a constraint of its own
        if !s.is_nullable {
            b.push(Phase::Tables, Step::new(format!("{at} DROP NOT NULL;")).lock(Lock::Exclusive, key));
        }
        let mut out = String::new();
        if c.not_null_not_valid {
            ddl::not_valid_not_nulls(t, &[c], b.kw, &mut out);
        } else {
            let name = c.not_null_name.clone().unwrap_or_else(|| crate::ident::server_chosen_name(&t.name, &c.name, "not_null"));
            let inherit = if c.not_null_no_inherit { " NO INHERIT" } else { "" };
            out = format!("ALTER TABLE {key} ADD CONSTRAINT {} NOT NULL {col}{inherit};\n", quote_ident(&name, b.kw));
        }
        for st in super::sql_text::split_statements(&out) {
            let scan = !c.not_null_not_valid;
            let mut step = Step::new(st).lock(Lock::Exclusive, key);
            if scan {
                step = step.hazard(hazard::VALIDATION_SCAN).long();
            }
            b.push(Phase::Tables, step);
        }
        return;
    }
    if s.not_null_not_valid && !s.is_nullable {
        let name = s.not_null_name.clone().unwrap_or_else(|| crate::ident::server_chosen_name(&t.name, &c.name, "not_null"));
        b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} VALIDATE CONSTRAINT {};", quote_ident(&name, b.kw))).hazard(hazard::VALIDATION_SCAN).lock(Lock::Weak, key).long());
        return;
    }
    if b.opts.online {
        let check = quote_ident(&crate::ident::server_chosen_name(&t.name, &c.name, "lens_not_null"), b.kw);
        b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID;")).lock(Lock::Exclusive, key));
        b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} VALIDATE CONSTRAINT {check};")).hazard(hazard::VALIDATION_SCAN).lock(Lock::Weak, key).long());
        b.push(Phase::Tables, Step::new(format!("{at} SET NOT NULL;")).lock(Lock::Exclusive, key));
        b.push(Phase::Tables, Step::new(format!("ALTER TABLE {key} DROP CONSTRAINT {check};")).lock(Lock::Exclusive, key));
    } else {
        b.push(Phase::Tables, Step::new(format!("{at} SET NOT NULL;")).hazard(hazard::VALIDATION_SCAN).lock(Lock::Exclusive, key).long());
    }
}

/// Storage, compression, statistics target and attribute options of a column.
fn column_settings(b: &mut Builder, table: &str, s: &Column, c: &Column) {
    let at = format!("ALTER TABLE {table} ALTER COLUMN {}", quote_ident(&c.name, b.kw));
    if s.storage != c.storage {
        if let Some(storage) = &c.storage {
            b.push(Phase::Tables, Step::new(format!("{at} SET STORAGE {};", storage.to_uppercase())).lock(Lock::Exclusive, table));
        }
    }
    if s.compression != c.compression {
        let how = c.compression.clone().unwrap_or_else(|| "DEFAULT".into());
        b.push(Phase::Tables, Step::new(format!("{at} SET COMPRESSION {how};")).lock(Lock::Exclusive, table));
    }
    if s.statistics_target != c.statistics_target {
        b.push(Phase::Tables, Step::new(format!("{at} SET STATISTICS {};", c.statistics_target.unwrap_or(-1))).lock(Lock::Weak, table));
    }
    if s.options != c.options {
        let names: Vec<String> = s.options.iter().map(|o| ddl::option_name(o.split('=').next().unwrap_or(""))).collect();
        if !names.is_empty() {
            b.push(Phase::Tables, Step::new(format!("{at} RESET ({});", names.join(", "))).lock(Lock::Weak, table));
        }
        if !c.options.is_empty() {
            b.push(Phase::Tables, Step::new(format!("{at} SET ({});", ddl::options_list(&c.options))).lock(Lock::Weak, table));
        }
    }
}

/// Constraints, indexes, FKs, triggers, policies, rules and statistics the target has on a
/// table both sides have (a new table's come with it), and the changes of paired ones.
fn create_parts(b: &mut Builder) {
    let tgt = b.tgt;
    let kept = |b: &Builder, table: &str| b.source_of("tables", table).is_some();
    let defs = std::mem::take(&mut b.tgt_x.constraint_defs);
    let mut backing: HashSet<String> = HashSet::new();
    let keys: Vec<(&str, &String, &String, &String, &String)> = tgt
        .constraints
        .pks
        .values()
        .map(|k| ("constraints.pks", &k.key, &k.table_key, &k.name, &k.index_key))
        .chain(tgt.constraints.uniques.values().map(|k| ("constraints.uniques", &k.key, &k.table_key, &k.name, &k.index_key)))
        .chain(tgt.constraints.exclusions.values().map(|x| ("constraints.exclusions", &x.key, &x.table_key, &x.name, &x.index_key)))
        .collect();
    for (section, ckey, table, name, index) in keys {
        backing.insert(index.clone());
        if b.source_of(section, ckey).is_some() || !kept(b, table) || b.tgt_x.inherited_constraints.contains(ckey) {
            continue;
        }
        let Some(def) = defs.get(ckey) else { continue };
        let name_q = quote_ident(name, b.kw);
        let partitioned = tgt.tables.get(table).is_some_and(|t| t.kind == "partitioned");
        let online_key = b.opts.online && section != "constraints.exclusions" && !partitioned;
        if let (true, Some(i)) = (online_key, tgt.indexes.get(index)) {
            let build = i.definition.replacen("INDEX ", "INDEX CONCURRENTLY ", 1);
            let step = Step::new(format!("{build};")).outside_transaction(format!("{};", i.definition)).hazard(hazard::INDEX_BUILD).lock(Lock::Weak, table).long();
            b.push(Phase::Constraints, step);
            let what = if section == "constraints.pks" { "PRIMARY KEY" } else { "UNIQUE" };
            let k = tgt.constraints.pks.get(ckey).or_else(|| tgt.constraints.uniques.get(ckey));
            let mut tail = String::new();
            if let Some(k) = k.filter(|k| k.deferrable) {
                tail.push_str(if k.initially_deferred { " DEFERRABLE INITIALLY DEFERRED" } else { " DEFERRABLE" });
            }
            let using = format!("ALTER TABLE {table} ADD CONSTRAINT {name_q} {what} USING INDEX {}{tail};", quote_ident(&i.name, b.kw));
            b.push(Phase::Constraints, Step::new(using).lock(Lock::Exclusive, table));
        } else {
            let step = Step::new(format!("ALTER TABLE {table} ADD CONSTRAINT {name_q} {def};")).hazard(hazard::INDEX_BUILD).lock(Lock::Exclusive, table).long();
            b.push(Phase::Constraints, step);
        }
    }
    for c in tgt.constraints.checks.values() {
        if b.source_of("constraints.checks", &c.key).is_some() {
            paired_check(b, c);
            continue;
        }
        if !kept(b, &c.table_key) || b.tgt_x.inherited_constraints.contains(&c.key) {
            continue;
        }
        let def = super::derived::check_def(c);
        let name = quote_ident(&c.name, b.kw);
        if b.opts.online && c.validated && !c.not_enforced {
            b.push(Phase::Constraints, Step::new(format!("ALTER TABLE {} ADD CONSTRAINT {name} {def} NOT VALID;", c.table_key)).lock(Lock::Exclusive, &c.table_key));
            b.push(Phase::Constraints, Step::new(format!("ALTER TABLE {} VALIDATE CONSTRAINT {name};", c.table_key)).hazard(hazard::VALIDATION_SCAN).lock(Lock::Weak, &c.table_key).long());
        } else {
            let mut step = Step::new(format!("ALTER TABLE {} ADD CONSTRAINT {name} {def};", c.table_key)).lock(Lock::Exclusive, &c.table_key);
            if c.validated && !c.not_enforced {
                step = step.hazard(hazard::VALIDATION_SCAN).long();
            }
            b.push(Phase::Constraints, step);
        }
    }
    for i in tgt.indexes.values() {
        if b.source_of("indexes", &i.key).is_some() {
            if let Some(from) = b.source_of("indexes", &i.key).cloned() {
                let s = &b.src.indexes[&from];
                if s.comment != i.comment {
                    let name = format!("{}.{}", quote_ident(&i.schema, b.kw), quote_ident(&i.name, b.kw));
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON INDEX {name} IS {};", comment(&i.comment))));
                }
            }
            continue;
        }
        if !kept(b, &i.table_key) || backing.contains(&i.key) || b.tgt_x.inherited_indexes.contains(&i.key) {
            continue;
        }
        let partitioned = tgt.tables.get(&i.table_key).is_some_and(|t| t.kind == "partitioned");
        // on a partitioned table the server prints ON ONLY (its partitions' indexes are
        // attached one by one); made here without it, the partitions get theirs at once
        let i = &crate::model::Index { definition: i.definition.replacen(" ON ONLY ", " ON ", 1), ..i.clone() };
        let step = if b.opts.online && !partitioned {
            let build = i.definition.replacen("INDEX ", "INDEX CONCURRENTLY ", 1);
            Step::new(format!("{build};")).outside_transaction(format!("{};", i.definition)).hazard(hazard::INDEX_BUILD).lock(Lock::Weak, &i.table_key).long()
        } else {
            Step::new(format!("{};", i.definition)).hazard(hazard::INDEX_BUILD).lock(Lock::Share, &i.table_key).long()
        };
        let view = tgt.tables.get(&i.table_key).is_some_and(is_view);
        b.push(if view { Phase::Views } else { Phase::Constraints }, step);
        if let Some(c) = &i.comment {
            b.push(Phase::TableParts, Step::new(format!("COMMENT ON INDEX {}.{} IS {};", quote_ident(&i.schema, b.kw), quote_ident(&i.name, b.kw), literal(c))));
        }
    }
    b.tgt_x.constraint_defs = defs;
    foreign_keys(b);
    other_parts(b);
    constraint_comments(b);
}

fn paired_check(b: &mut Builder, c: &crate::model::CheckConstraint) {
    let Some(from) = b.source_of("constraints.checks", &c.key).cloned() else { return };
    let s = &b.src.constraints.checks[&from];
    if !s.validated && c.validated && !b.tgt_x.inherited_constraints.contains(&c.key) {
        let step = Step::new(format!("ALTER TABLE {} VALIDATE CONSTRAINT {};", c.table_key, quote_ident(&c.name, b.kw))).hazard(hazard::VALIDATION_SCAN).lock(Lock::Weak, &c.table_key).long();
        b.push(Phase::Constraints, step);
    }
}

fn foreign_keys(b: &mut Builder) {
    let tgt = b.tgt;
    for r in tgt.relationships.values() {
        if b.tgt_x.inherited_constraints.contains(&r.constraint_key) {
            continue;
        }
        if let Some(from) = b.source_of("relationships", &r.key).cloned() {
            let s = &b.src.relationships[&from];
            if !s.validated && r.validated {
                let step = Step::new(format!("ALTER TABLE {} VALIDATE CONSTRAINT {};", r.child_key, quote_ident(&r.name, b.kw))).hazard(hazard::VALIDATION_SCAN).lock(Lock::Weak, &r.child_key).long();
                b.push(Phase::ForeignKeys, step);
            }
            continue;
        }
        let def = super::derived::fk_def(r, b.kw);
        let name = quote_ident(&r.name, b.kw);
        let existing = b.source_of("tables", &r.child_key).is_some();
        let partitioned = tgt.tables.get(&r.child_key).is_some_and(|t| t.kind == "partitioned");
        let can_defer_check = b.opts.online && existing && r.validated && !r.not_enforced && (!partitioned || b.opts.major >= 18);
        if can_defer_check {
            b.push(Phase::ForeignKeys, Step::new(format!("ALTER TABLE {} ADD CONSTRAINT {name} {def} NOT VALID;", r.child_key)).lock(Lock::Share, &r.child_key));
            b.push(Phase::ForeignKeys, Step::new(format!("ALTER TABLE {} VALIDATE CONSTRAINT {name};", r.child_key)).hazard(hazard::VALIDATION_SCAN).lock(Lock::Weak, &r.child_key).long());
        } else {
            let mut step = Step::new(format!("ALTER TABLE {} ADD CONSTRAINT {name} {def};", r.child_key)).lock(Lock::Share, &r.child_key);
            if existing && r.validated && !r.not_enforced {
                step = step.hazard(hazard::VALIDATION_SCAN).long();
            }
            b.push(Phase::ForeignKeys, step);
        }
        if let Some(c) = &r.comment {
            b.push(Phase::ForeignKeys, Step::new(format!("COMMENT ON CONSTRAINT {name} ON {} IS {};", r.child_key, literal(c))));
        }
    }
}

/// Triggers, policies, rules and statistics of kept tables: new ones made, paired ones'
/// comments and enabled states set.
fn other_parts(b: &mut Builder) {
    let tgt = b.tgt;
    let kept = |b: &Builder, table: &str| b.source_of("tables", table).is_some();
    for t in tgt.triggers.values() {
        let table_word = tgt.tables.get(&t.table_key).map(|x| relation_word(&x.kind)).unwrap_or("TABLE");
        let table_word = if table_word == "VIEW" || table_word == "MATERIALIZED VIEW" { "TABLE" } else { table_word };
        let name = quote_ident(&t.name, b.kw);
        match b.source_of("triggers", &t.key).cloned() {
            Some(from) => {
                let s = &b.src.triggers[&from];
                if s.enabled != t.enabled {
                    let state = ddl::enabled_state(&t.enabled).unwrap_or("ENABLE");
                    b.push(Phase::TableParts, Step::new(format!("ALTER {table_word} {} {state} TRIGGER {name};", t.table_key)).lock(Lock::Share, &t.table_key));
                }
                if s.comment != t.comment {
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON TRIGGER {name} ON {} IS {};", t.table_key, comment(&t.comment))));
                }
            }
            None if kept(b, &t.table_key) => {
                b.push(Phase::TableParts, Step::new(ddl::statement(&t.definition)).lock(Lock::Share, &t.table_key).hazard(hazard::UNTRACKED_DEPENDENCIES));
                if let Some(state) = ddl::enabled_state(&t.enabled) {
                    b.push(Phase::TableParts, Step::new(format!("ALTER {table_word} {} {state} TRIGGER {name};", t.table_key)).lock(Lock::Share, &t.table_key));
                }
                if let Some(c) = &t.comment {
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON TRIGGER {name} ON {} IS {};", t.table_key, literal(c))));
                }
            }
            None => {}
        }
    }
    for p in tgt.policies.values() {
        let name = quote_ident(&p.name, b.kw);
        match b.source_of("policies", &p.key).cloned() {
            Some(from) => {
                if b.src.policies[&from].comment != p.comment {
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON POLICY {name} ON {} IS {};", p.table_key, comment(&p.comment))));
                }
            }
            None if kept(b, &p.table_key) => {
                b.push(Phase::TableParts, Step::new(ddl::policy_ddl(p, &p.table_key, b.kw)).lock(Lock::Exclusive, &p.table_key).hazard(hazard::AUTHZ_UPDATE));
                if let Some(c) = &p.comment {
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON POLICY {name} ON {} IS {};", p.table_key, literal(c))));
                }
            }
            None => {}
        }
    }
    for r in tgt.rules.values() {
        let name = quote_ident(&r.name, b.kw);
        match b.source_of("rules", &r.key).cloned() {
            Some(from) => {
                let s = &b.src.rules[&from];
                if s.enabled != r.enabled {
                    let state = ddl::enabled_state(&r.enabled).unwrap_or("ENABLE");
                    b.push(Phase::TableParts, Step::new(format!("ALTER TABLE {} {state} RULE {name};", r.table_key)));
                }
                if s.comment != r.comment {
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON RULE {name} ON {} IS {};", r.table_key, comment(&r.comment))));
                }
            }
            // a new table's rules come with it (create_relations)
            None if kept(b, &r.table_key) => {
                let mut out = ddl::statement(&r.definition);
                if let Some(state) = ddl::enabled_state(&r.enabled) {
                    out.push_str(&format!("ALTER TABLE {} {state} RULE {name};\n", r.table_key));
                }
                if let Some(c) = &r.comment {
                    out.push_str(&format!("COMMENT ON RULE {name} ON {} IS {};\n", r.table_key, literal(c)));
                }
                b.push_sql(Phase::TableParts, &out);
            }
            None => {}
        }
    }
    for st in tgt.statistics.values() {
        match b.source_of("statistics", &st.key).cloned() {
            Some(from) => {
                let s = &b.src.statistics[&from];
                if s.statistics_target != st.statistics_target {
                    b.push(Phase::TableParts, Step::new(format!("ALTER STATISTICS {} SET STATISTICS {};", st.key, st.statistics_target.unwrap_or(-1))));
                }
                if s.comment != st.comment {
                    b.push(Phase::TableParts, Step::new(format!("COMMENT ON STATISTICS {} IS {};", st.key, comment(&st.comment))));
                }
                if s.owner != st.owner {
                    if let Some(o) = &st.owner {
                        b.push(Phase::TableParts, Step::new(format!("ALTER STATISTICS {} OWNER TO {};", st.key, quote_ident(o, b.kw))).hazard(hazard::AUTHZ_UPDATE));
                    }
                }
            }
            None if kept(b, &st.table_key) => {
                let mut out = ddl::statement(&st.definition);
                if let Some(target) = st.statistics_target {
                    out.push_str(&format!("ALTER STATISTICS {} SET STATISTICS {target};\n", st.key));
                }
                if let Some(c) = &st.comment {
                    out.push_str(&format!("COMMENT ON STATISTICS {} IS {};\n", st.key, literal(c)));
                }
                crate::grants::owner("STATISTICS", &st.key, st.owner.as_ref(), b.kw, &mut out);
                b.push_sql(Phase::TableParts, &out);
            }
            None => {}
        }
    }
}

/// Comments of paired constraints, and of new ones on kept tables.
fn constraint_comments(b: &mut Builder) {
    let tgt = b.tgt;
    let all = tgt
        .constraints
        .pks
        .values()
        .map(|k| ("constraints.pks", &k.key, &k.table_key, &k.name, &k.comment))
        .chain(tgt.constraints.uniques.values().map(|k| ("constraints.uniques", &k.key, &k.table_key, &k.name, &k.comment)))
        .chain(tgt.constraints.checks.values().map(|c| ("constraints.checks", &c.key, &c.table_key, &c.name, &c.comment)))
        .chain(tgt.constraints.exclusions.values().map(|x| ("constraints.exclusions", &x.key, &x.table_key, &x.name, &x.comment)));
    let mut out = Vec::new();
    for (section, key, table, name, c) in all {
        let before = match b.source_of(section, key) {
            Some(from) => crate::sections::section(&b.sv, section).and_then(|m| m.get(from)).and_then(|v| v.get("comment")).and_then(|v| v.as_str()).map(str::to_string),
            None if b.source_of("tables", table).is_some() => None,
            None => continue,
        };
        if before != *c {
            out.push(format!("COMMENT ON CONSTRAINT {} ON {table} IS {};", quote_ident(name, b.kw), comment(c)));
        }
    }
    for s in out {
        b.push(Phase::TableParts, Step::new(s));
    }
}
