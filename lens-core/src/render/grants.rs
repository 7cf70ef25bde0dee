//! Owners and privileges as statements: `ALTER ... OWNER TO`, `GRANT` (after revoking the
//! built-in defaults, so the object ends with exactly the privileges the snapshot lists),
//! and `ALTER DEFAULT PRIVILEGES`. Every role name is quoted; `public` is PUBLIC.

use crate::ident::{quote_ident, Keywords};
use crate::model::{DefaultPrivileges, Privileges, Snapshot};
use std::collections::BTreeSet;
use std::fmt::Write;

const GRANT_OPTION: &str = " WITH GRANT OPTION";

fn grantee(role: &str, kw: &Keywords) -> String {
    if role == "public" {
        "PUBLIC".to_string()
    } else {
        quote_ident(role, kw)
    }
}

/// `ALTER <what> <name> OWNER TO <owner>;`, when the owner is known.
pub fn owner(what: &str, name: &str, owner: Option<&String>, kw: &Keywords, out: &mut String) {
    if let Some(role) = owner {
        let _ = writeln!(out, "ALTER {what} {name} OWNER TO {};", quote_ident(role, kw));
    }
}

/// Each grantee's privileges in two lists: without and with grant option.
fn split(privileges: &[String]) -> (Vec<&str>, Vec<&str>) {
    let mut plain = Vec::new();
    let mut grantable = Vec::new();
    for p in privileges {
        match p.strip_suffix(GRANT_OPTION) {
            Some(name) => grantable.push(name),
            None => plain.push(p.as_str()),
        }
    }
    (plain, grantable)
}

/// The statements that leave `on` (`TABLE public.t`, `ROUTINE public.f(integer)`) with
/// exactly `privileges`: the defaults revoked from PUBLIC and the owner first.
pub fn object_privileges(on: &str, privileges: Option<&Privileges>, owner: Option<&String>, kw: &Keywords, out: &mut String) {
    let Some(privileges) = privileges else { return };
    let _ = writeln!(out, "REVOKE ALL ON {on} FROM PUBLIC;");
    if let Some(role) = owner {
        let _ = writeln!(out, "REVOKE ALL ON {on} FROM {};", quote_ident(role, kw));
    }
    grants(&format!("ON {on}"), privileges, "", kw, out);
}

/// Column privileges: `GRANT SELECT (col) ON TABLE t TO role` (a column has none by default).
pub fn column_privileges(table: &str, column: &str, privileges: Option<&Privileges>, kw: &Keywords, out: &mut String) {
    let Some(privileges) = privileges else { return };
    grants(&format!("ON TABLE {table}"), privileges, &format!(" ({column})"), kw, out);
}

fn grants(on: &str, privileges: &Privileges, suffix: &str, kw: &Keywords, out: &mut String) {
    for (role, list) in privileges {
        let (plain, grantable) = split(list);
        for (names, option) in [(plain, ""), (grantable, GRANT_OPTION)] {
            if names.is_empty() {
                continue;
            }
            let names: Vec<String> = names.iter().map(|n| format!("{n}{suffix}")).collect();
            let _ = writeln!(out, "GRANT {} {on} TO {}{option};", names.join(", "), grantee(role, kw));
        }
    }
}

/// `ALTER DEFAULT PRIVILEGES` for one entry. An entry for all schemas replaces the built-in
/// defaults (its role's own privileges and PUBLIC's are revoked first); one limited to a
/// schema adds to them.
pub fn default_privileges(d: &DefaultPrivileges, kw: &Keywords, out: &mut String) {
    let mut head = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", quote_ident(&d.role, kw));
    if let Some(schema) = &d.schema {
        let _ = write!(head, " IN SCHEMA {}", quote_ident(schema, kw));
    }
    let objects = d.objects.to_uppercase();
    if d.schema.is_none() {
        let _ = writeln!(out, "{head} REVOKE ALL ON {objects} FROM PUBLIC;");
        let _ = writeln!(out, "{head} REVOKE ALL ON {objects} FROM {};", quote_ident(&d.role, kw));
    }
    for (role, list) in &d.privileges {
        let (plain, grantable) = split(list);
        for (names, option) in [(plain, ""), (grantable, GRANT_OPTION)] {
            if !names.is_empty() {
                let _ = writeln!(out, "{head} GRANT {} ON {objects} TO {}{option};", names.join(", "), grantee(role, kw));
            }
        }
    }
}

/// Every role a snapshot names as an owner or grantee: what must exist before its script
/// runs (roles are the cluster's, not the database's).
pub fn roles(snap: &Snapshot) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |owner: &Option<String>, privileges: Option<&Privileges>| {
        out.extend(owner.iter().cloned());
        for role in privileges.into_iter().flat_map(|p| p.keys()) {
            if role != "public" {
                out.insert(role.clone());
            }
        }
    };
    for t in snap.tables.values() {
        add(&t.owner, t.privileges.as_ref());
    }
    for c in snap.columns.values() {
        add(&None, c.privileges.as_ref());
    }
    for s in snap.sequences.values() {
        add(&s.owner, s.privileges.as_ref());
    }
    for e in snap.enums.values() {
        add(&e.owner, e.privileges.as_ref());
    }
    for d in snap.domains.values() {
        add(&d.owner, d.privileges.as_ref());
    }
    for f in snap.functions.values() {
        add(&f.owner, f.privileges.as_ref());
    }
    for s in snap.schemas.values() {
        add(&s.owner, s.privileges.as_ref());
    }
    for d in snap.default_privileges.values() {
        add(&Some(d.role.clone()), Some(&d.privileges));
    }
    for t in snap.types.values() {
        add(&t.owner, t.privileges.as_ref());
    }
    for c in snap.collations.values() {
        add(&c.owner, None);
    }
    for s in snap.statistics.values() {
        add(&s.owner, None);
    }
    for p in snap.publications.values() {
        add(&p.owner, None);
    }
    for t in snap.event_triggers.values() {
        add(&t.owner, None);
    }
    for w in snap.foreign_data_wrappers.values() {
        add(&w.owner, None);
    }
    for o in snap.operators.values() {
        add(&o.owner, None);
    }
    for c in snap.operator_classes.values() {
        add(&c.owner, None);
    }
    for f in snap.foreign_servers.values() {
        add(&f.owner, f.privileges.as_ref());
    }
    for p in snap.policies.values() {
        out.extend(p.roles.iter().filter(|r| *r != "public").cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_become_revokes_then_grants_with_every_name_quoted() {
        let kw = Keywords::new(["select".to_string()]);
        let privileges: Privileges = [
            ("app reader".to_string(), vec!["SELECT".to_string(), "UPDATE WITH GRANT OPTION".to_string()]),
            ("public".to_string(), vec!["SELECT".to_string()]),
            ("a\"b".to_string(), vec!["INSERT".to_string()]),
        ]
        .into_iter()
        .collect();
        let mut out = String::new();
        object_privileges("TABLE public.t", Some(&privileges), Some(&"Own\ner".to_string()), &kw, &mut out);
        assert_eq!(
            out,
            "REVOKE ALL ON TABLE public.t FROM PUBLIC;\nREVOKE ALL ON TABLE public.t FROM \"Own\ner\";\n\
             GRANT INSERT ON TABLE public.t TO \"a\"\"b\";\n\
             GRANT SELECT ON TABLE public.t TO \"app reader\";\nGRANT UPDATE ON TABLE public.t TO \"app reader\" WITH GRANT OPTION;\n\
             GRANT SELECT ON TABLE public.t TO PUBLIC;\n"
        );
        let mut none = String::new();
        object_privileges("TABLE public.t", None, Some(&"x".to_string()), &kw, &mut none);
        assert_eq!(none, "", "default privileges need no statement");
        let mut column = String::new();
        column_privileges("public.t", "\"select\"", Some(&privileges), &kw, &mut column);
        assert!(column.contains("GRANT SELECT (\"select\") ON TABLE public.t TO \"app reader\";"), "{column}");
    }

    #[test]
    fn default_privileges_for_all_schemas_replace_the_defaults() {
        let kw = Keywords::new(Vec::<String>::new());
        let mut d = DefaultPrivileges { role: "app".into(), objects: "functions".into(), ..Default::default() };
        d.privileges.insert("app".into(), vec!["EXECUTE".into()]);
        let mut out = String::new();
        default_privileges(&d, &kw, &mut out);
        assert_eq!(
            out,
            "ALTER DEFAULT PRIVILEGES FOR ROLE app REVOKE ALL ON FUNCTIONS FROM PUBLIC;\n\
             ALTER DEFAULT PRIVILEGES FOR ROLE app REVOKE ALL ON FUNCTIONS FROM app;\n\
             ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT EXECUTE ON FUNCTIONS TO app;\n"
        );
        d.schema = Some("Sales Dept".into());
        let mut scoped = String::new();
        default_privileges(&d, &kw, &mut scoped);
        assert_eq!(scoped, "ALTER DEFAULT PRIVILEGES FOR ROLE app IN SCHEMA \"Sales Dept\" GRANT EXECUTE ON FUNCTIONS TO app;\n");
    }
}
