//! CREATE statements for the objects that stand alone (not parts of a table): types,
//! sequences, collations, functions, operators, casts, foreign data wrappers and servers,
//! publications and event triggers; one function per object, so that a whole schema's
//! script and a migration plan write each the same way.

use crate::ddl::{enabled_state, literal, sequence_options, statement};
use crate::ident::{quote_ident, Keywords};
use crate::model::{Cast, Collation, Domain, Enum, EventTrigger, ForeignDataWrapper, ForeignServer, Function, Operator, OperatorClass, Publication, Sequence, Snapshot, UserType};
use std::fmt::Write;

/// `name=value` options as `OPTIONS (...)` takes them: `name 'value'`, each name quoted.
pub(crate) fn foreign_options(options: &[String], kw: &Keywords) -> String {
    let items: Vec<String> = options
        .iter()
        .map(|o| match o.split_once('=') {
            Some((name, value)) => format!("{} {}", quote_ident(name, kw), literal(value)),
            None => format!("{} ''", quote_ident(o, kw)),
        })
        .collect();
    items.join(", ")
}

/// `CREATE FOREIGN DATA WRAPPER`, with its handler, validator, options, comment and owner.
pub fn wrapper_ddl(w: &ForeignDataWrapper, kw: &Keywords) -> String {
    let mut line = format!("CREATE FOREIGN DATA WRAPPER {}", w.key);
    line.push_str(&w.handler.as_ref().map(|h| format!(" HANDLER {h}")).unwrap_or_else(|| " NO HANDLER".into()));
    line.push_str(&w.validator.as_ref().map(|v| format!(" VALIDATOR {v}")).unwrap_or_else(|| " NO VALIDATOR".into()));
    if !w.options.is_empty() {
        let _ = write!(line, " OPTIONS ({})", foreign_options(&w.options, kw));
    }
    let mut out = format!("{line};\n");
    if let Some(comment) = &w.comment {
        let _ = writeln!(out, "COMMENT ON FOREIGN DATA WRAPPER {} IS {};", w.key, literal(comment));
    }
    crate::grants::owner("FOREIGN DATA WRAPPER", &w.key, w.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE SERVER`: a redacted option is written as it reads, to be set by hand.
pub fn server_ddl(f: &ForeignServer, kw: &Keywords) -> String {
    let mut line = format!("CREATE SERVER {}", f.key);
    if let Some(t) = &f.server_type {
        let _ = write!(line, " TYPE {}", literal(t));
    }
    if let Some(v) = &f.version {
        let _ = write!(line, " VERSION {}", literal(v));
    }
    let _ = write!(line, " FOREIGN DATA WRAPPER {}", quote_ident(&f.wrapper, kw));
    if !f.options.is_empty() {
        let _ = write!(line, " OPTIONS ({})", foreign_options(&f.options, kw));
    }
    let mut out = format!("{line};\n");
    if let Some(comment) = &f.comment {
        let _ = writeln!(out, "COMMENT ON SERVER {} IS {};", f.key, literal(comment));
    }
    crate::grants::owner("SERVER", &f.key, f.owner.as_ref(), kw, &mut out);
    crate::grants::object_privileges(&format!("FOREIGN SERVER {}", f.key), f.privileges.as_ref(), f.owner.as_ref(), kw, &mut out);
    out
}

/// CREATE statements for the types and standalone sequences of a snapshot (what tables
/// depend on), enums and domains first.
pub fn types_ddl(snap: &Snapshot, kw: &Keywords) -> String {
    let mut out = String::new();
    snap.enums.values().for_each(|e| out.push_str(&enum_ddl(e, kw)));
    snap.domains.values().for_each(|d| out.push_str(&domain_ddl(d, kw)));
    snap.types.values().filter(|t| t.kind == "composite").for_each(|t| out.push_str(&composite_ddl(t, kw)));
    snap.sequences.values().filter(|s| s.owned_by.is_none()).for_each(|s| out.push_str(&sequence_ddl(s, kw)));
    out
}

/// `CREATE TYPE ... AS ENUM`, with its comment, owner and privileges.
pub fn enum_ddl(e: &Enum, kw: &Keywords) -> String {
    let mut out = String::new();
    let labels: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
    let _ = writeln!(out, "CREATE TYPE {} AS ENUM ({});", e.key, labels.join(", "));
    if let Some(comment) = &e.comment {
        let _ = writeln!(out, "COMMENT ON TYPE {} IS {};", e.key, literal(comment));
    }
    crate::grants::owner("TYPE", &e.key, e.owner.as_ref(), kw, &mut out);
    crate::grants::object_privileges(&format!("TYPE {}", e.key), e.privileges.as_ref(), e.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE DOMAIN`, with its checks, comment, owner and privileges.
pub fn domain_ddl(d: &Domain, kw: &Keywords) -> String {
    let mut out = String::new();
    let mut line = format!("CREATE DOMAIN {} AS {}", d.key, d.data_type);
    if let Some(collation) = &d.collation {
        let _ = write!(line, " COLLATE {collation}");
    }
    if let Some(default) = &d.default {
        let _ = write!(line, " DEFAULT {default}");
    }
    if d.not_null {
        line.push_str(" NOT NULL");
    }
    for (name, def) in &d.checks {
        let _ = write!(line, " CONSTRAINT {} {def}", quote_ident(name, kw));
    }
    let _ = writeln!(out, "{line};");
    if let Some(comment) = &d.comment {
        let _ = writeln!(out, "COMMENT ON DOMAIN {} IS {};", d.key, literal(comment));
    }
    crate::grants::owner("DOMAIN", &d.key, d.owner.as_ref(), kw, &mut out);
    crate::grants::object_privileges(&format!("DOMAIN {}", d.key), d.privileges.as_ref(), d.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE TYPE ... AS (...)`, a composite type.
pub fn composite_ddl(t: &UserType, kw: &Keywords) -> String {
    let mut out = String::new();
    let attributes: Vec<String> = t
        .attributes
        .iter()
        .map(|a| {
            let collate = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
            format!("{} {}{collate}", quote_ident(&a.name, kw), a.data_type)
        })
        .collect();
    let _ = writeln!(out, "CREATE TYPE {} AS ({});", t.key, attributes.join(", "));
    type_extras(t, kw, &mut out);
    out
}

/// A sequence no column owns, with its comment, owner and privileges.
pub fn sequence_ddl(s: &Sequence, kw: &Keywords) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "CREATE SEQUENCE {} {};", s.key, sequence_options(s));
    if let Some(comment) = &s.comment {
        let _ = writeln!(out, "COMMENT ON SEQUENCE {} IS {};", s.key, literal(comment));
    }
    crate::grants::owner("SEQUENCE", &s.key, s.owner.as_ref(), kw, &mut out);
    crate::grants::object_privileges(&format!("SEQUENCE {}", s.key), s.privileges.as_ref(), s.owner.as_ref(), kw, &mut out);
    out
}

/// A type's comment, owner and privileges.
fn type_extras(t: &UserType, kw: &Keywords, out: &mut String) {
    if let Some(comment) = &t.comment {
        let _ = writeln!(out, "COMMENT ON TYPE {} IS {};", t.key, literal(comment));
    }
    crate::grants::owner("TYPE", &t.key, t.owner.as_ref(), kw, out);
    crate::grants::object_privileges(&format!("TYPE {}", t.key), t.privileges.as_ref(), t.owner.as_ref(), kw, out);
}

/// Range types (after the functions: a range's subtype difference is one).
pub fn ranges_ddl(snap: &Snapshot, kw: &Keywords) -> String {
    snap.types.values().filter(|t| t.kind == "range").map(|t| range_ddl(t, kw)).collect()
}

/// `CREATE TYPE ... AS RANGE`.
pub fn range_ddl(t: &UserType, kw: &Keywords) -> String {
    let mut out = String::new();
    let mut options = vec![format!("SUBTYPE = {}", t.subtype.clone().unwrap_or_default())];
    let named = [
        ("SUBTYPE_OPCLASS", &t.subtype_opclass),
        ("COLLATION", &t.collation),
        ("SUBTYPE_DIFF", &t.subtype_diff),
        ("MULTIRANGE_TYPE_NAME", &t.multirange),
    ];
    options.extend(named.iter().filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} = {v}"))));
    let _ = writeln!(out, "CREATE TYPE {} AS RANGE ({});", t.key, options.join(", "));
    type_extras(t, kw, &mut out);
    out
}

/// Collations (before the types and tables that use them).
pub fn collations_ddl(snap: &Snapshot, kw: &Keywords) -> String {
    let mut out = String::new();
    for c in snap.collations.values() {
        out.push_str(&collation_ddl(c, kw));
    }
    out
}

pub fn collation_ddl(c: &Collation, kw: &Keywords) -> String {
    let mut out = String::new();
    let mut options = vec![format!("provider = {}", c.provider)];
    match c.provider.as_str() {
        "icu" | "builtin" => {
            options.extend(c.locale.as_ref().map(|l| format!("locale = {}", literal(l))));
            options.extend(c.icu_rules.as_ref().map(|r| format!("rules = {}", literal(r))));
        }
        _ => {
            options.extend(c.lc_collate.as_ref().map(|l| format!("lc_collate = {}", literal(l))));
            options.extend(c.lc_ctype.as_ref().map(|l| format!("lc_ctype = {}", literal(l))));
        }
    }
    if !c.deterministic {
        options.push("deterministic = false".into());
    }
    let _ = writeln!(out, "CREATE COLLATION {} ({});", c.key, options.join(", "));
    if let Some(comment) = &c.comment {
        let _ = writeln!(out, "COMMENT ON COLLATION {} IS {};", c.key, literal(comment));
    }
    crate::grants::owner("COLLATION", &c.key, c.owner.as_ref(), kw, &mut out);
    out
}

/// A function, procedure or aggregate: its definition, comment, owner and privileges.
pub fn function_ddl(f: &Function, kw: &Keywords) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- {} {}", f.kind, crate::ident::comment_text(&f.key));
    out.push_str(&statement(&f.definition));
    // an aggregate is named with its full signature (ORDER BY included); the rest by key
    let (what, name) = match f.kind.as_str() {
        "aggregate" => {
            let args = if f.identity_arguments.is_empty() { "*" } else { f.identity_arguments.as_str() };
            ("AGGREGATE", format!("{}.{}({args})", quote_ident(&f.schema, kw), quote_ident(&f.name, kw)))
        }
        "procedure" => ("PROCEDURE", f.key.clone()),
        _ => ("FUNCTION", f.key.clone()),
    };
    if let Some(comment) = &f.comment {
        let _ = writeln!(out, "COMMENT ON {what} {name} IS {};", literal(comment));
    }
    crate::grants::owner(what, &name, f.owner.as_ref(), kw, &mut out);
    crate::grants::object_privileges(&format!("ROUTINE {}", f.key), f.privileges.as_ref(), f.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE OPERATOR`: a commutator or negator not made yet is made as a shell by the server.
pub fn operator_ddl(o: &Operator, kw: &Keywords) -> String {
    let name = format!("{}.{}", quote_ident(&o.schema, kw), o.name);
    let mut options = vec![format!("FUNCTION = {}", o.function)];
    if let Some(left) = &o.left {
        options.push(format!("LEFTARG = {left}"));
    }
    options.push(format!("RIGHTARG = {}", o.right));
    for (what, value) in [("COMMUTATOR", &o.commutator), ("NEGATOR", &o.negator)] {
        if let Some(op) = value {
            options.push(format!("{what} = OPERATOR({op})"));
        }
    }
    for (what, value) in [("RESTRICT", &o.restrict), ("JOIN", &o.join)] {
        if let Some(f) = value {
            options.push(format!("{what} = {f}"));
        }
    }
    if o.hashes {
        options.push("HASHES".into());
    }
    if o.merges {
        options.push("MERGES".into());
    }
    let mut out = format!("CREATE OPERATOR {name} ({});\n", options.join(", "));
    let signature = format!("{name} ({}, {})", o.left.as_deref().unwrap_or("NONE"), o.right);
    if let Some(comment) = &o.comment {
        let _ = writeln!(out, "COMMENT ON OPERATOR {signature} IS {};", literal(comment));
    }
    crate::grants::owner("OPERATOR", &signature, o.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE OPERATOR CLASS` with its members (its family is made with it unless named).
pub fn operator_class_ddl(c: &OperatorClass, kw: &Keywords) -> String {
    let name = format!("{}.{}", quote_ident(&c.schema, kw), quote_ident(&c.name, kw));
    let mut out = String::new();
    if let Some(family) = &c.family {
        let _ = writeln!(
            out,
            "DO $lens$ BEGIN CREATE OPERATOR FAMILY {family} USING {}; EXCEPTION WHEN duplicate_object THEN NULL; END $lens$;",
            quote_ident(&c.method, kw)
        );
    }
    let default = if c.is_default { " DEFAULT" } else { "" };
    let family = c.family.as_ref().map(|f| format!(" FAMILY {f}")).unwrap_or_default();
    let mut items = c.members.clone();
    if let Some(storage) = &c.storage {
        items.push(format!("STORAGE {storage}"));
    }
    let _ = writeln!(out, "CREATE OPERATOR CLASS {name}{default} FOR TYPE {} USING {}{family} AS {};", c.data_type, quote_ident(&c.method, kw), items.join(", "));
    if let Some(comment) = &c.comment {
        let _ = writeln!(out, "COMMENT ON OPERATOR CLASS {} IS {};", c.key, literal(comment));
    }
    crate::grants::owner("OPERATOR CLASS", &c.key, c.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE CAST`, as its method and context say.
pub fn cast_ddl(c: &Cast) -> String {
    let how = match (c.method.as_str(), &c.function) {
        ("function", Some(f)) => format!("WITH FUNCTION {f}"),
        ("inout", _) => "WITH INOUT".to_string(),
        _ => "WITHOUT FUNCTION".to_string(),
    };
    let context = match c.context.as_str() {
        "assignment" => " AS ASSIGNMENT",
        "implicit" => " AS IMPLICIT",
        _ => "",
    };
    let mut out = format!("CREATE CAST {} {how}{context};\n", c.key);
    if let Some(comment) = &c.comment {
        let _ = writeln!(out, "COMMENT ON CAST {} IS {};", c.key, literal(comment));
    }
    out
}

/// `CREATE PUBLICATION`: its tables (with their columns and row filters) and schemas, what it
/// publishes, its owner and comment.
pub fn publication_ddl(p: &Publication, kw: &Keywords) -> String {
    let mut targets: Vec<String> = Vec::new();
    if p.all_tables {
        targets.push("ALL TABLES".to_string());
    } else {
        let tables: Vec<String> = p
            .tables
            .iter()
            .map(|(key, t)| {
                let columns = t.columns.as_ref().map(|c| format!(" ({})", c.iter().map(|n| quote_ident(n, kw)).collect::<Vec<_>>().join(", "))).unwrap_or_default();
                let filter = t.row_filter.as_ref().map(|f| format!(" WHERE ({f})")).unwrap_or_default();
                format!("{key}{columns}{filter}")
            })
            .collect();
        if !tables.is_empty() {
            targets.push(format!("TABLE {}", tables.join(", ")));
        }
        if !p.schemas.is_empty() {
            targets.push(format!("TABLES IN SCHEMA {}", p.schemas.iter().map(|s| quote_ident(s, kw)).collect::<Vec<_>>().join(", ")));
        }
    }
    let target = if targets.is_empty() { String::new() } else { format!(" FOR {}", targets.join(", ")) };
    let mut options = vec![format!("publish = {}", literal(&p.operations.join(", ")))];
    if p.via_root {
        options.push("publish_via_partition_root = true".into());
    }
    let mut out = format!("CREATE PUBLICATION {}{target} WITH ({});\n", p.key, options.join(", "));
    if let Some(comment) = &p.comment {
        let _ = writeln!(out, "COMMENT ON PUBLICATION {} IS {};", p.key, literal(comment));
    }
    crate::grants::owner("PUBLICATION", &p.key, p.owner.as_ref(), kw, &mut out);
    out
}

/// `CREATE EVENT TRIGGER`, with its enabled state, comment and owner.
pub fn event_trigger_ddl(t: &EventTrigger, kw: &Keywords) -> String {
    let tags = if t.tags.is_empty() { String::new() } else { format!(" WHEN TAG IN ({})", t.tags.iter().map(|x| literal(x)).collect::<Vec<_>>().join(", ")) };
    let mut out = format!("CREATE EVENT TRIGGER {} ON {}{tags} EXECUTE FUNCTION {}();\n", t.key, quote_ident(&t.event, kw), t.function);
    if let Some(state) = enabled_state(&t.enabled) {
        let _ = writeln!(out, "ALTER EVENT TRIGGER {} {state};", t.key);
    }
    if let Some(comment) = &t.comment {
        let _ = writeln!(out, "COMMENT ON EVENT TRIGGER {} IS {};", t.key, literal(comment));
    }
    crate::grants::owner("EVENT TRIGGER", &t.key, t.owner.as_ref(), kw, &mut out);
    out
}
