//! Which built-in type changes have no cast: there `ALTER COLUMN ... TYPE ... USING col::new`
//! cannot work, and the plan says so instead of failing on the server's error. Types it does
//! not know are left to the server (a user cast may exist).

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Integer,
    Fractional,
    Boolean,
    Text,
    DateTime,
}

fn family(data_type: &str) -> Option<(Family, &str)> {
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    let f = match base {
        "smallint" | "integer" | "bigint" => Family::Integer,
        "numeric" | "real" | "double precision" => Family::Fractional,
        "boolean" => Family::Boolean,
        "text" | "character varying" | "character" | "name" => Family::Text,
        "timestamp with time zone" | "timestamp without time zone" | "date" => Family::DateTime,
        _ => return None,
    };
    Some((f, base))
}

/// True when PostgreSQL has no cast from `from` to `to` (both built-in types it knows).
pub fn no_cast(from: &str, to: &str) -> bool {
    let (Some((a, base_a)), Some((b, base_b))) = (family(from), family(to)) else { return false };
    use Family::*;
    match (a, b) {
        (x, y) if x == y => false,
        (Text, _) | (_, Text) => false,
        (Integer | Fractional, Integer | Fractional) => false,
        // only integer and boolean cast to each other
        (Boolean, Integer) | (Integer, Boolean) => base_a != "integer" && base_b != "integer",
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::no_cast;

    #[test]
    fn casts_the_server_has_and_has_not() {
        assert!(no_cast("bigint", "timestamp with time zone"));
        assert!(no_cast("boolean", "numeric(10,2)"));
        assert!(no_cast("bigint", "boolean"));
        assert!(!no_cast("integer", "boolean"));
        assert!(!no_cast("boolean", "integer"));
        assert!(!no_cast("timestamp with time zone", "text"));
        assert!(!no_cast("numeric(10,2)", "bigint"));
        assert!(!no_cast("public.mood", "text"));
    }
}
