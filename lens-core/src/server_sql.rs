//! The catalog queries' text for one PostgreSQL major. A line that only some majors
//! understand ends with a marker: `-- pg15+` (15 and later), `-- pg14` (14 only) or
//! `-- pg15-16` (15 to 16); the line is kept for those majors and dropped for the others, so
//! that each query is one file that says where the majors differ.

use std::borrow::Cow;

/// `sql` as the server of major `major` (14, 15, ...) is sent it.
pub fn for_major(sql: &str, major: u32) -> Cow<'_, str> {
    if !sql.contains("-- pg") {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    for line in sql.split_inclusive('\n') {
        if marker(line).map_or(true, |(from, to)| from <= major && major <= to) {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// The majors a line's trailing marker allows, (from, to) inclusive; None: no marker.
fn marker(line: &str) -> Option<(u32, u32)> {
    let at = line.rfind("-- pg")?;
    let spec = line[at + "-- pg".len()..].trim_end();
    let number = |s: &str| s.parse::<u32>().ok();
    if let Some(from) = spec.strip_suffix('+') {
        return Some((number(from)?, u32::MAX));
    }
    match spec.split_once('-') {
        Some((from, to)) => Some((number(from)?, number(to)?)),
        None => number(spec).map(|m| (m, m)),
    }
}

#[cfg(test)]
mod tests {
    use super::for_major;

    const SQL: &str = "SELECT a,\n  b, -- pg15+\n  c, -- pg14\n  d -- pg15-16\n  , e -- pg17+\nFROM t -- not a marker: pgx\n";

    #[test]
    fn each_major_keeps_its_lines() {
        let cases = [
            (14, "SELECT a,\n  c, -- pg14\nFROM t -- not a marker: pgx\n"),
            (15, "SELECT a,\n  b, -- pg15+\n  d -- pg15-16\nFROM t -- not a marker: pgx\n"),
            (16, "SELECT a,\n  b, -- pg15+\n  d -- pg15-16\nFROM t -- not a marker: pgx\n"),
            (17, "SELECT a,\n  b, -- pg15+\n  , e -- pg17+\nFROM t -- not a marker: pgx\n"),
            (18, "SELECT a,\n  b, -- pg15+\n  , e -- pg17+\nFROM t -- not a marker: pgx\n"),
        ];
        for (major, expected) in cases {
            assert_eq!(for_major(SQL, major), expected, "major {major}");
        }
    }

    #[test]
    fn text_without_markers_is_not_copied() {
        assert!(matches!(for_major("SELECT 1 -- plain", 18), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn a_marker_must_be_the_line_end() {
        // "-- pg15+ rest" is a comment that mentions a major, not a marker: the line stays
        assert_eq!(for_major("x -- pg15+ rest\n", 14), "x -- pg15+ rest\n");
    }
}
