//! Identifiers for generated code: any PostgreSQL name made a valid, distinct ASCII
//! identifier (`PascalCase` for types and variants, `snake_case` for Rust fields), the same
//! name always giving the same identifier.

use std::collections::BTreeSet;

/// Rust's strict and reserved keywords (2015-2024 editions; `r#` works for them in every
/// edition). Fields are lower case, so only these can collide.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum", "extern",
    "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut",
    "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe",
    "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is refused): suffixed with `_`.
const RUST_UNRAWABLE: &[&str] = &["crate", "self", "super", "Self", "_"];

/// The ASCII letters a Latin letter with a diacritic is written with.
fn fold(c: char) -> Option<&'static str> {
    let lower = match c.to_lowercase().next().unwrap_or(c) {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(lower)
}

/// The name's words: runs of ASCII letters and digits after folding, split where a lower-case
/// letter or digit meets an upper-case one (`customerId`, `HTTPStatus` -> `HTTP`, `Status`).
fn words(name: &str) -> Vec<String> {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            folded.push(c);
        } else if let Some(ascii) = fold(c) {
            if c.is_uppercase() {
                let mut letters = ascii.chars();
                folded.extend(letters.next().map(|f| f.to_ascii_uppercase()));
                folded.extend(letters);
            } else {
                folded.push_str(ascii);
            }
        } else {
            folded.push(' ');
        }
    }
    let mut out = Vec::new();
    for run in folded.split(' ').filter(|r| !r.is_empty()) {
        let chars: Vec<char> = run.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit() || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase())));
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        out.push(word);
    }
    out
}

/// `order_status` -> `OrderStatus`, `Order Items.v2` -> `OrderItemsV2`; `placeholder` when
/// nothing of the name is ASCII.
pub fn pascal_case(name: &str, placeholder: &str) -> String {
    let out: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|f| f.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    identifier(out, placeholder)
}

/// `Full Name` -> `full_name`, `customerId` -> `customer_id`.
pub fn snake_case(name: &str, placeholder: &str) -> String {
    identifier(words(name).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_"), placeholder)
}

/// Joined words made an identifier: `placeholder` when there are none, `_` before a digit.
fn identifier(mut out: String, placeholder: &str) -> String {
    if out.is_empty() {
        out = placeholder.to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An identifier Rust accepts: keywords raw (`r#type`), the ones that cannot be raw suffixed.
pub fn rust_ident(ident: &str) -> String {
    if RUST_UNRAWABLE.contains(&ident) {
        format!("{ident}_")
    } else if RUST_KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_string()
    }
}

/// The identifiers given out in one scope: a second claim of the same identifier gets a
/// number (`Orders2`, `full_name_2`; after a digit `V2_2`, which Rust's case lints accept).
#[derive(Debug)]
pub struct Namespace {
    taken: BTreeSet<String>,
    snake: bool,
}

impl Namespace {
    /// A scope of `PascalCase` names, `names` taken already.
    pub fn pascal(names: &[&str]) -> Self {
        Namespace { taken: names.iter().map(|n| n.to_string()).collect(), snake: false }
    }

    /// A scope of `snake_case` names.
    pub fn snake() -> Self {
        Namespace { taken: BTreeSet::new(), snake: true }
    }

    /// `wanted`, or the first of `wanted2`, `wanted3`... still free. Raw identifiers compare
    /// without their `r#` (serde and sqlx strip it).
    pub fn claim(&mut self, wanted: &str) -> String {
        let bare = wanted.strip_prefix("r#").unwrap_or(wanted);
        if self.taken.insert(bare.to_string()) {
            return wanted.to_string();
        }
        // `self_` numbered is `self_2`: two underscores in a row are not snake case
        let bare = if self.snake { bare.trim_end_matches('_') } else { bare };
        let joiner = if self.snake || bare.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{bare}{joiner}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ascii_identifiers() {
        let cases = [
            ("order_status", "OrderStatus", "order_status"),
            ("Order Items.v2", "OrderItemsV2", "order_items_v2"),
            ("Mood Ring", "MoodRing", "mood_ring"),
            ("Full Name", "FullName", "full_name"),
            ("customerId", "CustomerId", "customer_id"),
            ("HTTPStatus", "HTTPStatus", "http_status"),
            ("naïve", "Naive", "naive"),
            ("Ünïcode Spaß", "UnicodeSpass", "unicode_spass"),
            ("ÆØÅ", "AeOA", "ae_oa"),
            ("café_a", "CafeA", "cafe_a"),
            ("it's \"fine\"", "ItSFine", "it_s_fine"),
            ("1st", "_1st", "_1st"),
            ("2024 sales", "_2024Sales", "_2024_sales"),
            ("col.with.dots", "ColWithDots", "col_with_dots"),
            ("a\nb", "AB", "a_b"),
            ("", "Empty", "field"),
            ("Прайс", "Empty", "field"),
            ("€", "Empty", "field"),
        ];
        for (name, pascal, snake) in cases {
            assert_eq!(pascal_case(name, "Empty"), pascal, "{name:?}");
            assert_eq!(snake_case(name, "field"), snake, "{name:?}");
        }
    }

    #[test]
    fn rust_keywords_are_raw_or_suffixed() {
        assert_eq!(rust_ident("type"), "r#type");
        assert_eq!(rust_ident("gen"), "r#gen");
        assert_eq!(rust_ident("try"), "r#try");
        assert_eq!(rust_ident("self"), "self_");
        assert_eq!(rust_ident("Self"), "Self_");
        assert_eq!(rust_ident("crate"), "crate_");
        assert_eq!(rust_ident("select"), "select");
        assert_eq!(rust_ident("union"), "union", "a weak keyword is a field name");
    }

    #[test]
    fn a_second_claim_is_numbered() {
        let mut ns = Namespace::pascal(&["Json"]);
        assert_eq!(ns.claim("Json"), "Json2");
        assert_eq!(ns.claim("Orders"), "Orders");
        assert_eq!(ns.claim("Orders"), "Orders2");
        assert_eq!(ns.claim("Orders2"), "Orders2_2");
        assert_eq!(ns.claim("OrderItemsV2"), "OrderItemsV2");
        assert_eq!(ns.claim("OrderItemsV2"), "OrderItemsV2_2");
        assert_eq!(ns.claim("_1st"), "_1st");
        assert_eq!(ns.claim("_1st"), "_1st2");
        let mut fields = Namespace::snake();
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("type"), "type_2");
        assert_eq!(fields.claim("full_name"), "full_name");
        assert_eq!(fields.claim("full_name"), "full_name_2");
        assert_eq!(fields.claim("self_"), "self_");
        assert_eq!(fields.claim("self_"), "self_2");
    }
}
