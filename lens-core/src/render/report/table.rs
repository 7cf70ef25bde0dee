//! One table's section: what it holds, what it links to, what deleting from it reaches,
//! what lint says of it, its neighbourhood diagram and its DDL.

use super::overview::{badge, kind_label};
use super::{Page, Report, DIAGRAM_LIMIT};
use crate::ddl::{of, table_ddl_with};
use crate::html::{anchor_id, part_id, Html};
use crate::model::{Privileges, Relationship, Table};

/// Rows of a blast radius or of blockers shown; lens_risk has them all.
const LIST_LIMIT: usize = 50;

/// What a capped list left out.
fn more(h: &mut Html, total: usize) {
    if total > LIST_LIMIT {
        h.raw("<p class=\"meta\">").count(total - LIST_LIMIT, "more is", "more are").raw(" in lens_risk().</p>");
    }
}

pub(super) fn write(r: &Report, h: &mut Html, t: &Table, page: Page) {
    let id = anchor_id("t", &t.key);
    h.raw("<section class=\"table\"").attr("id", &id).attr("data-key", &t.key).raw("><h2>").name(&t.key);
    h.raw(" <span class=\"kind\">").text(kind_label(&t.kind)).raw("</span>");
    if let Some(x) = r.risk(&t.key) {
        h.raw(" ");
        badge(h, x.level, &format!("risk {} {}", x.level, x.score));
    }
    h.raw("</h2>");
    if let Some(comment) = &t.comment {
        h.raw("<p class=\"comment\">").pre(comment).raw("</p>");
    }
    facts(r, h, t, page);
    columns(r, h, t, &id);
    keys(r, h, t);
    references(r, h, t, page);
    indexes(r, h, t);
    partitions(r, h, t, page);
    triggers_and_policies(r, h, t);
    privileges(h, t.owner.as_deref(), t.privileges.as_ref(), &of(&r.by.columns, &t.key).iter().filter_map(|c| Some((c.name.as_str(), c.privileges.as_ref()?))).collect::<Vec<_>>());
    risk(r, h, t, page);
    findings(r, h, t);
    diagram(r, h, t, page);
    if let Some(ddl) = table_ddl_with(&r.by, &t.key, r.input.extras, r.input.kw) {
        h.raw("<details><summary>DDL</summary><pre>").pre(&ddl).raw("</pre></details>");
    }
    h.raw("</section>");
}

fn facts(r: &Report, h: &mut Html, t: &Table, page: Page) {
    h.raw("<dl class=\"facts\">");
    if let Some(parent) = &t.partition_of {
        h.raw("<dt>partition of</dt><dd>");
        r.table_link(h, parent, page);
        h.raw(" <code>").text(t.partition_bound.as_deref().unwrap_or("")).raw("</code></dd>");
    }
    if let Some(k) = &t.partition_key {
        h.raw("<dt>partitioned by</dt><dd><code>").text(k).raw("</code></dd>");
    }
    if let Some(parents) = &t.inherits {
        h.raw("<dt>inherits</dt><dd>");
        for (i, p) in parents.iter().enumerate() {
            if i > 0 {
                h.raw(", ");
            }
            r.table_link(h, p, page);
        }
        h.raw("</dd>");
    }
    if matches!(t.kind.as_str(), "table" | "materialized_view") {
        h.raw("<dt>rows (estimate)</dt><dd>");
        if t.row_estimate < 0 {
            h.raw("unknown (never analyzed)");
        } else {
            h.num(t.row_estimate);
        }
        h.raw("</dd><dt>size</dt><dd>").text(&crate::docs::pretty_bytes(t.total_bytes)).raw("</dd>");
    }
    if t.persistence != "permanent" {
        h.raw("<dt>persistence</dt><dd>").text(&t.persistence).raw("</dd>");
    }
    if t.rls_enabled {
        h.raw("<dt>row-level security</dt><dd>").raw(if t.rls_forced { "on, forced" } else { "on" }).raw("</dd>");
    }
    if let Some(v) = r.input.snap.views.get(&t.key) {
        h.raw("</dl><h3>Query</h3><pre>").pre(&v.definition).raw("</pre>");
        return;
    }
    h.raw("</dl>");
}

fn columns(r: &Report, h: &mut Html, t: &Table, id: &str) {
    let cols = of(&r.by.columns, &t.key);
    if cols.is_empty() {
        return;
    }
    h.raw("<h3>Columns</h3><table class=\"grid\"><tr><th>#</th><th>column</th><th>type</th><th>null</th><th>default</th><th>keys</th><th>comment</th></tr>");
    for c in cols {
        h.raw("<tr").attr("id", &part_id(id, "c", &c.name)).raw("><td class=\"num\">").num(c.position).raw("</td><td>").name(&c.name);
        h.raw("</td><td><code>").text(&c.data_type).raw("</code></td><td>").raw(if c.is_nullable { "yes" } else { "not null" }).raw("</td><td>");
        if let Some(g) = &c.generated {
            h.raw("generated <code>").text(g).raw("</code>").raw(if c.generated_virtual { " virtual" } else { " stored" });
        } else if let Some(i) = &c.identity {
            h.raw("identity ").text(i);
        } else if let Some(d) = &c.default {
            h.raw("<code>").text(d).raw("</code>");
        }
        h.raw("</td><td>").text(&r.lookup.marks_of(&t.key, &c.name, ", ")).raw("</td><td class=\"comment\">").pre(c.comment.as_deref().unwrap_or("")).raw("</td></tr>");
    }
    h.raw("</table>");
}

fn keys(r: &Report, h: &mut Html, t: &Table) {
    let pks = of(&r.by.pks, &t.key);
    let uniques = of(&r.by.uniques, &t.key);
    let checks = of(&r.by.checks, &t.key);
    let exclusions = of(&r.by.exclusions, &t.key);
    if pks.is_empty() && uniques.is_empty() && checks.is_empty() && exclusions.is_empty() {
        return;
    }
    h.raw("<h3>Keys and constraints</h3><ul class=\"compact\">");
    for (kind, k) in pks.iter().map(|k| ("primary key", k)).chain(uniques.iter().map(|k| ("unique", k))) {
        h.raw("<li>").text(kind).raw(" ").name(&k.name).raw(" (").text(&cols(r, &k.columns)).raw(")");
        deferrable(h, k.deferrable, k.initially_deferred);
        h.raw("</li>");
    }
    for c in checks {
        h.raw("<li>check ").name(&c.name).raw(" <code>").text(&c.expression).raw("</code>").raw(if c.validated { "" } else { " (not valid)" }).raw("</li>");
    }
    for x in exclusions {
        h.raw("<li>exclusion ").name(&x.name).raw(" <code>").text(&x.definition).raw("</code></li>");
    }
    h.raw("</ul>");
}

/// Column names as SQL writes them: a name holding ", " stays one name.
fn cols(r: &Report, names: &[String]) -> String {
    names.iter().map(|n| crate::ident::quote_ident(n, r.input.kw)).collect::<Vec<_>>().join(", ")
}

fn deferrable(h: &mut Html, deferrable: bool, initially_deferred: bool) {
    if deferrable {
        h.raw(if initially_deferred { ", deferrable initially deferred" } else { ", deferrable" });
    }
}

fn references(r: &Report, h: &mut Html, t: &Table, page: Page) {
    let mut out: Vec<&Relationship> = of(&r.by.fks_out, &t.key).to_vec();
    let mut inc: Vec<&Relationship> = of(&r.by.fks_in, &t.key).to_vec();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    inc.sort_by(|a, b| a.key.cmp(&b.key));
    for (title, list, outgoing) in [("References out", &out, true), ("References in", &inc, false)] {
        if list.is_empty() {
            continue;
        }
        h.raw("<h3>").text(title).raw("</h3><ul class=\"compact\">");
        for fk in list.iter() {
            h.raw("<li>");
            if outgoing {
                h.raw("(").text(&cols(r, &fk.child_cols)).raw(") → ");
                r.table_link(h, &fk.parent_key, page);
                h.raw(" (").text(&cols(r, &fk.parent_cols)).raw(")");
            } else {
                r.table_link(h, &fk.child_key, page);
                h.raw(" (").text(&cols(r, &fk.child_cols)).raw(") → (").text(&cols(r, &fk.parent_cols)).raw(")");
            }
            h.raw(" <span class=\"meta\">").name(&fk.name).raw(", on delete ").text(&fk.on_delete).raw(", on update ").text(&fk.on_update);
            deferrable(h, fk.deferrable, fk.initially_deferred);
            if !fk.validated {
                h.raw(", not valid");
            }
            h.raw("</span></li>");
        }
        h.raw("</ul>");
    }
}

fn indexes(r: &Report, h: &mut Html, t: &Table) {
    let mut list = of(&r.by.indexes, &t.key).to_vec();
    if list.is_empty() {
        return;
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    h.raw("<h3>Indexes</h3><ul class=\"compact\">");
    for i in list {
        h.raw("<li><code>").text(&i.definition).raw("</code>").raw(if i.is_valid { "" } else { " <strong>invalid</strong>" }).raw("</li>");
    }
    h.raw("</ul>");
}

fn partitions(r: &Report, h: &mut Html, t: &Table, page: Page) {
    let children = r.children.get(t.key.as_str()).map(Vec::as_slice).unwrap_or(&[]);
    if children.is_empty() {
        return;
    }
    h.raw("<h3>").raw(if t.kind == "partitioned" { "Partitions" } else { "Children" }).raw("</h3><ul class=\"compact\">");
    for c in children {
        h.raw("<li>");
        r.table_link(h, &c.key, page);
        if let Some(bound) = &c.partition_bound {
            h.raw(" <code>").text(bound).raw("</code>");
        }
        h.raw("</li>");
    }
    h.raw("</ul>");
}

fn triggers_and_policies(r: &Report, h: &mut Html, t: &Table) {
    let mut triggers = of(&r.by.triggers, &t.key).to_vec();
    triggers.sort_by(|a, b| a.name.cmp(&b.name));
    if !triggers.is_empty() {
        h.raw("<h3>Triggers</h3><ul class=\"compact\">");
        for tr in triggers {
            h.raw("<li><code>").text(&tr.definition).raw("</code>");
            if tr.enabled != "O" && tr.enabled != "origin" {
                h.raw(" <span class=\"meta\">enabled: ").text(&tr.enabled).raw("</span>");
            }
            h.raw("</li>");
        }
        h.raw("</ul>");
    }
    let mut policies = of(&r.by.policies, &t.key).to_vec();
    policies.sort_by(|a, b| a.name.cmp(&b.name));
    if !policies.is_empty() {
        h.raw("<h3>Policies</h3><ul class=\"compact\">");
        for p in policies {
            h.raw("<li>").name(&p.name).raw(" (").raw(if p.permissive { "permissive" } else { "restrictive" }).raw(", ").text(&p.command);
            h.raw(", to ").text(&p.roles.iter().map(|role| crate::ident::quote_ident(role, r.input.kw)).collect::<Vec<_>>().join(", ")).raw(")");
            if let Some(u) = &p.using {
                h.raw(" using <code>").text(u).raw("</code>");
            }
            if let Some(w) = &p.with_check {
                h.raw(" with check <code>").text(w).raw("</code>");
            }
            h.raw("</li>");
        }
        h.raw("</ul>");
    }
}

fn privileges(h: &mut Html, owner: Option<&str>, privileges: Option<&Privileges>, columns: &[(&str, &Privileges)]) {
    h.raw("<h3>Owner and privileges</h3><p>");
    if let Some(owner) = owner {
        h.raw("Owner: ").name(owner).raw(". ");
    }
    match privileges {
        None => {
            h.raw("Privileges: the defaults (the owner's).</p>");
        }
        Some(p) if p.is_empty() => {
            h.raw("Privileges: none (all revoked).</p>");
        }
        Some(p) => {
            h.raw("</p><table class=\"grid\"><tr><th>grantee</th><th>privileges</th></tr>");
            for (grantee, list) in p {
                h.raw("<tr><td>").name(grantee).raw("</td><td>").text(&list.join(", ")).raw("</td></tr>");
            }
            h.raw("</table>");
        }
    }
    if !columns.is_empty() {
        h.raw("<table class=\"grid\"><tr><th>column</th><th>grantee</th><th>privileges</th></tr>");
        for (column, p) in columns {
            for (grantee, list) in p.iter() {
                h.raw("<tr><td>").name(column).raw("</td><td>").name(grantee).raw("</td><td>").text(&list.join(", ")).raw("</td></tr>");
            }
        }
        h.raw("</table>");
    }
}

fn risk(r: &Report, h: &mut Html, t: &Table, page: Page) {
    let Some(x) = r.risk(&t.key) else { return };
    h.raw("<h3>Risk</h3><p>");
    badge(h, x.level, &format!("{} {}/100", x.level, x.score));
    h.raw(" ").text(&x.reasons.join("; ")).raw("</p>");
    let radius = &x.blast_radius;
    if radius.tables.is_empty() && x.blockers.is_empty() {
        h.raw("<p>A delete from it reaches no other table.</p>");
        return;
    }
    if !radius.tables.is_empty() {
        h.raw("<p>Blast radius: a delete reaches ").count(radius.tables.len(), "table", "tables").raw(", about ").num(radius.estimated_rows.max(0));
        h.raw(" rows (estimate), ").count(radius.max_depth, "FK", "FKs").raw(" deep.</p><table class=\"grid\"><tr><th>table</th><th>depth</th><th>action</th><th>through</th><th>rows (estimate)</th></tr>");
        for reached in radius.tables.iter().take(LIST_LIMIT) {
            h.raw("<tr><td>");
            r.table_link(h, &reached.table, page);
            h.raw("</td><td class=\"num\">").num(reached.depth).raw("</td><td>").text(&reached.action).raw("</td><td>").name(&reached.via);
            h.raw("</td><td class=\"num\">");
            if reached.row_estimate < 0 {
                h.raw("unknown");
            } else {
                h.num(reached.row_estimate);
            }
            h.raw("</td></tr>");
        }
        h.raw("</table>");
        more(h, radius.tables.len());
    }
    if !x.blockers.is_empty() {
        h.raw("<p>Deletes are stopped by rows in:</p><ul class=\"compact\">");
        for b in x.blockers.iter().take(LIST_LIMIT) {
            h.raw("<li>");
            r.table_link(h, &b.table, page);
            h.raw(" via ").name(&b.relationship).raw(" (on delete ").text(&b.on_delete).raw(")</li>");
        }
        h.raw("</ul>");
        more(h, x.blockers.len());
    }
}

fn findings(r: &Report, h: &mut Html, t: &Table) {
    let Some(list) = r.findings_of.get(&t.key) else { return };
    h.raw("<h3>Lint findings</h3><ul class=\"compact\">");
    for &i in list {
        let f = &r.input.findings[i];
        h.raw("<li>");
        badge(h, f.severity, f.severity);
        h.raw(" ").text(f.rule).raw(": ").text(&f.message).raw("<br><code>").text(&f.remediation).raw("</code></li>");
    }
    h.raw("</ul>");
}

/// The table and its FK neighbours (one step either way), at most DIAGRAM_LIMIT of them.
fn diagram(r: &Report, h: &mut Html, t: &Table, page: Page) {
    let mut near: Vec<&str> = of(&r.by.fks_out, &t.key).iter().map(|f| f.parent_key.as_str()).chain(of(&r.by.fks_in, &t.key).iter().map(|f| f.child_key.as_str())).collect();
    if near.is_empty() {
        return;
    }
    near.sort();
    near.dedup();
    near.retain(|k| *k != t.key && r.input.snap.tables.contains_key(*k));
    let rest = near.len().saturating_sub(DIAGRAM_LIMIT - 1);
    let mut keys: Vec<&str> = near.iter().take(DIAGRAM_LIMIT - 1).copied().chain([t.key.as_str()]).collect();
    keys.sort();
    h.raw("<h3>Diagram</h3>");
    crate::svg_erd::render(h, &r.by, &r.lookup, &keys, Some(&t.key), &|k| r.table_href(k, page));
    if rest > 0 {
        h.raw("<p class=\"meta\">").count(rest, "more neighbour is", "more neighbours are").raw(" listed under References.</p>");
    }
}
