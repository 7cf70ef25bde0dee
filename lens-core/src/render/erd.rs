//! ER diagrams of a snapshot: Mermaid `erDiagram` and Graphviz DOT.
//!
//! Columns with their types and PK / FK / UK marks; one edge per FK, its cardinality from
//! uniqueness (the FK columns unique in the child: one to one, else one to many) and its
//! optionality from nullability (a nullable FK column: zero or one parent). With a focus
//! table, only the tables within `depth` FKs of it (either direction).
//!
//! Names are never trusted as syntax: entities get generated ids (`e1`, `e2`...) and carry
//! their names as labels, escaped for each format (Mermaid's `#quot;`-style entity codes,
//! DOT's escaped strings and HTML-like labels).

use crate::model::{Relationship, Snapshot, Table};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Mermaid,
    Dot,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "mermaid" => Some(Format::Mermaid),
            "dot" | "graphviz" => Some(Format::Dot),
            _ => None,
        }
    }
}

/// The tables drawn: all of them, or those within `depth` FKs of `focus`.
pub fn select_tables<'a>(snap: &'a Snapshot, focus: Option<&str>, depth: usize) -> Vec<&'a Table> {
    let Some(focus) = focus else {
        return snap.tables.values().filter(|t| t.has_rows()).collect();
    };
    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in snap.relationships.values() {
        neighbours.entry(r.child_key.as_str()).or_default().push(r.parent_key.as_str());
        neighbours.entry(r.parent_key.as_str()).or_default().push(r.child_key.as_str());
    }
    let mut seen: HashSet<&str> = HashSet::from([focus]);
    let mut queue = VecDeque::from([(focus, 0usize)]);
    while let Some((table, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for &next in neighbours.get(table).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(next) {
                queue.push_back((next, d + 1));
            }
        }
    }
    snap.tables.values().filter(|t| seen.contains(t.key.as_str()) && t.has_rows()).collect()
}

/// What an edge says: the child's side and the parent's side.
pub(crate) struct Cardinality {
    /// the FK columns are unique in the child: at most one child per parent
    pub(crate) one_to_one: bool,
    /// a nullable FK column: a child may have no parent
    pub(crate) optional: bool,
}

/// What the renderers look up per table, indexed once.
pub(crate) struct Lookup<'a> {
    /// (table key, column name) -> nullable
    nullable: HashMap<(&'a str, &'a str), bool>,
    /// table key -> its unique column sets (primary key and unique constraints), sorted
    unique_sets: HashMap<&'a str, Vec<Vec<&'a str>>>,
    /// table key -> column name -> PK / FK / UK
    marks: HashMap<&'a str, HashMap<&'a str, BTreeSet<&'static str>>>,
}

impl<'a> Lookup<'a> {
    pub(crate) fn new(snap: &'a Snapshot) -> Self {
        let nullable = snap.columns.values().map(|c| ((c.table_key.as_str(), c.name.as_str()), c.is_nullable)).collect();
        let mut unique_sets: HashMap<&str, Vec<Vec<&str>>> = HashMap::new();
        let mut marks: HashMap<&str, HashMap<&str, BTreeSet<&'static str>>> = HashMap::new();
        for (mark, keys) in [("PK", &snap.constraints.pks), ("UK", &snap.constraints.uniques)] {
            for k in keys.values() {
                let mut set: Vec<&str> = k.columns.iter().map(String::as_str).collect();
                set.sort();
                unique_sets.entry(k.table_key.as_str()).or_default().push(set);
                for c in &k.columns {
                    marks.entry(k.table_key.as_str()).or_default().entry(c.as_str()).or_default().insert(mark);
                }
            }
        }
        for r in snap.relationships.values() {
            for c in &r.child_cols {
                marks.entry(r.child_key.as_str()).or_default().entry(c.as_str()).or_default().insert("FK");
            }
        }
        Lookup { nullable, unique_sets, marks }
    }

    pub(crate) fn cardinality(&self, r: &Relationship) -> Cardinality {
        let mut fk: Vec<&str> = r.child_cols.iter().map(String::as_str).collect();
        fk.sort();
        let one_to_one = self.unique_sets.get(r.child_key.as_str()).is_some_and(|sets| sets.contains(&fk));
        let optional = r.child_cols.iter().any(|c| self.nullable.get(&(r.child_key.as_str(), c.as_str())).copied().unwrap_or(true));
        Cardinality { one_to_one, optional }
    }

    /// The marks of one column, joined with `sep`.
    pub(crate) fn marks_of(&self, table: &str, column: &str, sep: &str) -> String {
        self.marks.get(table).and_then(|m| m.get(column)).map(|m| m.iter().copied().collect::<Vec<_>>().join(sep)).unwrap_or_default()
    }
}

pub fn render(snap: &Snapshot, format: Format, focus: Option<&str>, depth: usize) -> String {
    let tables = select_tables(snap, focus, depth);
    let ids: BTreeMap<&str, String> = tables.iter().enumerate().map(|(n, t)| (t.key.as_str(), format!("e{}", n + 1))).collect();
    let mut columns: HashMap<&str, Vec<&crate::model::Column>> = HashMap::new();
    for c in snap.columns.values() {
        columns.entry(c.table_key.as_str()).or_default().push(c);
    }
    for list in columns.values_mut() {
        list.sort_by_key(|c| c.position);
    }
    let edges: Vec<&Relationship> =
        snap.relationships.values().filter(|r| ids.contains_key(r.child_key.as_str()) && ids.contains_key(r.parent_key.as_str())).collect();
    let lookup = Lookup::new(snap);
    match format {
        Format::Mermaid => mermaid(&lookup, &tables, &ids, &columns, &edges),
        Format::Dot => dot(&lookup, &tables, &ids, &columns, &edges),
    }
}

/// Text for a Mermaid quoted string: no `"`, `%`, backslash or line breaks, as entity codes.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '%' => out.push_str("#37;"),
            '\\' => out.push_str("#92;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' | '\u{0b}' | '\u{08}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid attribute token (type or name): letters, digits, `_`, `-`, `(`, `)`, `[`, `]`,
/// starting with a letter or `_`; anything else becomes `_` (the comment keeps the truth).
fn mermaid_token(s: &str) -> String {
    let mut out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '(' | ')' | '[' | ']') { c } else { '_' }).collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn label(t: &Table) -> String {
    format!("{}.{}", t.schema, t.name)
}

fn mermaid(
    lookup: &Lookup,
    tables: &[&Table],
    ids: &BTreeMap<&str, String>,
    columns: &HashMap<&str, Vec<&crate::model::Column>>,
    edges: &[&Relationship],
) -> String {
    let mut out = String::from("erDiagram\n");
    for t in tables {
        let _ = writeln!(out, "    {}[\"{}\"] {{", ids[t.key.as_str()], mermaid_text(&label(t)));
        for c in columns.get(t.key.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let ty = mermaid_token(&c.data_type);
            let name = mermaid_token(&c.name);
            let keys = lookup.marks_of(&t.key, &c.name, ", ");
            let mut line = format!("        {ty} {name}");
            if !keys.is_empty() {
                line.push(' ');
                line.push_str(&keys);
            }
            // the exact name and type, when the tokens could not carry them
            if ty != c.data_type || name != c.name || !c.is_nullable {
                let null = if c.is_nullable { "" } else { " not null" };
                let _ = write!(line, " \"{}: {}{null}\"", mermaid_text(&c.name), mermaid_text(&c.data_type));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for r in edges {
        let card = lookup.cardinality(r);
        // parent side first: exactly one parent (or zero or one when the FK is nullable)
        let parent = if card.optional { "|o" } else { "||" };
        let child = if card.one_to_one { "o|" } else { "o{" };
        let _ = writeln!(
            out,
            "    {} {parent}--{child} {} : \"{}\"",
            ids[r.parent_key.as_str()],
            ids[r.child_key.as_str()],
            mermaid_text(&format!("{} ({})", r.name, r.child_cols.join(", ")))
        );
    }
    out
}

/// A DOT escaped string's contents.
fn dot_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Text inside a DOT HTML-like label.
fn dot_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\n', " ")
}

fn dot(
    lookup: &Lookup,
    tables: &[&Table],
    ids: &BTreeMap<&str, String>,
    columns: &HashMap<&str, Vec<&crate::model::Column>>,
    edges: &[&Relationship],
) -> String {
    let mut out = String::from("digraph erd {\n    graph [rankdir=LR, fontname=\"Helvetica\"];\n    node [shape=plaintext, fontname=\"Helvetica\"];\n    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for t in tables {
        let _ = write!(
            out,
            "    {} [tooltip=\"{}\", label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\"><tr><td bgcolor=\"lightgrey\" colspan=\"2\"><b>{}</b></td></tr>",
            ids[t.key.as_str()],
            dot_string(&t.key),
            dot_html(&label(t))
        );
        for c in columns.get(t.key.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let keys = lookup.marks_of(&t.key, &c.name, ",");
            let name = if keys.is_empty() { dot_html(&c.name) } else { format!("{} ({keys})", dot_html(&c.name)) };
            let null = if c.is_nullable { "" } else { " not null" };
            let _ = write!(out, "<tr><td align=\"left\">{name}</td><td align=\"left\">{}{null}</td></tr>", dot_html(&c.data_type));
        }
        out.push_str("</table>>];\n");
    }
    for r in edges {
        let card = lookup.cardinality(r);
        let head = if card.optional { "teeodot" } else { "teetee" };
        let tail = if card.one_to_one { "teeodot" } else { "crowodot" };
        let _ = writeln!(
            out,
            "    {} -> {} [label=\"{}\", arrowhead={head}, arrowtail={tail}, dir=both];",
            ids[r.child_key.as_str()],
            ids[r.parent_key.as_str()],
            dot_string(&r.name)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn snap() -> Snapshot {
        let mut s = Snapshot::default();
        for (key, schema, name) in [("shop.\"Order Items\"", "shop", "Order Items"), ("shop.orders", "shop", "orders"), ("x.\"we\"\"ird\"", "x", "we\"ird")] {
            s.tables.insert(key.into(), Table { key: key.into(), schema: schema.into(), name: name.into(), kind: "table".into(), ..Default::default() });
        }
        let col = |t: &str, n: &str, ty: &str, pos: i64, nullable: bool| Column {
            key: format!("{t}.{n}"), table_key: t.into(), name: n.into(), data_type: ty.into(), position: pos, is_nullable: nullable, ..Default::default()
        };
        for c in [
            col("shop.orders", "id", "bigint", 1, false),
            col("shop.\"Order Items\"", "order id", "bigint", 1, false),
            col("shop.\"Order Items\"", "price", "numeric(10,2)", 2, true),
            col("x.\"we\"\"ird\"", "order_id", "bigint", 1, true),
        ] {
            s.columns.insert(c.key.clone(), c);
        }
        s.constraints.pks.insert("shop.orders:pk".into(), KeyConstraint { key: "shop.orders:pk".into(), table_key: "shop.orders".into(), columns: vec!["id".into()], ..Default::default() });
        s.constraints.uniques.insert("x:u".into(), KeyConstraint { key: "x:u".into(), table_key: "x.\"we\"\"ird\"".into(), columns: vec!["order_id".into()], ..Default::default() });
        for (child, col, name) in [("shop.\"Order Items\"", "order id", "items → order"), ("x.\"we\"\"ird\"", "order_id", "w\"fk")] {
            let key = format!("{child}({col}) -> shop.orders(id)");
            s.relationships.insert(key.clone(), Relationship {
                key, name: name.into(), child_key: child.into(), child_cols: vec![col.into()], parent_key: "shop.orders".into(),
                parent_cols: vec!["id".into()], on_delete: "CASCADE".into(), ..Default::default()
            });
        }
        s
    }

    #[test]
    fn mermaid_names_are_labels_and_edges_say_cardinality() {
        let text = render(&snap(), Format::Mermaid, None, 1);
        assert!(text.starts_with("erDiagram\n"));
        assert!(text.contains("e1[\"shop.Order Items\"] {"), "{text}");
        assert!(text.contains("e3[\"x.we#quot;ird\"] {"), "{text}");
        assert!(text.contains("bigint order_id FK \"order id: bigint not null\""), "{text}");
        assert!(text.contains("numeric(10_2) price \"price: numeric(10,2)\""), "{text}");
        // non-null FK column: exactly one parent; not unique: many children
        assert!(text.contains("e2 ||--o{ e1 : \"items → order (order id)\""), "{text}");
        // nullable and unique: zero or one parent, at most one child
        assert!(text.contains("e2 |o--o| e3 : \"w#quot;fk (order_id)\""), "{text}");
    }

    #[test]
    fn dot_escapes_and_focus_limits() {
        let text = render(&snap(), Format::Dot, None, 1);
        assert!(text.contains("tooltip=\"x.\\\"we\\\"\\\"ird\\\"\""), "{text}");
        assert!(text.contains("<b>x.we&quot;ird</b>"), "{text}");
        assert!(text.contains("e3 -> e2 [label=\"w\\\"fk\""), "{text}");
        let focused = render(&snap(), Format::Mermaid, Some("shop.\"Order Items\""), 1);
        assert!(focused.contains("shop.orders") && !focused.contains("we#quot;ird"), "{focused}");
        let wider = render(&snap(), Format::Mermaid, Some("shop.\"Order Items\""), 2);
        assert!(wider.contains("we#quot;ird"));
    }
}
