//! Index definitions printed without asking the server, where that is exact.
//!
//! `pg_get_indexdef()` costs about 20 µs per index (it scans `pg_opclass` for every column to
//! learn whether the operator class is the default one), which alone would take 0.3 s on a
//! 5,000-table schema. For the indexes that make up nearly every real schema (plain columns,
//! default operator class and collation, no storage or opclass options) this module prints
//! exactly what `pg_get_indexdef(oid)` prints. Anything else is left to the server.

use crate::catalog::{Oid, RawColumn, RawIndex};
use crate::ident::{push_quoted, Keywords};
use std::collections::HashMap;

const INDOPTION_DESC: i16 = 0x0001;
const INDOPTION_NULLS_FIRST: i16 = 0x0002;

/// What `pg_get_indexdef(oid)` and `pg_get_indexdef(oid, k, true)` print.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedIndex {
    pub definition: String,
    pub columns: Vec<String>,
    pub include: Vec<String>,
}

/// The table an index belongs to, and a way to find its columns.
pub struct IndexedTable<'a> {
    pub schema: &'a str,
    pub name: &'a str,
    pub column: &'a dyn Fn(i16) -> Option<&'a RawColumn>,
}

/// Prints the definition of `index`, or `None` when only the server can print it exactly.
pub fn print_index(
    index: &RawIndex,
    table: &IndexedTable<'_>,
    default_opclasses: &HashMap<(Oid, Oid), Oid>,
    keywords: &Keywords,
) -> Option<PrintedIndex> {
    if index.needs_server_def || index.nkeyatts > index.indkey.len() {
        return None;
    }
    // Only btree prints ordering options; the other built-in methods print none.
    let can_order = match index.method.as_str() {
        "btree" => true,
        "hash" | "gist" | "gin" | "spgist" | "brin" => false,
        _ => return None,
    };
    let mut columns = Vec::with_capacity(index.nkeyatts);
    let mut include = Vec::new();
    for (k, &attnum) in index.indkey.iter().enumerate() {
        let column = (table.column)(attnum)?; // attnum 0 is an expression
        let mut printed = String::new();
        push_quoted(&mut printed, &column.name, keywords);
        if k >= index.nkeyatts {
            include.push(printed);
            continue;
        }
        let collation = *index.indcollation.get(k)?;
        if collation != 0 && collation != column.collation {
            return None;
        }
        let opclass = *index.indclass.get(k)?;
        if default_opclasses.get(&(index.method_oid, column.type_oid)) != Some(&opclass) {
            return None;
        }
        let option = index.indoption.get(k).copied().unwrap_or(0);
        if can_order {
            if option & INDOPTION_DESC != 0 {
                printed.push_str(" DESC");
                if option & INDOPTION_NULLS_FIRST == 0 {
                    printed.push_str(" NULLS LAST");
                }
            } else if option & INDOPTION_NULLS_FIRST != 0 {
                printed.push_str(" NULLS FIRST");
            }
        }
        columns.push(printed);
    }

    let mut def = String::with_capacity(96);
    def.push_str(if index.is_unique { "CREATE UNIQUE INDEX " } else { "CREATE INDEX " });
    push_quoted(&mut def, &index.name, keywords);
    def.push_str(" ON ");
    if index.relkind == "I" {
        def.push_str("ONLY ");
    }
    push_quoted(&mut def, table.schema, keywords);
    def.push('.');
    push_quoted(&mut def, table.name, keywords);
    def.push_str(" USING ");
    push_quoted(&mut def, &index.method, keywords);
    def.push_str(" (");
    def.push_str(&columns.join(", "));
    if !include.is_empty() {
        def.push_str(") INCLUDE (");
        def.push_str(&include.join(", "));
    }
    def.push(')');
    if index.nulls_not_distinct {
        def.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(predicate) = &index.predicate {
        def.push_str(" WHERE ");
        def.push_str(predicate);
    }
    // Key columns print bare in `pg_get_indexdef(oid, k, true)`: no DESC, no NULLS.
    let bare_columns = index.indkey[..index.nkeyatts]
        .iter()
        .map(|&attnum| (table.column)(attnum).map(|c| crate::ident::quote_ident(&c.name, keywords)))
        .collect::<Option<Vec<_>>>()?;
    Some(PrintedIndex { definition: def, columns: bare_columns, include })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, type_oid: Oid, collation: Oid) -> RawColumn {
        RawColumn { name: name.into(), type_oid, collation, ..Default::default() }
    }

    fn btree(name: &str, indkey: Vec<i16>, nkey: usize) -> RawIndex {
        let n = indkey.len();
        RawIndex {
            name: name.into(),
            relkind: "i".into(),
            method: "btree".into(),
            method_oid: 403,
            nkeyatts: nkey,
            indkey,
            indoption: vec![0; n],
            indclass: vec![1; n],
            indcollation: vec![0; n],
            ..Default::default()
        }
    }

    #[test]
    fn prints_like_pg_get_indexdef() {
        let cols = [col("id", 20, 0), col("Created At", 1184, 0), col("note", 25, 100)];
        let lookup = |n: i16| cols.get((n - 1) as usize);
        let table = IndexedTable { schema: "app", name: "order", column: &lookup };
        let mut opc = HashMap::new();
        opc.insert((403, 20), 1);
        opc.insert((403, 1184), 1);
        opc.insert((403, 25), 1);
        let kw = Keywords::postgres15();

        let mut idx = btree("t_created", vec![2, 1, 3], 2);
        idx.indoption = vec![INDOPTION_DESC, INDOPTION_NULLS_FIRST, 0];
        idx.predicate = Some("(id > 0)".into());
        let printed = print_index(&idx, &table, &opc, &kw).unwrap();
        assert_eq!(
            printed.definition,
            "CREATE INDEX t_created ON app.\"order\" USING btree (\"Created At\" DESC NULLS LAST, id NULLS FIRST) INCLUDE (note) WHERE (id > 0)"
        );
        assert_eq!(printed.columns, vec!["\"Created At\"", "id"]);
        assert_eq!(printed.include, vec!["note"]);

        // a non-default operator class, an expression or a collation goes to the server
        let mut other_opclass = btree("x", vec![1], 1);
        other_opclass.indclass = vec![2];
        assert!(print_index(&other_opclass, &table, &opc, &kw).is_none());
        assert!(print_index(&btree("x", vec![0], 1), &table, &opc, &kw).is_none());
        let mut collated = btree("x", vec![3], 1);
        collated.indcollation = vec![950];
        assert!(print_index(&collated, &table, &opc, &kw).is_none());
        let mut custom_am = btree("x", vec![1], 1);
        custom_am.method = "bloom".into();
        assert!(print_index(&custom_am, &table, &opc, &kw).is_none());
    }
}
