//! SQL text as the planner needs to read it: split into statements, the qualified names it
//! mentions, and names replaced (a renamed table or column) without touching literals,
//! comments or anything else.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    Comment,
    /// An identifier or keyword, unquoted.
    Word,
    /// `"..."`.
    Quoted,
    /// `'...'`, `E'...'` or a dollar-quoted string.
    Literal,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// The tokens of `text`; an unterminated quote or comment runs to the end.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = text[i..].chars().next().unwrap_or(' ');
        let kind = if c.is_whitespace() {
            i += c.len_utf8();
            while let Some(n) = text[i..].chars().next().filter(|n| n.is_whitespace()) {
                i += n.len_utf8();
            }
            Kind::Space
        } else if text[i..].starts_with("--") {
            i = text[i..].find('\n').map(|p| i + p).unwrap_or(bytes.len());
            Kind::Comment
        } else if text[i..].starts_with("/*") {
            let mut depth = 0;
            while i < bytes.len() {
                if text[i..].starts_with("/*") {
                    depth += 1;
                    i += 2;
                } else if text[i..].starts_with("*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            Kind::Comment
        } else if c == '"' {
            i = quoted_end(bytes, i + 1, b'"', false);
            Kind::Quoted
        } else if c == '\'' {
            i = quoted_end(bytes, i + 1, b'\'', false);
            Kind::Literal
        } else if (c == 'E' || c == 'e') && bytes.get(i + 1) == Some(&b'\'') {
            i = quoted_end(bytes, i + 2, b'\'', true);
            Kind::Literal
        } else if c == '$' {
            match dollar_tag(&text[i..]) {
                Some(tag) => {
                    let body = i + tag.len();
                    i = text[body..].find(tag).map(|p| body + p + tag.len()).unwrap_or(bytes.len());
                    Kind::Literal
                }
                None => {
                    i += 1;
                    Kind::Other
                }
            }
        } else if is_word_start(c) {
            i += c.len_utf8();
            while let Some(n) = text[i..].chars().next().filter(|n| is_word_char(*n)) {
                i += n.len_utf8();
            }
            Kind::Word
        } else {
            i += c.len_utf8();
            Kind::Other
        };
        out.push(Token { kind, start, end: i });
    }
    out
}

/// Where a quoted token that opened before `from` ends (after its closing quote).
fn quoted_end(bytes: &[u8], mut from: usize, quote: u8, backslashes: bool) -> usize {
    while from < bytes.len() {
        let b = bytes[from];
        if backslashes && b == b'\\' {
            from += 2;
            continue;
        }
        if b == quote {
            if bytes.get(from + 1) == Some(&quote) {
                from += 2;
                continue;
            }
            return from + 1;
        }
        from += 1;
    }
    bytes.len()
}

/// `$tag$` at the start of `text`, if it opens a dollar-quoted string.
fn dollar_tag(text: &str) -> Option<&str> {
    let rest = &text[1..];
    let close = rest.find('$')?;
    let tag = &rest[..close];
    let valid = tag.chars().next().is_none_or(|c| is_word_start(c) && c != '$') && tag.chars().all(|c| is_word_char(c) && c != '$');
    valid.then(|| &text[..close + 2])
}

/// The name an identifier token stands for: a quoted one as written, a bare one folded to
/// lower case (ASCII letters, as the server folds them).
fn name_of(text: &str, t: &Token) -> String {
    let raw = &text[t.start..t.end];
    match t.kind {
        Kind::Quoted => raw.trim_start_matches('"').strip_suffix('"').unwrap_or(&raw[1..]).replace("\"\"", "\""),
        _ => raw.to_ascii_lowercase(),
    }
}

/// `text` cut into statements at each `;` outside quotes, comments and `BEGIN ATOMIC ...
/// END` bodies; each statement without leading comments, ending in `;`.
pub fn split_statements(text: &str) -> Vec<String> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut atomic_depth = 0usize;
    let mut previous_word = String::new();
    for t in &toks {
        match t.kind {
            Kind::Space | Kind::Comment if start.is_none() => continue,
            Kind::Word => {
                let word = text[t.start..t.end].to_ascii_lowercase();
                // CASE ... END nests inside a body as BEGIN ATOMIC ... END does
                let opens = (previous_word == "begin" && word == "atomic") || (atomic_depth > 0 && word == "case");
                if opens {
                    atomic_depth += 1;
                } else if atomic_depth > 0 && word == "end" {
                    atomic_depth -= 1;
                }
                previous_word = word;
            }
            _ => {}
        }
        let begin = *start.get_or_insert(t.start);
        if t.kind == Kind::Other && &text[t.start..t.end] == ";" && atomic_depth == 0 {
            out.push(text[begin..t.end].to_string());
            start = None;
        }
    }
    if let Some(begin) = start {
        let rest = text[begin..].trim_end();
        if !rest.is_empty() {
            out.push(format!("{rest};"));
        }
    }
    out
}

/// The identifiers of `text` as (position in the token list, name), words and quoted ones.
fn identifiers(text: &str, toks: &[Token]) -> Vec<Option<String>> {
    toks.iter().map(|t| matches!(t.kind, Kind::Word | Kind::Quoted).then(|| name_of(text, t))).collect()
}

/// The index of the next token after `i` that is not space or comment.
fn next_solid(toks: &[Token], i: usize) -> Option<usize> {
    (i + 1..toks.len()).find(|&j| !matches!(toks[j].kind, Kind::Space | Kind::Comment))
}

/// Every `a.b` the text names (schema and object), as names.
pub fn qualified_names(text: &str) -> Vec<(String, String)> {
    let toks = tokens(text);
    let names = identifiers(text, &toks);
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some(a) = &names[i] else { continue };
        let Some(dot) = next_solid(&toks, i).filter(|&d| &text[toks[d].start..toks[d].end] == ".") else { continue };
        let Some(b) = next_solid(&toks, dot).and_then(|j| names[j].clone()) else { continue };
        out.push((a.clone(), b));
    }
    out
}

/// The names to replace in a text: schemas (as the first part of a qualified name), objects
/// by (schema, name), and bare names (columns of the entry's table).
#[derive(Debug, Default, Clone)]
pub struct Renames {
    pub schemas: HashMap<String, String>,
    pub objects: HashMap<(String, String), (String, String)>,
    pub bare: HashMap<String, String>,
}

impl Renames {
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty() && self.objects.is_empty() && self.bare.is_empty()
    }
}

/// `text` with the names `renames` says replaced, each written as `quote_ident` writes it;
/// everything else as it was.
pub fn rename_in(text: &str, renames: &Renames, kw: &crate::ident::Keywords) -> String {
    if renames.is_empty() {
        return text.to_string();
    }
    let toks = tokens(text);
    let names = identifiers(text, &toks);
    let mut replaced: Vec<Option<String>> = vec![None; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        let Some(a) = &names[i] else {
            i += 1;
            continue;
        };
        let after_dot = (0..i).rev().find(|&p| !matches!(toks[p].kind, Kind::Space | Kind::Comment)).is_some_and(|p| &text[toks[p].start..toks[p].end] == ".");
        let dot = next_solid(&toks, i).filter(|&d| &text[toks[d].start..toks[d].end] == ".");
        let second = dot.and_then(|d| next_solid(&toks, d)).filter(|&j| names[j].is_some());
        if let (false, Some(j)) = (after_dot, second) {
            let b = names[j].clone().unwrap_or_default();
            if let Some((s, n)) = renames.objects.get(&(a.clone(), b.clone())) {
                replaced[i] = Some(crate::ident::quote_ident(s, kw));
                replaced[j] = Some(crate::ident::quote_ident(n, kw));
                i = j + 1;
                continue;
            }
            if let Some(s) = renames.schemas.get(a) {
                replaced[i] = Some(crate::ident::quote_ident(s, kw));
                i = j + 1;
                continue;
            }
        }
        if let Some(n) = renames.bare.get(a) {
            replaced[i] = Some(crate::ident::quote_ident(n, kw));
        }
        i += 1;
    }
    let mut out = String::with_capacity(text.len());
    for (t, r) in toks.iter().zip(replaced) {
        match r {
            Some(r) => out.push_str(&r),
            None => out.push_str(&text[t.start..t.end]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Keywords;

    #[test]
    fn statements_split_outside_quotes_and_atomic_bodies() {
        let text = "-- table \"a;b\"\nCREATE TABLE \"a;b\" (x text DEFAULT ';');\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $x$SELECT 1;$x$;\nCREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT CASE WHEN true THEN 1 END;\nEND;\nCOMMENT ON TABLE t IS E'it''s\\';'";
        let parts = split_statements(text);
        assert_eq!(parts.len(), 4, "{parts:#?}");
        assert_eq!(parts[0], "CREATE TABLE \"a;b\" (x text DEFAULT ';');");
        assert!(parts[1].ends_with("$x$;"));
        assert!(parts[2].starts_with("CREATE FUNCTION g()") && parts[2].ends_with("END;"), "{}", parts[2]);
        assert_eq!(parts[3], "COMMENT ON TABLE t IS E'it''s\\';';");
    }

    #[test]
    fn names_are_replaced_as_identifiers_only() {
        let kw = Keywords::postgres15();
        let mut r = Renames::default();
        r.objects.insert(("public".into(), "t1".into()), ("Sales Dept".into(), "Order Items".into()));
        r.schemas.insert("s2".into(), "ünï".into());
        r.bare.insert("c1".into(), "Mixed Case".into());
        let text = "SELECT t1.c1, 'c1', \"c1\" FROM public.t1 JOIN s2.x ON x.c1 = 1 -- c1";
        assert_eq!(
            rename_in(text, &r, &kw),
            "SELECT t1.\"Mixed Case\", 'c1', \"Mixed Case\" FROM \"Sales Dept\".\"Order Items\" JOIN \"ünï\".x ON x.\"Mixed Case\" = 1 -- c1"
        );
        assert_eq!(qualified_names("SELECT * FROM public.\"A.b\" a, \"S\" . t"), vec![("public".to_string(), "A.b".to_string()), ("S".to_string(), "t".to_string())]);
    }
}
