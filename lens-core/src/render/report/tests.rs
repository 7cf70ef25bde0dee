use super::*;
use crate::checks::Finding;
use crate::model::*;
use serde_json::json;
use std::collections::BTreeSet;

const EVIL: &str = "shop.\"<script>alert('x')</script>\"";
const NEWLINE: &str = "shop.\"two\nlines\"";

/// customers <- orders (FK), orders <- the `<script>` table (FK), a table whose name holds a
/// newline, a view, and a table of another schema referencing customers.
fn schema() -> Snapshot {
    let mut s = Snapshot::default();
    s.meta.db_name = "shop_db".into();
    s.meta.captured_at = "2026-12-02T10:00:00Z".into();
    for (key, schema, kind) in [
        ("shop.customers", "shop", "table"),
        ("shop.orders", "shop", "table"),
        (EVIL, "shop", "table"),
        (NEWLINE, "shop", "table"),
        ("shop.big_orders", "shop", "view"),
        ("other.notes", "other", "table"),
    ] {
        s.tables.insert(key.into(), Table { key: key.into(), schema: schema.into(), name: key.into(), kind: kind.into(), ..Default::default() });
        let col = format!("{key}.id");
        s.columns.insert(col.clone(), Column { key: col, table_key: key.into(), name: "id".into(), position: 1, data_type: "bigint".into(), ..Default::default() });
    }
    for (table, pk) in [("shop.customers", "customers_pkey"), ("shop.orders", "orders_pkey")] {
        let key = format!("{table}:{pk}");
        s.constraints.pks.insert(key.clone(), KeyConstraint { key, table_key: table.into(), name: pk.into(), columns: vec!["id".into()], ..Default::default() });
    }
    for (n, (child, parent, action)) in [("shop.orders", "shop.customers", "CASCADE"), (EVIL, "shop.orders", "CASCADE"), ("other.notes", "shop.customers", "NO ACTION")].iter().enumerate() {
        let key = format!("{child}(id) -> {parent}(id) #{n}");
        s.relationships.insert(
            key.clone(),
            Relationship {
                key,
                name: format!("fk{n}"),
                child_key: child.to_string(),
                parent_key: parent.to_string(),
                child_cols: vec!["id".into()],
                parent_cols: vec!["id".into()],
                on_delete: action.to_string(),
                on_update: "NO ACTION".into(),
                validated: true,
                ..Default::default()
            },
        );
    }
    s
}

fn input<'a>(snap: &'a Snapshot, schemas: Option<&'a [String]>, extras: &'a Extras, kw: &'a Keywords, history: History) -> Input<'a> {
    let findings = vec![Finding {
        rule: "table_without_primary_key",
        severity: "warning",
        object_key: EVIL.into(),
        message: format!("{EVIL} has no primary key"),
        remediation: format!("ALTER TABLE {EVIL} ADD COLUMN \"<b>\" bigint;"),
    }];
    Input { snap, schemas, extras, kw, findings, history }
}

/// Every value of `attr="..."` in `html`, unescaped.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            let value = &rest[..rest.find('"').unwrap_or(rest.len())];
            value.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_table_named_script_is_text_and_the_only_script_is_ours() {
    let snap = schema();
    let (extras, kw) = (Extras::default(), Keywords::default());
    let pages = render(&input(&snap, None, &extras, &kw, History::Entries { entries: vec![], more: false }), Layout::Single);
    assert_eq!(pages.len(), 1);
    let html = &pages[0].1;
    assert_eq!(html.matches("<script").count(), 1, "one script element: ours");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(!html.contains("\"<b>\""), "a finding's remediation is text");
    // the newline in a name is shown, never written; inside a diagram with SVG's own
    // element (an HTML one there would end the picture)
    assert!(html.contains("two<span class=\"esc\">\\n</span>lines"));
    assert!(html.contains("two<tspan class=\"esc\">\\n</tspan>lines"));
    for svg in html.split("<svg").skip(1) {
        let body = &svg[..svg.find("</svg>").unwrap()];
        assert!(!body.contains("<span") && !body.contains("<bdi"), "{body}");
    }
    let csp = attr_values(html, "content").into_iter().find(|c| c.starts_with("default-src 'none'")).expect("a CSP");
    assert!(csp.ends_with(&script_hash(SCRIPT)), "{csp}");
}

#[test]
fn every_table_has_a_section_and_every_link_in_the_page_resolves() {
    let snap = schema();
    let (extras, kw) = (Extras::default(), Keywords::default());
    let pages = render(&input(&snap, None, &extras, &kw, History::Entries { entries: vec![], more: false }), Layout::Single);
    let html = &pages[0].1;
    let sections: BTreeSet<String> = attr_values(html, "data-key").into_iter().collect();
    let tables: BTreeSet<String> = snap.tables.keys().cloned().collect();
    assert_eq!(sections, tables);
    let id_list = attr_values(html, "id");
    let ids: BTreeSet<String> = id_list.iter().cloned().collect();
    assert_eq!(ids.len(), id_list.len(), "no id is given twice");
    let links: Vec<String> = attr_values(html, "href").into_iter().filter(|h| h.starts_with('#')).collect();
    assert!(links.len() > 10, "{links:?}");
    for link in &links {
        assert!(ids.contains(&link[1..]), "{link} resolves");
    }
    // the diagrams link to the tables' sections
    assert!(links.contains(&format!("#{}", anchor_id("t", EVIL))));
}

#[test]
fn a_report_of_one_schema_names_tables_elsewhere_without_linking_them() {
    let snap = schema();
    let (extras, kw) = (Extras::default(), Keywords::default());
    let shop = vec!["shop".to_string()];
    let pages = render(&input(&snap, Some(&shop), &extras, &kw, History::NotReadable("lens.lens_drift".into())), Layout::Single);
    let html = &pages[0].1;
    assert!(!attr_values(html, "data-key").contains(&"other.notes".to_string()));
    assert!(html.contains("<bdi>other.notes</bdi> <span class=\"meta\">(not in this report)</span>"));
    assert!(html.contains("it needs SELECT on <bdi>lens.lens_drift</bdi>"));
}

#[test]
fn split_reports_link_the_index_to_a_page_per_table_and_back() {
    let snap = schema();
    let (extras, kw) = (Extras::default(), Keywords::default());
    let pages = render(&input(&snap, None, &extras, &kw, History::Entries { entries: vec![], more: false }), Layout::Split);
    let paths: BTreeSet<String> = pages.iter().map(|p| p.0.clone()).collect();
    assert_eq!(paths.len(), snap.tables.len() + 1);
    let index = &pages.iter().find(|p| p.0 == "index.html").unwrap().1;
    assert!(!index.contains("<section class=\"table\""), "the index holds no sections");
    for href in attr_values(index, "href").into_iter().filter(|h| !h.starts_with('#')) {
        assert!(paths.contains(&percent_decode(&href)), "{href} is a page");
    }
    for (path, page) in pages.iter().filter(|p| p.0 != "index.html") {
        assert!(page.contains("href=\"../index.html\""));
        for href in attr_values(page, "href").into_iter().filter(|h| !h.starts_with('#') && !h.starts_with("..")) {
            assert!(paths.contains(&format!("tables/{}", percent_decode(&href))), "{path}: {href}");
        }
    }
}

#[test]
fn drift_entries_read_as_sentences() {
    let snap = schema();
    let (extras, kw) = (Extras::default(), Keywords::default());
    let diff = json!({
        "changed": true, "summary": {"added": 1, "changed": 1},
        "tables": {"added": [{"key": "shop.orders", "after": {}}]},
        "columns": {"changed": [{"key": "shop.customers.id", "changes": {"dataType": {"before": "integer", "after": "bigint"}}}]},
        "constraints": {"pks": {"removed": [{"key": "shop.x:x_pkey", "before": {}}]}}
    });
    let entry = DriftEntry {
        id: 7,
        captured_at: "2026-12-01 10:00:00+00".into(),
        role_name: "app".into(),
        application_name: Some("<migrate>".into()),
        command_tags: vec!["ALTER TABLE".into()],
        statement: Some("ALTER TABLE shop.customers ALTER id TYPE bigint".into()),
        diff: Some(diff),
        ..Default::default()
    };
    let pages = render(&input(&snap, None, &extras, &kw, History::Entries { entries: vec![entry], more: true }), Layout::Single);
    let html = &pages[0].1;
    assert!(html.contains("id=\"d-7\""));
    assert!(html.contains("<span class=\"add\">added</span> table <a href=\"#t-shop.orders\"><bdi>shop.orders</bdi></a>"), "{html}");
    assert!(html.contains("dataType: <code>integer</code> → <code>bigint</code>"));
    assert!(html.contains("<span class=\"del\">removed</span> primary key <bdi>shop.x:x_pkey</bdi>"));
    assert!(html.contains("&lt;migrate&gt;"));
    assert!(html.contains("The newest 1 entry; older"));
}

#[test]
fn findings_belong_to_the_table_of_what_they_name() {
    let snap = schema();
    let f = |key: &str| Finding { rule: "r", severity: "info", object_key: key.into(), message: String::new(), remediation: String::new() };
    let fk = snap.relationships.values().find(|r| r.child_key == EVIL).unwrap().key.clone();
    assert_eq!(finding_table(&snap, &f(&fk)).as_deref(), Some(EVIL));
    assert_eq!(finding_table(&snap, &f("shop.orders:orders_pkey")).as_deref(), Some("shop.orders"));
    assert_eq!(finding_table(&snap, &f("shop.orders.id")).as_deref(), Some("shop.orders"));
    assert_eq!(finding_table(&snap, &f("nowhere")), None);
}

#[test]
fn diagrams_draw_a_box_per_table_and_mark_each_fk_by_its_kind() {
    let mut snap = schema();
    // orders -> customers: many to one (orders.id, its FK column, no longer unique), not
    // null; the <script> table -> orders: one to one (its id is its primary key), nullable
    snap.constraints.pks.remove("shop.orders:orders_pkey");
    let pk = format!("{EVIL}:evil_pkey");
    snap.constraints.pks.insert(pk.clone(), KeyConstraint { key: pk, table_key: EVIL.into(), name: "evil_pkey".into(), columns: vec!["id".into()], ..Default::default() });
    for c in snap.columns.values_mut() {
        c.is_nullable = c.table_key == EVIL;
    }
    let (extras, kw) = (Extras::default(), Keywords::default());
    let pages = render(&input(&snap, None, &extras, &kw, History::NotAsked), Layout::Single);
    let html = &pages[0].1;
    let overview = &html[html.find("id=\"diagram\"").unwrap()..];
    let svg = &overview[..overview.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<g class=\"box").count(), snap.tables.len(), "a box per relation");
    assert_eq!(svg.matches("<g class=\"fk").count(), 3, "a curve per FK");
    let fk = |title_part: &str| {
        let at = svg.find(title_part).unwrap_or_else(|| panic!("{title_part}"));
        let start = svg[..at].rfind("<g class=\"fk").unwrap();
        &svg[start..start + svg[start..].find("</g>").unwrap()]
    };
    let orders = fk("shop.orders → shop.customers");
    assert!(orders.starts_with("<g class=\"fk\">"), "not null: solid");
    assert_eq!(orders.matches("class=\"mark\"").count(), 2, "a bar and a crow's foot: {orders}");
    let evil = fk("&lt;script&gt;alert('x')&lt;/script&gt;\" → shop.orders");
    assert!(evil.starts_with("<g class=\"fk optional\">"), "nullable: dashed");
    assert_eq!(evil.matches("class=\"mark\"").count(), 1, "one to one: the bar alone: {evil}");
}
