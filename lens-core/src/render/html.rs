//! Writing HTML where every name and value is text: the only way to put markup into the
//! output is `raw`, which takes `&'static str`, so nothing read from a catalog can become
//! markup. Ids and links are built from keys by one injective, ASCII-only encoding.

use sha2::{Digest, Sha256};
use std::fmt::Write;

/// An HTML document being written.
#[derive(Default)]
pub struct Html {
    out: String,
}

impl Html {
    /// The document written.
    pub fn into_string(self) -> String {
        self.out
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Another document's markup, written by these same rules.
    pub fn append(&mut self, other: &Html) -> &mut Self {
        self.out.push_str(&other.out);
        self
    }

    /// Plain text where no markup may go (`<title>`): escaped, controls written as
    /// `\n`, `\u{...}` without marking them up.
    pub fn plain(&mut self, s: &str) -> &mut Self {
        for ch in s.chars() {
            match ch {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                c if hidden(c) => push_control(&mut self.out, c),
                c => self.out.push(c),
            }
        }
        self
    }

    /// Markup of our own: only literals.
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Text: `& < >` escaped; control characters (a newline in a name) shown as `\n`,
    /// `\x01`..., never as what they do.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.escaped(s, "span")
    }

    /// Text inside SVG: the same, but controls marked with `<tspan>` (an HTML `<span>`
    /// there would end the picture).
    pub fn svg_text(&mut self, s: &str) -> &mut Self {
        self.escaped(s, "tspan")
    }

    fn escaped(&mut self, s: &str, mark: &'static str) -> &mut Self {
        for ch in s.chars() {
            match ch {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                c if hidden(c) => self.visible_control(c, mark),
                c => self.out.push(c),
            }
        }
        self
    }

    /// A name: text isolated from the bidirectional order around it (U+202E in a name cannot
    /// turn the rest of the line around).
    pub fn name(&mut self, s: &str) -> &mut Self {
        self.raw("<bdi>").text(s).raw("</bdi>")
    }

    /// Preformatted text (DDL, statements): line breaks and tabs kept, other controls shown.
    pub fn pre(&mut self, s: &str) -> &mut Self {
        for ch in s.chars() {
            match ch {
                '\n' | '\t' | '\r' => self.out.push(ch),
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                c if hidden(c) => self.visible_control(c, "span"),
                c => self.out.push(c),
            }
        }
        self
    }

    /// A number or other value of ours.
    pub fn num(&mut self, n: impl std::fmt::Display) -> &mut Self {
        let _ = write!(self.out, "{n}");
        self
    }

    /// `n thing` or `n things`.
    pub fn count(&mut self, n: usize, one: &'static str, many: &'static str) -> &mut Self {
        self.num(n).raw(" ").raw(if n == 1 { one } else { many })
    }

    /// ` name="value"`, the value escaped for a double-quoted attribute.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        for ch in value.chars() {
            match ch {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&#39;"),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
        self
    }

    /// `<a href="...">name</a>`.
    pub fn link(&mut self, href: &str, name: &str) -> &mut Self {
        self.raw("<a").attr("href", href).raw(">").name(name).raw("</a>")
    }

    fn visible_control(&mut self, c: char, mark: &'static str) {
        self.out.push('<');
        self.out.push_str(mark);
        self.out.push_str(" class=\"esc\">");
        push_control(&mut self.out, c);
        self.out.push_str("</");
        self.out.push_str(mark);
        self.out.push('>');
    }
}

/// `\n`, `\t`, `\r` or `\u{XXXX}`.
fn push_control(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c => {
            let _ = write!(out, "\\u{{{:04X}}}", c as u32);
        }
    }
}

/// Characters that act or hide instead of showing: controls (Cc), line and paragraph
/// separators (Zl, Zp), and the format characters (Cf): bidirectional marks that reorder
/// what follows, zero-width spaces and joiners, the soft hyphen, the byte order mark, tags.
/// Two names differing only by one of these must look different.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// An element id for a key: `prefix-` then the key's UTF-8 bytes, ASCII letters, digits
/// and `.` kept and every other byte `_XX`. Injective (`_` itself is `_5F`), valid in a URL
/// fragment without percent-encoding, and `-` never occurs in an encoded key, so ids of
/// parts join with it (`t-<table>-c-<column>`).
pub fn anchor_id(prefix: &str, key: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1 + key.len());
    out.push_str(prefix);
    out.push('-');
    push_encoded(&mut out, key);
    out
}

/// The id of a part of an element: `parent-kind-<encoded name>`.
pub fn part_id(parent: &str, kind: &str, name: &str) -> String {
    let mut out = format!("{parent}-{kind}-");
    push_encoded(&mut out, name);
    out
}

fn push_encoded(out: &mut String, key: &str) {
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b == b'.' {
            out.push(b as char);
        } else {
            let _ = write!(out, "_{b:02X}");
        }
    }
}

/// A relative link to a file: every byte outside `[A-Za-z0-9-._~/]` percent-encoded, so a
/// `#` or `?` in a file name stays part of it.
pub fn file_href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The Content-Security-Policy source of an inline script: `'sha256-<base64>'`.
pub fn script_hash(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_text_never_markup() {
        let mut h = Html::default();
        h.name("<script>alert('x')</script>\n&\u{202E}");
        assert_eq!(h.out, "<bdi>&lt;script&gt;alert('x')&lt;/script&gt;<span class=\"esc\">\\n</span>&amp;<span class=\"esc\">\\u{202E}</span></bdi>");
        let mut h = Html::default();
        h.raw("<a").attr("title", "\"><img src=x onerror='1'>").raw(">");
        assert_eq!(h.out, "<a title=\"&quot;&gt;&lt;img src=x onerror=&#39;1&#39;&gt;\">");
        let mut h = Html::default();
        h.pre("a\n\tb\u{1}</pre>");
        assert_eq!(h.out, "a\n\tb<span class=\"esc\">\\u{0001}</span>&lt;/pre&gt;");
    }

    #[test]
    fn invisible_characters_are_shown_and_titles_hold_no_markup() {
        let mut h = Html::default();
        h.text("users\u{200B}\u{FEFF}\u{2028}");
        assert_eq!(h.out, "users<span class=\"esc\">\\u{200B}</span><span class=\"esc\">\\u{FEFF}</span><span class=\"esc\">\\u{2028}</span>");
        let mut h = Html::default();
        h.plain("a\n<b>");
        assert_eq!(h.out, "a\\n&lt;b&gt;");
        let mut h = Html::default();
        h.raw("<a").attr("title", "x\ny").raw(">");
        assert_eq!(h.out, "<a title=\"x\ny\">", "a newline in an attribute value is data");
    }

    #[test]
    fn ids_are_injective_and_fragment_safe() {
        assert_eq!(anchor_id("t", "shop.\"Order Items.v2\""), "t-shop._22Order_20Items.v2_22");
        assert_eq!(anchor_id("t", "a_b"), "t-a_5Fb");
        assert_ne!(anchor_id("t", "a_5Fb"), anchor_id("t", "a_b"));
        assert_eq!(anchor_id("t", "\"ü\".x"), "t-_22_C3_BC_22.x");
        assert_eq!(part_id("t-a.b", "c", "x y"), "t-a.b-c-x_20y");
        let id = anchor_id("t", "\"<script>\"-#?.x");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)), "{id}");
    }

    #[test]
    fn file_links_keep_the_whole_name() {
        assert_eq!(file_href("tables/%22a#b%22.html"), "tables/%2522a%23b%2522.html");
    }

    #[test]
    fn script_hashes_are_base64_of_sha256() {
        // sha256("") is e3b0c442...; its base64 is the well-known value below
        assert_eq!(script_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
