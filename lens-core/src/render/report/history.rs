//! The drift history: newest first, who changed what and when, each diff as a list of
//! what was added, removed, renamed and changed (field: before → after).

use super::{History, Page, Report};
use crate::html::Html;
use serde_json::Value;

pub(super) fn write(r: &Report, h: &mut Html) {
    h.raw("<h2 id=\"history\">Drift history</h2>");
    let (entries, more) = match &r.input.history {
        History::NotReadable(table) => {
            h.raw("<p>The history is not shown: it needs SELECT on ").name(table).raw(".</p>");
            return;
        }
        History::NotAsked => {
            h.raw("<p>The history is not shown (history_limit 0).</p>");
            return;
        }
        History::Entries { entries, more } => (entries, *more),
    };
    if entries.is_empty() {
        h.raw("<p>No schema change recorded yet.</p>");
        return;
    }
    if more {
        h.raw("<p class=\"meta\">The newest ").count(entries.len(), "entry", "entries").raw("; older ones are in lens_drift.</p>");
    }
    for e in entries {
        h.raw("<article").attr("class", if e.error.is_some() { "drift failed" } else { "drift" }).attr("id", &format!("d-{}", e.id)).raw("><h3>#").num(e.id).raw(" ");
        h.text(&e.captured_at).raw(" · ").name(&e.role_name);
        if let Some(s) = e.session_user_name.as_deref().filter(|s| *s != e.role_name) {
            h.raw(" (session ").name(s).raw(")");
        }
        if let Some(app) = e.application_name.as_deref().filter(|a| !a.is_empty()) {
            h.raw(" · ").name(app);
        }
        h.raw("</h3><p class=\"meta\">").text(&e.command_tags.join(", "));
        if e.resync {
            h.raw(" · resync: covers every change since the last good state");
        }
        if e.partial {
            h.raw(" · a step a CONCURRENTLY statement committed on its own");
        }
        h.raw("</p>");
        if let Some(err) = &e.error {
            h.raw("<p>Capture failed: ").text(err).raw("</p>");
        }
        if let Some(diff) = &e.diff {
            let mut items = Items::default();
            diff_items(r, &mut items, diff);
            if let Some(why) = diff.get("error").and_then(Value::as_str) {
                h.raw("<p>The change could not be itemised: ").text(why).raw("</p>");
            } else if items.html.is_empty() {
                h.raw("<p class=\"meta\">No change to the schema's definition.</p>");
            } else {
                h.raw("<ul class=\"compact diff\">").append(&items.html).raw("</ul>");
                if items.count > ITEMS_LIMIT {
                    h.raw("<p class=\"meta\">").count(items.count - ITEMS_LIMIT, "more change is", "more changes are").raw(" in lens_drift.diff.</p>");
                }
            }
        }
        if let Some(stmt) = &e.statement {
            h.raw("<details><summary>statement</summary><pre>").pre(stmt).raw("</pre></details>");
        }
        h.raw("</article>");
    }
}

/// Changes shown per history entry (a resync's diff may hold the whole schema).
const ITEMS_LIMIT: usize = 100;

/// A diff's list items, the first ITEMS_LIMIT of them, and how many there are.
#[derive(Default)]
struct Items {
    html: Html,
    count: usize,
}

impl Items {
    /// The writer for the next item, or None past the limit (still counted).
    fn next(&mut self) -> Option<&mut Html> {
        self.count += 1;
        (self.count <= ITEMS_LIMIT).then_some(&mut self.html)
    }
}

/// The list items of a diff, section by section in the snapshot's order.
fn diff_items(r: &Report, items: &mut Items, diff: &Value) {
    for path in crate::sections::SECTIONS {
        let Some(part) = crate::sections::section(diff, path) else { continue };
        let label = section_label(path);
        let is_tables = *path == "tables";
        let key_html = |h: &mut Html, key: &str| {
            match r.table_href(key, Page::Index).filter(|_| is_tables) {
                Some(href) => h.link(&href, key),
                None => h.name(key),
            };
        };
        for e in list(part, "added") {
            let Some(h) = items.next() else { continue };
            h.raw("<li><span class=\"add\">added</span> ").text(label).raw(" ");
            key_html(h, e["key"].as_str().unwrap_or(""));
            h.raw("</li>");
        }
        for e in list(part, "removed") {
            let Some(h) = items.next() else { continue };
            h.raw("<li><span class=\"del\">removed</span> ").text(label).raw(" ").name(e["key"].as_str().unwrap_or("")).raw("</li>");
        }
        for e in list(part, "renamed") {
            let Some(h) = items.next() else { continue };
            h.raw("<li><span class=\"chg\">renamed</span> ").text(label).raw(" ").name(e["from"].as_str().unwrap_or("")).raw(" → ");
            key_html(h, e["to"].as_str().unwrap_or(""));
            if e["exact"] == Value::Bool(false) {
                h.raw(" <span class=\"meta\">(a guess: ").text(&plain(&e["evidence"])).raw(")</span>");
            }
            changes(h, &e["changes"]);
            h.raw("</li>");
        }
        for e in list(part, "changed") {
            let Some(h) = items.next() else { continue };
            h.raw("<li><span class=\"chg\">changed</span> ").text(label).raw(" ");
            key_html(h, e["key"].as_str().unwrap_or(""));
            changes(h, &e["changes"]);
            h.raw("</li>");
        }
        // columns of a table in a new order: {table, before, after}
        for e in list(part, "reordered") {
            let Some(h) = items.next() else { continue };
            h.raw("<li><span class=\"chg\">reordered</span> the columns of ");
            match r.table_href(e["table"].as_str().unwrap_or(""), Page::Index) {
                Some(href) => h.link(&href, e["table"].as_str().unwrap_or("")),
                None => h.name(e["table"].as_str().unwrap_or("")),
            };
            h.raw(": <code>").text(&plain(&e["before"])).raw("</code> → <code>").text(&plain(&e["after"])).raw("</code></li>");
        }
    }
}

fn list<'v>(part: &'v serde_json::Map<String, Value>, name: &str) -> &'v [Value] {
    part.get(name).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// `field: before → after`, one per changed field.
fn changes(h: &mut Html, changes: &Value) {
    let Some(map) = changes.as_object().filter(|m| !m.is_empty()) else { return };
    h.raw("<ul class=\"compact\">");
    for (field, change) in map {
        h.raw("<li>").text(field).raw(": <code>").text(&plain(&change["before"])).raw("</code> → <code>").text(&plain(&change["after"])).raw("</code></li>");
    }
    h.raw("</ul>");
}

/// A JSON value as words: strings bare, lists joined, objects as `key: value` pairs.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => {
            if a.is_empty() {
                "(empty)".to_string()
            } else {
                a.iter().map(plain).collect::<Vec<_>>().join(", ")
            }
        }
        Value::Object(m) if m.contains_key(crate::stored_values::REFERENCE) => {
            format!("(a long value, {} bytes)", m.get("length").and_then(Value::as_i64).unwrap_or(0))
        }
        Value::Object(m) => m.iter().map(|(k, v)| format!("{k}: {}", plain(v))).collect::<Vec<_>>().join("; "),
    }
}

/// What one entry of a section is called.
fn section_label(path: &str) -> &'static str {
    match path {
        "tables" => "table",
        "columns" => "column",
        "constraints.pks" => "primary key",
        "constraints.uniques" => "unique constraint",
        "constraints.checks" => "check constraint",
        "constraints.exclusions" => "exclusion constraint",
        "relationships" => "foreign key",
        "indexes" => "index",
        "views" => "view definition",
        "enums" => "enum",
        "domains" => "domain",
        "sequences" => "sequence",
        "triggers" => "trigger",
        "policies" => "policy",
        "functions" => "function",
        "schemas" => "schema",
        "extensions" => "extension",
        "defaultPrivileges" => "default privileges",
        "collations" => "collation",
        "types" => "type",
        "statistics" => "statistics object",
        "rules" => "rule",
        _ => "entry",
    }
}
