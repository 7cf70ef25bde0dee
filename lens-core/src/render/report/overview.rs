//! The report's first part: what database, counts per kind, the riskiest tables, lint
//! findings by severity, the whole diagram when it is small, and the filterable list.

use super::{Page, Report, DIAGRAM_LIMIT};
use crate::ddl::of;
use crate::html::Html;
use std::collections::BTreeMap;

/// Riskiest tables shown in the overview.
const RISKIEST: usize = 10;
/// Tables named per lint rule in the overview.
const FINDING_TABLES: usize = 12;
/// Rows of the table list per `<tbody>`.
const LIST_CHUNK: usize = 200;

pub(super) fn write(r: &Report, h: &mut Html) {
    let snap = r.input.snap;
    let meta = &snap.meta;
    h.raw("<h2 id=\"overview\">Overview</h2><dl class=\"facts\">");
    let schemas = match r.input.schemas {
        Some(s) => s.join(", "),
        None => "every user schema".to_string(),
    };
    for (label, value) in [
        ("database", meta.db_name.as_str()),
        ("server", meta.server_version.as_deref().unwrap_or("unknown")),
        ("captured", meta.captured_at.as_str()),
        ("signature", meta.signature.as_str()),
        ("schemas", schemas.as_str()),
    ] {
        h.raw("<dt>").text(label).raw("</dt><dd>").name(value).raw("</dd>");
    }
    h.raw("</dl>");

    // counts per kind, of what belongs to the reported tables and schemas
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &r.tables {
        *counts.entry(kind_label(&t.kind)).or_default() += 1;
        for (label, n) in [
            ("columns", of(&r.by.columns, &t.key).len()),
            ("indexes", of(&r.by.indexes, &t.key).len()),
            ("foreign keys", of(&r.by.fks_out, &t.key).len()),
            ("triggers", of(&r.by.triggers, &t.key).len()),
            ("policies", of(&r.by.policies, &t.key).len()),
            ("primary keys", of(&r.by.pks, &t.key).len()),
            ("unique constraints", of(&r.by.uniques, &t.key).len()),
            ("check constraints", of(&r.by.checks, &t.key).len()),
        ] {
            *counts.entry(label).or_default() += n;
        }
    }
    let in_scope = |schema: &str| r.input.schemas.map_or(true, |s| s.iter().any(|x| x == schema));
    counts.insert("functions", snap.functions.values().filter(|f| in_scope(&f.schema)).count());
    counts.insert("sequences", snap.sequences.values().filter(|s| in_scope(&s.schema)).count());
    let order = [
        "table", "partitioned table", "foreign table", "view", "materialized view", "columns", "primary keys", "unique constraints",
        "check constraints", "foreign keys", "indexes", "triggers", "policies", "sequences", "functions",
    ];
    h.raw("<table class=\"grid\" style=\"width:auto\"><tr><th>kind</th><th>count</th></tr>");
    for label in order {
        if let Some(n) = counts.get(label).filter(|n| **n > 0) {
            h.raw("<tr><td>").text(label).raw("</td><td class=\"num\">").num(n).raw("</td></tr>");
        }
    }
    h.raw("</table>");

    // the riskiest tables
    let risks: Vec<_> = r.risks.iter().take(RISKIEST).collect();
    h.raw("<h3 id=\"riskiest\">Riskiest tables</h3>");
    if risks.is_empty() {
        h.raw("<p class=\"meta\">No tables.</p>");
    } else {
        h.raw("<table class=\"grid\"><tr><th>table</th><th>risk</th><th>blast radius</th><th>why</th></tr>");
        for x in &risks {
            h.raw("<tr><td>");
            r.table_link(h, &x.table, Page::Index);
            h.raw("</td><td>");
            badge(h, x.level, &format!("{} {}", x.level, x.score));
            h.raw("</td><td class=\"num\">").count(x.blast_radius.tables.len(), "table", "tables").raw("</td><td>").text(&x.reasons.join("; ")).raw("</td></tr>");
        }
        h.raw("</table>");
    }

    // lint findings by severity
    let findings = reported_findings(r);
    h.raw("<h3 id=\"findings\">Lint findings</h3>");
    if findings.is_empty() {
        h.raw("<p>No findings.</p>");
    } else {
        let mut by_severity: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &findings {
            *by_severity.entry(r.input.findings[i].severity).or_default() += 1;
        }
        h.raw("<p>");
        for sev in ["error", "warning", "info"] {
            if let Some(n) = by_severity.get(sev) {
                badge(h, sev, &format!("{n} {sev}{}", if *n == 1 { "" } else { "s" }));
                h.raw(" ");
            }
        }
        // one row per rule: a finding each is on its table's section, thousands do not fit here
        let mut by_rule: BTreeMap<(u8, &str), Vec<usize>> = BTreeMap::new();
        for &i in &findings {
            let f = &r.input.findings[i];
            let rank = match f.severity {
                "error" => 0,
                "warning" => 1,
                _ => 2,
            };
            by_rule.entry((rank, f.rule)).or_default().push(i);
        }
        h.raw("</p><table class=\"grid\"><tr><th>severity</th><th>rule</th><th>findings</th><th>on</th></tr>");
        for ((_, rule), list) in &by_rule {
            let first = &r.input.findings[list[0]];
            h.raw("<tr><td>");
            badge(h, first.severity, first.severity);
            h.raw("</td><td>").text(rule).raw("</td><td class=\"num\">").num(list.len()).raw("</td><td>");
            let mut tables: Vec<String> = list.iter().filter_map(|&i| r.table_of_finding[i].clone()).collect();
            tables.sort();
            tables.dedup();
            for (n, t) in tables.iter().take(FINDING_TABLES).enumerate() {
                if n > 0 {
                    h.raw(", ");
                }
                r.table_link(h, t, Page::Index);
            }
            if tables.len() > FINDING_TABLES {
                h.raw(" and ").num(tables.len() - FINDING_TABLES).raw(" more");
            }
            let elsewhere = list.iter().filter(|&&i| r.table_of_finding[i].is_none()).count();
            if elsewhere > 0 {
                h.raw(if tables.is_empty() { "" } else { "; " }).count(elsewhere, "object that is no table", "objects that are no table").raw(" (below)");
            }
            h.raw("</td></tr>");
        }
        h.raw("</table><p class=\"meta\">Each finding on a table, with the SQL that fixes it, is in the table's section.</p>");
        let elsewhere: Vec<usize> = findings.iter().copied().filter(|&i| r.table_of_finding[i].is_none()).collect();
        if !elsewhere.is_empty() {
            h.raw("<h3 id=\"other-findings\">Findings on other objects</h3><ul class=\"compact\">");
            for i in elsewhere {
                let f = &r.input.findings[i];
                h.raw("<li>");
                badge(h, f.severity, f.severity);
                h.raw(" ").text(f.rule).raw(" ").name(&f.object_key).raw(": ").text(&f.message).raw("<br><code>").text(&f.remediation).raw("</code></li>");
            }
            h.raw("</ul>");
        }
    }

    if !r.tables.is_empty() && r.tables.len() <= DIAGRAM_LIMIT {
        h.raw("<h3 id=\"diagram\">Diagram</h3>");
        let keys: Vec<&str> = r.tables.iter().map(|t| t.key.as_str()).collect();
        crate::svg_erd::render(h, &r.by, &r.lookup, &keys, None, &|k| r.table_href(k, Page::Index));
    }

    // the table list
    h.raw("<h2 id=\"table-index\">Table list</h2>");
    if r.layout == super::Layout::Split {
        h.raw("<p class=\"banner\">Large schema: each table has a page of its own under <code>tables/</code>. ");
        h.raw("<code>lens_report_pages()</code> returns every page; <code>scripts/lens_report.py --out DIR</code> writes them.</p>");
    }
    h.raw("<input id=\"filter\" type=\"search\" placeholder=\"filter tables\" aria-label=\"filter tables\" hidden> <span id=\"filter-count\" class=\"meta\"></span>");
    h.raw("<table class=\"grid\" id=\"table-list\"><thead><tr><th>table</th><th>kind</th><th>columns</th><th>rows (estimate)</th><th>risk</th><th>findings</th></tr></thead><tbody>");
    for (n, t) in r.tables.iter().enumerate() {
        if n > 0 && n % LIST_CHUNK == 0 {
            // the browser lays out only the chunks in view (content-visibility)
            h.raw("</tbody><tbody>");
        }
        h.raw("<tr").attr("data-k", &t.key.to_lowercase()).raw("><td>");
        r.table_link(h, &t.key, Page::Index);
        h.raw("</td><td>").text(kind_label(&t.kind)).raw("</td><td class=\"num\">").num(of(&r.by.columns, &t.key).len()).raw("</td><td class=\"num\">");
        if t.row_estimate < 0 {
            h.raw("unknown");
        } else {
            h.num(t.row_estimate);
        }
        h.raw("</td><td>");
        if let Some(x) = r.risk(&t.key) {
            badge(h, x.level, &format!("{} {}", x.level, x.score));
        }
        h.raw("</td><td class=\"num\">").num(r.findings_of.get(&t.key).map_or(0, Vec::len)).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
}

/// Findings on reported tables, and those on no table (an unowned sequence) in a reported
/// schema.
fn reported_findings(r: &Report) -> Vec<usize> {
    let prefixes: Option<Vec<String>> =
        r.input.schemas.map(|list| list.iter().map(|s| format!("{}.", crate::ident::quote_ident(s, r.input.kw))).collect());
    (0..r.input.findings.len())
        .filter(|&i| {
            let f = &r.input.findings[i];
            match &r.table_of_finding[i] {
                Some(t) => r.reported.contains(t.as_str()),
                None => prefixes.as_ref().map_or(true, |p| p.iter().any(|p| f.object_key.starts_with(p.as_str()))),
            }
        })
        .collect()
}

pub(super) fn kind_label(kind: &str) -> &'static str {
    match kind {
        "table" => "table",
        "partitioned" => "partitioned table",
        "view" => "view",
        "materialized_view" => "materialized view",
        "foreign_table" => "foreign table",
        _ => "relation",
    }
}

/// A coloured label; `class` is one of ours (a level or a severity).
pub(super) fn badge(h: &mut Html, class: &str, text: &str) {
    let class = match class.to_ascii_lowercase().as_str() {
        "low" => "badge low",
        "medium" => "badge medium",
        "high" => "badge high",
        "critical" => "badge critical",
        "error" => "badge error",
        "warning" => "badge warning",
        _ => "badge info",
    };
    h.raw("<span").attr("class", class).raw(">").text(text).raw("</span>");
}
