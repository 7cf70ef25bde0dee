//! Names and text put into generated source: string literals and comments that no name can
//! leave. Letters of any script stay readable; control, format and bidirectional characters
//! and other non-ASCII symbols are written as escapes (in Rust a bidirectional character in a
//! literal or comment is a compile error, in any language a way to hide code).

/// Whether `c` is written as it is inside a literal or comment.
fn plain(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_control()) || (!c.is_ascii() && c.is_alphanumeric())
}

/// `text` in double quotes: quotes, backslashes and the common controls escaped, what is not
/// plain written by `escape`.
fn quoted(text: &str, escape: impl Fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if plain(c) => out.push(c),
            c => escape(c, &mut out),
        }
    }
    out.push('"');
    out
}

/// A JavaScript / TypeScript string literal (`"..."`), UTF-16 escapes for the rest.
pub fn js_string(text: &str) -> String {
    quoted(text, |c, out| {
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            out.push_str(&format!("\\u{unit:04x}"));
        }
    })
}

/// A Rust string literal (`"..."`).
pub fn rust_string(text: &str) -> String {
    quoted(text, |c, out| out.push_str(&format!("\\u{{{:x}}}", c as u32)))
}

/// `text` inside a `//`, `///` or `/* */` comment of one line: line breaks and other
/// characters that are not plain as `\u{..}` escapes, `*/` and `/*` broken.
pub fn comment(text: &str) -> String {
    crate::ident::comment_text_keeping(text, plain)
}

/// A comment's text as lines, each made safe: a multi-line `COMMENT ON` stays multi-line.
pub fn comment_lines(text: &str) -> Vec<String> {
    text.split('\n').map(comment).collect()
}

/// A property key: bare when it is an ASCII identifier, else a string literal.
pub fn js_key(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_string()
    } else {
        js_string(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_name_leaves_its_literal_or_comment() {
        assert_eq!(js_string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(js_string("café €"), "\"café \\u20ac\"");
        assert_eq!(js_string("x\u{202E}y"), "\"x\\u202ey\"");
        assert_eq!(js_string("🙂"), "\"\\ud83d\\ude42\"");
        assert_eq!(js_string("\u{2028}"), "\"\\u2028\"");
        assert_eq!(rust_string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(rust_string("x\u{202E}y\u{200B}"), "\"x\\u{202e}y\\u{200b}\"");
        assert_eq!(rust_string("naïve"), "\"naïve\"");
        assert_eq!(comment("a */ b /* c\nd"), "a *\\/ b /\\* c\\nd");
        assert_eq!(comment("\u{2067}evil"), "\\u{2067}evil");
        assert_eq!(comment_lines("one\ntwo */"), ["one", "two *\\/"]);
    }

    #[test]
    fn keys_are_bare_only_when_identifiers() {
        assert_eq!(js_key("id"), "id");
        assert_eq!(js_key("delete"), "delete");
        assert_eq!(js_key("$x_1"), "$x_1");
        assert_eq!(js_key("Full Name"), "\"Full Name\"");
        assert_eq!(js_key("1st"), "\"1st\"");
        assert_eq!(js_key("naïve"), "\"naïve\"");
        assert_eq!(js_key(""), "\"\"");
    }
}
