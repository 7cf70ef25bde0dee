//! Secrets out of statement text before it is stored: the literal after `PASSWORD` (CREATE /
//! ALTER ROLE or USER), after an option whose name says password, secret or token (USER
//! MAPPING, SERVER, FOREIGN DATA WRAPPER options), and a subscription's `CONNECTION` string.
//! Works on PostgreSQL's lexical structure (comments, quoted identifiers, every form of
//! string literal), so that a secret is never found or missed by a pattern's accident.

/// `text` with every secret literal replaced by `'********'`.
pub fn statement(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last_word = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let token_end = match bytes[i] {
            b'-' if rest.starts_with("--") => i + rest.find('\n').unwrap_or(rest.len()),
            b'/' if rest.starts_with("/*") => i + block_comment_len(rest),
            b'"' => {
                let end = i + quoted_len(rest, b'"', false);
                last_word = text[i + 1..end.saturating_sub(1).max(i + 1)].replace("\"\"", "\"").to_lowercase();
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            b'\'' | b'$' | b'e' | b'E' | b'u' | b'U' | b'n' | b'N' | b'b' | b'B' | b'x' | b'X' if literal_len(rest).is_some() => {
                let end = i + literal_len(rest).unwrap_or(1);
                if is_secret(&last_word) {
                    out.push_str("'********'");
                } else {
                    out.push_str(&text[i..end]);
                }
                last_word.clear();
                i = end;
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let len = rest.find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$')).unwrap_or(rest.len());
                last_word = rest[..len].to_lowercase();
                i + len
            }
            c if c.is_ascii_whitespace() => {
                let len = rest.find(|ch: char| !ch.is_ascii_whitespace()).unwrap_or(rest.len());
                out.push_str(&rest[..len]);
                i += len;
                continue;
            }
            _ => {
                last_word.clear();
                i + rest.chars().next().map_or(1, char::len_utf8)
            }
        };
        out.push_str(&text[i..token_end]);
        i = token_end;
    }
    out
}

fn is_secret(word: &str) -> bool {
    word == "connection" || word.contains("password") || word.contains("secret") || word.contains("token")
}

/// The length of a string literal at the start of `s` (any of PostgreSQL's forms), or None.
fn literal_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b[0] {
        b'\'' => Some(quoted_len(s, b'\'', false)),
        b'e' | b'E' if b.get(1) == Some(&b'\'') => Some(1 + quoted_len(&s[1..], b'\'', true)),
        b'n' | b'N' | b'b' | b'B' | b'x' | b'X' if b.get(1) == Some(&b'\'') => Some(1 + quoted_len(&s[1..], b'\'', false)),
        b'u' | b'U' if s.len() > 2 && &b[1..3] == b"&'" => Some(2 + quoted_len(&s[2..], b'\'', false)),
        b'$' => {
            let tag_end = s[1..].find('$')? + 2;
            let tag = &s[..tag_end];
            if !tag[1..tag_end - 1].chars().all(|c| c.is_alphanumeric() || c == '_') || tag[1..].starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            Some(s[tag_end..].find(tag).map_or(s.len(), |end| tag_end + end + tag.len()))
        }
        _ => None,
    }
}

/// The length of a quoted token at the start of `s`: doubled quotes stay inside, and with
/// `backslash` so does an escaped character. Unterminated: the rest of the text.
fn quoted_len(s: &str, quote: u8, backslash: bool) -> usize {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    s.len()
}

/// The length of a (nested) block comment at the start of `s`.
fn block_comment_len(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i + 1 < b.len() {
        if &b[i..i + 2] == b"/*" {
            depth += 1;
            i += 2;
        } else if &b[i..i + 2] == b"*/" {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::statement;

    #[test]
    fn secrets_are_redacted_and_nothing_else() {
        let cases = [
            ("CREATE ROLE app LOGIN PASSWORD 'hunter2'", "CREATE ROLE app LOGIN PASSWORD '********'"),
            ("alter user app with encrypted password E'it\\'s'", "alter user app with encrypted password '********'"),
            ("ALTER ROLE app PASSWORD $$x$$ VALID UNTIL 'infinity'", "ALTER ROLE app PASSWORD '********' VALID UNTIL 'infinity'"),
            (
                "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'me', password 'p''w')",
                "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'me', password '********')",
            ),
            ("ALTER USER MAPPING FOR app SERVER s OPTIONS (SET \"password\" 'p')", "ALTER USER MAPPING FOR app SERVER s OPTIONS (SET \"password\" '********')"),
            ("ALTER SERVER s OPTIONS (ADD sslpassword 'k', api_token 't')", "ALTER SERVER s OPTIONS (ADD sslpassword '********', api_token '********')"),
            (
                "CREATE SUBSCRIPTION sub CONNECTION 'host=a password=b' PUBLICATION p",
                "CREATE SUBSCRIPTION sub CONNECTION '********' PUBLICATION p",
            ),
            // the word in a comment, a string or an identifier is not a keyword
            ("COMMENT ON TABLE t IS 'password ''kept'''", "COMMENT ON TABLE t IS 'password ''kept'''"),
            ("CREATE TABLE \"password\" (x text DEFAULT 'kept') -- password 'kept'", "CREATE TABLE \"password\" (x text DEFAULT 'kept') -- password 'kept'"),
            ("/* password */ SELECT 'kept'", "/* password */ SELECT 'kept'"),
            ("SELECT 'naïve', password FROM users", "SELECT 'naïve', password FROM users"),
        ];
        for (text, want) in cases {
            assert_eq!(statement(text), want, "{text}");
        }
    }
}
