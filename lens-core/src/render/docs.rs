//! A git-friendly documentation tree of a snapshot (seed 003): `_index.md`,
//! `_table_list.txt`, and per table `<key>.sql` (its DDL) and `<key>.md` (columns, keys,
//! references in and out, indexes, risk). The same schema always gives the same bytes: no
//! clock, every list sorted.

use crate::ddl::{of, table_ddl_with, ByTable, Extras};
use crate::ident::Keywords;
use crate::model::{Function, Privileges, Relationship, Snapshot, Table};
use crate::risk::Graph;
use std::collections::BTreeMap;
use std::fmt::Write;

/// What history says of each table since the previous docs capture.
#[derive(Debug, Default, Clone)]
pub struct History {
    /// tables created (or renamed to) since: key -> drift id
    pub new: BTreeMap<String, i64>,
    /// tables dropped (or renamed away) since and gone now: key -> drift id
    pub orphaned: BTreeMap<String, i64>,
}

/// A file name for a table key: the key (quoted as quote_ident() does, so two tables never
/// share one) with what file systems or shells choke on percent-encoded.
pub fn file_stem(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for ch in key.chars() {
        let unsafe_char = matches!(ch, '/' | '\\' | '%' | '"' | ':' | '*' | '?' | '<' | '>' | '|' | '\'' | '`' | '$' | '&' | ' ') || ch.is_control();
        if unsafe_char {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(ch);
        }
    }
    if out.starts_with('.') {
        out.replace_range(0..1, "%2E");
    }
    out
}

/// A link to a file named `stem` + `suffix`: percent signs in the name are literal.
fn link(stem: &str, suffix: &str) -> String {
    format!("{}{suffix}", stem.replace('%', "%25"))
}

pub(crate) fn pretty_bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 10240.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", value.round() as i64, UNITS[unit])
}

/// Markdown table cell text: pipes and line breaks escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// References listed by relKey (the DDL lists FKs by name).
fn by_key<'a>(refs: &[&'a Relationship]) -> Vec<&'a Relationship> {
    let mut refs = refs.to_vec();
    refs.sort_by(|a, b| a.key.cmp(&b.key));
    refs
}

/// The documentation tree of the tables of `schemas` (None: all) in `snap`: (path,
/// content), sorted by path. The snapshot should hold every schema, so that risk counts FKs
/// from elsewhere.
pub fn render(snap: &Snapshot, schemas: Option<&[String]>, extras: &Extras, kw: &Keywords, history: &History) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    let by = ByTable::new(snap);
    let graph = Graph::new(snap);
    let wanted = |t: &Table| schemas.map_or(true, |s| s.contains(&t.schema));
    let tables: Vec<&Table> = snap.tables.values().filter(|t| t.has_rows() && wanted(t)).collect();

    // _index.md
    // the same words with or without a previous capture: an unchanged schema, unchanged bytes
    let mut index = String::from("# Schema\n\nStatus: `new` = created since the previous docs capture, `current` = already there; tables dropped since are listed under Orphaned.\n\n");
    index.push_str("| table | kind | columns | rows (estimate) | size | status |\n|---|---|---|---|---|---|\n");
    for t in &tables {
        let status = if history.new.contains_key(&t.key) { "new" } else { "current" };
        let rows = if t.row_estimate < 0 { "unknown".to_string() } else { t.row_estimate.to_string() };
        let _ = writeln!(
            index,
            "| [{}]({}) | {} | {} | {} | {} | {} |",
            cell(&t.key),
            link(&file_stem(&t.key), ".md"),
            t.kind.replace('_', " "),
            of(&by.columns, &t.key).len(),
            rows,
            pretty_bytes(t.total_bytes),
            status
        );
    }
    if !history.orphaned.is_empty() {
        index.push_str("\n## Orphaned\n\nDropped (or renamed away) since the previous docs capture; their files are left until pruned.\n\n");
        for (key, id) in &history.orphaned {
            let _ = writeln!(index, "- {} (lens_drift id {id}): {}.sql, {}.md", cell(key), file_stem(key), file_stem(key));
        }
    }
    let functions: Vec<&Function> = snap.functions.values().filter(|f| schemas.map_or(true, |s| s.contains(&f.schema))).collect();
    if !functions.is_empty() {
        index.push_str("\n## Functions\n\n| function | kind | returns | language |\n|---|---|---|---|\n");
        for f in &functions {
            let _ = writeln!(
                index,
                "| [{}]({}) | {} | {} | {} |",
                cell(&f.key),
                link(&file_stem(&f.key), ".function.md"),
                f.kind,
                cell(f.returns.as_deref().unwrap_or("")),
                cell(&f.language)
            );
        }
    }
    files.push(("_index.md".into(), index));
    files.push(("_table_list.txt".into(), tables.iter().map(|t| format!("{}\n", t.key)).collect()));
    for f in &functions {
        files.push((format!("{}.function.md", file_stem(&f.key)), function_page(f)));
    }

    for t in &tables {
        let stem = file_stem(&t.key);
        files.push((format!("{stem}.sql"), table_ddl_with(&by, &t.key, extras, kw).unwrap_or_default()));
        let mut md = format!("# {}\n\n", t.key);
        let _ = writeln!(md, "{}{}\n", t.kind.replace('_', " "), t.partition_of.as_ref().map(|p| format!(", partition of {p} {}", t.partition_bound.clone().unwrap_or_default())).unwrap_or_default());
        if let Some(comment) = &t.comment {
            let _ = writeln!(md, "{comment}\n");
        }
        md.push_str("## Columns\n\n| # | column | type | null | default | comment |\n|---|---|---|---|---|---|\n");
        for c in of(&by.columns, &t.key) {
            let default = c.default.clone().or_else(|| c.generated.as_ref().map(|g| format!("generated: {g}"))).or_else(|| c.identity.as_ref().map(|i| format!("identity {i}"))).unwrap_or_default();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                c.position,
                cell(&c.name),
                cell(&c.data_type),
                if c.is_nullable { "yes" } else { "no" },
                cell(&default),
                cell(c.comment.as_deref().unwrap_or(""))
            );
        }
        let keys: Vec<String> = by.pks.get(t.key.as_str()).into_iter().flatten().map(|k| format!("- primary key {} ({})", k.name, k.columns.join(", ")))
            .chain(by.uniques.get(t.key.as_str()).into_iter().flatten().map(|k| format!("- unique {} ({})", k.name, k.columns.join(", "))))
            .collect();
        if !keys.is_empty() {
            let _ = writeln!(md, "\n## Keys\n\n{}", keys.join("\n"));
        }
        let out_refs = by_key(of(&by.fks_out, &t.key));
        if !out_refs.is_empty() {
            md.push_str("\n## References out\n\n");
            for r in out_refs {
                let _ = writeln!(md, "- ({}) -> [{}]({}) ({}), on delete {}", r.child_cols.join(", "), r.parent_key, link(&file_stem(&r.parent_key), ".md"), r.parent_cols.join(", "), r.on_delete);
            }
        }
        let in_refs = by_key(of(&by.fks_in, &t.key));
        if !in_refs.is_empty() {
            md.push_str("\n## References in\n\n");
            for r in in_refs {
                let _ = writeln!(md, "- [{}]({}) ({}) -> ({}), on delete {}", r.child_key, link(&file_stem(&r.child_key), ".md"), r.child_cols.join(", "), r.parent_cols.join(", "), r.on_delete);
            }
        }
        let idx = of(&by.indexes, &t.key);
        if !idx.is_empty() {
            md.push_str("\n## Indexes\n\n");
            for i in idx {
                let _ = writeln!(md, "- `{}`", i.definition);
            }
        }
        privileges_part(&mut md, t.owner.as_deref(), t.privileges.as_ref(), &of(&by.columns, &t.key).iter().filter_map(|c| Some((c.name.as_str(), c.privileges.as_ref()?))).collect::<Vec<_>>());
        if matches!(t.kind.as_str(), "table" | "partitioned" | "foreign_table") {
            let risk = graph.risk(&t.key);
            let _ = writeln!(md, "\n## Risk\n\n{} ({}/100): {}", risk.level, risk.score, risk.reasons.join("; "));
        }
        files.push((format!("{stem}.md"), md));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Who owns an object and who may do what with it: its own privileges, and its columns'.
fn privileges_part(md: &mut String, owner: Option<&str>, privileges: Option<&Privileges>, columns: &[(&str, &Privileges)]) {
    if owner.is_none() && privileges.is_none() && columns.is_empty() {
        return;
    }
    md.push_str("\n## Owner and privileges\n\n");
    if let Some(owner) = owner {
        let _ = writeln!(md, "Owner: {}\n", cell(owner));
    }
    match privileges {
        None => md.push_str("Privileges: the defaults (the owner's).\n"),
        Some(p) if p.is_empty() => md.push_str("Privileges: none (all revoked).\n"),
        Some(p) => {
            md.push_str("| grantee | privileges |\n|---|---|\n");
            for (grantee, list) in p {
                let _ = writeln!(md, "| {} | {} |", cell(grantee), cell(&list.join(", ")));
            }
        }
    }
    if !columns.is_empty() {
        md.push_str("\n| column | grantee | privileges |\n|---|---|---|\n");
        for (column, p) in columns {
            for (grantee, list) in p.iter() {
                let _ = writeln!(md, "| {} | {} | {} |", cell(column), cell(grantee), cell(&list.join(", ")));
            }
        }
    }
}

/// A fenced code block that no backtick run of `text` can close early.
fn code_block(text: &str, lang: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", text.trim_end())
}

/// A function's page: what it is, how it behaves, who may call it, its definition.
fn function_page(f: &Function) -> String {
    let mut md = format!("# {}\n\n", f.key);
    let _ = writeln!(md, "{} in {}{}\n", f.kind, f.language, f.returns.as_ref().map(|r| format!(", returns {r}")).unwrap_or_default());
    if let Some(comment) = &f.comment {
        let _ = writeln!(md, "{comment}\n");
    }
    md.push_str("| property | value |\n|---|---|\n");
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    for (name, value) in [
        ("arguments", cell(&f.arguments)),
        ("volatility", f.volatility.clone()),
        ("strict", yes_no(f.strict).to_string()),
        ("security definer", yes_no(f.security_definer).to_string()),
        ("leakproof", yes_no(f.leakproof).to_string()),
        ("parallel", f.parallel.clone()),
        ("cost", f.cost.to_string()),
        ("rows", f.rows.to_string()),
        ("settings", cell(&f.config.join(", "))),
    ] {
        let _ = writeln!(md, "| {name} | {value} |");
    }
    privileges_part(&mut md, f.owner.as_deref(), f.privileges.as_ref(), &[]);
    md.push_str("\n## Definition\n\n");
    md.push_str(&code_block(&f.definition, "sql"));
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_never_collide_and_stay_safe() {
        assert_eq!(file_stem("public.users"), "public.users");
        assert_eq!(file_stem("\"a.b\".c"), "%22a.b%22.c");
        assert_ne!(file_stem("\"a.b\".c"), file_stem("a.\"b.c\""));
        assert_eq!(file_stem("shop.\"x/y\""), "shop.%22x%2Fy%22");
        assert_eq!(file_stem("\"ünï\".café"), "%22ünï%22.café");
        assert_eq!(link("%22a%22.b", ".md"), "%2522a%2522.b.md");
        assert_eq!(pretty_bytes(8192), "8192 bytes");
        assert_eq!(pretty_bytes(16384), "16 kB");
    }

    #[test]
    fn a_function_page_keeps_its_definition_whole() {
        let f = Function {
            key: "public.f()".into(),
            kind: "function".into(),
            language: "sql".into(),
            definition: "CREATE FUNCTION f() ... $$ SELECT '```' $$".into(),
            owner: Some("app".into()),
            ..Default::default()
        };
        let page = function_page(&f);
        assert!(page.contains("\n````sql\nCREATE FUNCTION f() ... $$ SELECT '```' $$\n````\n"), "{page}");
        assert!(page.contains("Owner: app") && page.contains("Privileges: the defaults"), "{page}");
    }
}
