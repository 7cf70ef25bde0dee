//! Deparsing each distinct expression once.
//!
//! `pg_get_expr()` on a CHECK constraint, an index predicate or a default costs a relation
//! open, a lock and a relcache entry per table (about 10 µs warm, much more in a new session).
//! A 5,000-table schema has thousands of expressions but only a handful of distinct ones: the
//! printed text depends only on the stored node tree (with its type, function and operator
//! oids) and on the names of the columns it reads. So expressions are grouped by their node
//! string, with parse locations removed and the names of the referenced columns added, and
//! the server prints one member per group.

/// The group of one stored expression (`pg_node_tree` as text), or None when it must be
/// printed on its own: it reads a whole row (the table name would appear), a column we cannot
/// name, or anything but the one table of its context.
pub fn group_key<'a>(node: &str, column_name: &dyn Fn(i16) -> Option<&'a str>) -> Option<String> {
    let mut key = String::with_capacity(node.len() + 32);
    let mut names: Vec<&str> = Vec::new();
    let mut rest = node;
    while let Some(pos) = rest.find(':') {
        key.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let word_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let word = &after[..word_len];
        let tail = &after[word_len..];
        let value_text = tail.trim_start_matches(' ');
        let value_len = value_text.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(value_text.len());
        let value: Option<i64> = value_text[..value_len].parse().ok();
        match (word, value) {
            ("location", Some(_)) => {
                // parse positions differ from table to table and never print
                rest = &value_text[value_len..];
                continue;
            }
            ("varattno" | "varattnosyn", Some(attnum)) => {
                if attnum <= 0 || attnum > i16::MAX as i64 {
                    return None;
                }
                names.push(column_name(attnum as i16)?);
            }
            ("varno" | "varnosyn", Some(varno)) if varno != 1 => return None,
            ("varlevelsup", Some(level)) if level != 0 => return None,
            _ => {}
        }
        key.push(':');
        rest = after;
    }
    key.push_str(rest);
    for name in names {
        key.push('\u{0}');
        key.push_str(name);
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK_T1: &str = "{OPEXPR :opno 1757 :opfuncid 1721 :opresulttype 16 :opretset false :opcollid 0 :inputcollid 0 :args ({VAR :varno 1 :varattno 4 :vartype 1700 :vartypmod 786438 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 4 :location 89} {CONST :consttype 1700 :consttypmod -1 :constcollid 0 :constlen -1 :constbyval false :constisnull false :location 99 :constvalue 8 [ 32 0 0 0 0 -128 0 0 ]}) :location 96}";

    #[test]
    fn same_tree_and_names_share_a_group() {
        let amount = |n: i16| (n == 4).then_some("amount");
        let other_positions = CHECK_T1.replace(":location 89", ":location 12").replace(":location 99", ":location 20");
        let a = group_key(CHECK_T1, &amount).unwrap();
        assert_eq!(a, group_key(&other_positions, &amount).unwrap());
        assert!(!a.contains("location"));
        // the same attnum under another name prints differently
        let renamed = |n: i16| (n == 4).then_some("total");
        assert_ne!(a, group_key(CHECK_T1, &renamed).unwrap());
        // a different constant is a different tree
        assert_ne!(a, group_key(&CHECK_T1.replace("-128 0 0", "-128 1 0"), &amount).unwrap());
    }

    #[test]
    fn whole_rows_unknown_columns_and_outer_references_stand_alone() {
        let any = |_: i16| Some("c");
        assert!(group_key(&CHECK_T1.replace(":varattno 4", ":varattno 0"), &any).is_none());
        assert!(group_key(CHECK_T1, &|_| None).is_none());
        assert!(group_key(&CHECK_T1.replace(":varno 1", ":varno 2"), &any).is_none());
        assert!(group_key(&CHECK_T1.replace(":varlevelsup 0", ":varlevelsup 1"), &any).is_none());
        // no column at all: one group for every table
        let now = "{FUNCEXPR :funcid 1299 :funcresulttype 1184 :funcretset false :funcvariadic false :funcformat 0 :funccollid 0 :inputcollid 0 :args <> :location 108}";
        assert_eq!(group_key(now, &|_| None), group_key(&now.replace("108", "7"), &|_| None));
    }
}
