//! Identifier quoting exactly as PostgreSQL's `quote_ident()` does it.
//!
//! `quote_ident` leaves a name bare when it is all lower-case letters, digits and underscores,
//! does not start with a digit, and is not a keyword that needs quoting (anything but an
//! unreserved keyword). The keyword list depends on the server version, so it is passed in.

use std::collections::HashSet;

/// The keywords that force quoting (PostgreSQL's `pg_get_keywords()` with `catcode <> 'U'`).
#[derive(Debug, Clone, Default)]
pub struct Keywords(HashSet<String>);

impl Keywords {
    pub fn new<I: IntoIterator<Item = String>>(words: I) -> Self {
        Keywords(words.into_iter().collect())
    }

    /// The reserved, column-name and type/function-name keywords of PostgreSQL 15: enough for
    /// tests and for tools that render outside a server.
    pub fn postgres15() -> Self {
        Keywords::new(PG15_QUOTED_KEYWORDS.iter().map(|w| w.to_string()))
    }

    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// Renders `name` as `quote_ident(name)` would.
pub fn quote_ident(name: &str, keywords: &Keywords) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_quoted(&mut out, name, keywords);
    out
}

/// Appends `quote_ident(name)` to `out` without an intermediate allocation.
pub fn push_quoted(out: &mut String, name: &str, keywords: &Keywords) {
    if is_safe_bare(name, keywords) {
        out.push_str(name);
        return;
    }
    out.push('"');
    for ch in name.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
}

fn is_safe_bare(name: &str, keywords: &Keywords) -> bool {
    let mut bytes = name.bytes();
    match bytes.next() {
        Some(b) if b.is_ascii_lowercase() || b == b'_' => {}
        _ => return false,
    }
    if !bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return false;
    }
    !keywords.contains(name)
}

/// `name` in double quotes whatever it is: generated SQL that reads the same on every major,
/// whatever its keywords.
pub fn always_quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `quote_ident(a) || '.' || quote_ident(b)`: the key of a table, or of an enum, sequence...
pub fn qualified(schema: &str, name: &str, keywords: &Keywords) -> String {
    let mut out = String::with_capacity(schema.len() + name.len() + 5);
    push_quoted(&mut out, schema, keywords);
    out.push('.');
    push_quoted(&mut out, name, keywords);
    out
}

/// PostgreSQL 15's keywords whose category is not "unreserved".
const PG15_QUOTED_KEYWORDS: &[&str] = &[
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float",
    "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having",
    "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
    "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit",
    "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not",
    "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer",
    "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references",
    "returning", "right", "row", "select", "session_user", "setof", "similar", "smallint", "some",
    "substring", "symmetric", "table", "tablesample", "then", "time", "timestamp", "to",
    "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
    "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
    "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
    "xmlserialize", "xmltable",
];

/// The name the server gives a constraint it names itself, `name1_name2_label`, as
/// PostgreSQL's makeObjectName makes it: within 63 bytes, the longer of the two names
/// shortened first, never inside a character.
pub fn server_chosen_name(name1: &str, name2: &str, label: &str) -> String {
    const MAX_NAME_BYTES: usize = 63; // NAMEDATALEN - 1
    let available = MAX_NAME_BYTES.saturating_sub(label.len() + 2);
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > available {
        if n1 > n2 { n1 -= 1 } else { n2 -= 1 }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    format!("{}_{}_{label}", clip(name1, n1), clip(name2, n2))
}

/// `text` made safe inside an SQL comment (`-- ...` or `/* ... */`): a line break, any
/// other control character and the comment delimiters `*/` and `/*` are written as escapes, so
/// a name can never end the comment and become SQL.
pub fn comment_text(text: &str) -> String {
    comment_text_keeping(text, |c| !c.is_control() && c != '\u{2028}' && c != '\u{2029}')
}

/// `text` made safe inside a comment of SQL or of a language with the same comment forms
/// (C, Rust, TypeScript): line breaks and tabs as `\n`, `\r`, `\t`, `*/` and `/*` broken, and
/// every other character `keep` refuses as a `\u{..}` escape.
pub fn comment_text_keeping(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '*' if chars.peek() == Some(&'/') => out.push_str("*\\"),
            '/' if chars.peek() == Some(&'*') => out.push_str("/\\"),
            c if !keep(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The names of a qualified name (`public."Order Items"`), parsed as PostgreSQL parses one:
/// parts split at dots outside quotes, a quoted part taken as written (`""` is a quote), an
/// unquoted one folded to lower case (ASCII letters only, as the server does in UTF-8),
/// spaces around a part ignored. Err says what is wrong with the text.
pub fn split_qualified(text: &str) -> Result<Vec<String>, &'static str> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err("a quoted name is not closed"),
                }
            }
            if part.is_empty() {
                return Err("a quoted name is empty");
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' || c.is_whitespace() || c == '"' {
                    break;
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
            if part.is_empty() {
                return Err("a name is missing");
            }
        }
        parts.push(part);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Ok(parts),
            Some('.') => continue,
            Some(_) => return Err("names are joined by dots"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_quoted_names_double_their_quotes() {
        assert_eq!(always_quoted("a\"b"), "\"a\"\"b\"");
        assert_eq!(always_quoted("id"), "\"id\"");
    }

    #[test]
    fn qualified_names_split_as_postgresql_reads_them() {
        let ok = |t: &str| split_qualified(t).unwrap();
        assert_eq!(ok("public.users"), ["public", "users"]);
        assert_eq!(ok("Public.Users"), ["public", "users"]);
        assert_eq!(ok("shop.\"Order Items\""), ["shop", "Order Items"]);
        assert_eq!(ok("\"Audit.Log\".\"a\"\"b\""), ["Audit.Log", "a\"b"]);
        assert_eq!(ok(" public . t "), ["public", "t"]);
        assert_eq!(ok("customer"), ["customer"]);
        assert_eq!(ok("public.parent.id"), ["public", "parent", "id"]);
        assert_eq!(ok("\"ünï\".Café"), ["ünï", "café"]);
        for bad in ["", "public.", ".t", "\"open", "\"\".t", "a b", "a.\"b\"c"] {
            assert!(split_qualified(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_never_leave_a_comment() {
        let evil = "public.\"evil\nDROP SCHEMA victim CASCADE; --\"";
        let safe = comment_text(evil);
        assert!(!safe.contains('\n') && safe.contains("\\nDROP"), "{safe}");
        assert_eq!(comment_text("a */ b /* c\r\u{7}"), "a *\\/ b /\\* c\\r\\u{0007}");
        assert_eq!(comment_text("plain \"Name\" ünï"), "plain \"Name\" ünï");
    }

    #[test]
    fn quotes_like_postgres() {
        let kw = Keywords::postgres15();
        assert_eq!(quote_ident("users", &kw), "users");
        assert_eq!(quote_ident("_x1", &kw), "_x1");
        assert_eq!(quote_ident("Users", &kw), "\"Users\"");
        assert_eq!(quote_ident("1abc", &kw), "\"1abc\"");
        assert_eq!(quote_ident("a.b", &kw), "\"a.b\"");
        assert_eq!(quote_ident("say \"hi\"", &kw), "\"say \"\"hi\"\"\"");
        assert_eq!(quote_ident("order", &kw), "\"order\"");
        assert_eq!(quote_ident("user", &kw), "\"user\"");
        // unreserved keywords stay bare
        assert_eq!(quote_ident("name", &kw), "name");
        assert_eq!(quote_ident("action", &kw), "action");
        assert_eq!(quote_ident("café", &kw), "\"café\"");
        assert_eq!(quote_ident("", &kw), "\"\"");
        assert_eq!(qualified("public", "Order Items", &kw), "public.\"Order Items\"");
    }

    #[test]
    fn server_chosen_names_fit_in_63_bytes_as_the_server_cuts_them() {
        assert_eq!(super::server_chosen_name("orders", "placed_at", "not_null"), "orders_placed_at_not_null");
        // the longer name is cut first, down to what fits with the label
        let long = "t".repeat(60);
        let name = super::server_chosen_name(&long, "col", "not_null");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_col_not_null", "t".repeat(50)));
        // never inside a character: "é" is two bytes
        let accented = "é".repeat(40);
        let name = super::server_chosen_name(&accented, "c", "not_null");
        assert!(name.len() <= 63 && name.ends_with("_c_not_null") && name.starts_with('é'), "{name}");
    }
}
