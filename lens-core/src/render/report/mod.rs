//! The HTML report of a snapshot: an overview (counts, riskiest tables, lint findings), a
//! filterable table list, a section per table (columns, keys, references in and out,
//! indexes, partitions, triggers, policies, privileges, risk, findings, a neighbourhood
//! diagram, DDL) and the drift history. Self-contained: inline CSS and one small inline
//! script allowed by its hash in the page's Content-Security-Policy, which also forbids
//! every load (no network, no files). Readable with JavaScript off: the script only
//! unhides and runs the filter box.
//!
//! Two layouts: one document with every section (`Single`), or an index page (the same
//! overview, list and history) and a page per table (`Split`) for large schemas.

mod history;
mod overview;
mod table;

use crate::checks::Finding;
use crate::ddl::{ByTable, Extras};
use crate::docs::file_stem;
use sha2::Digest;
use crate::erd::Lookup;
use crate::html::{anchor_id, file_href, script_hash, Html};
use crate::ident::Keywords;
use crate::model::{Snapshot, Table};
use crate::risk::{Graph, Risk};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const CSS: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Diagrams draw at most this many tables; the rest are listed under them.
pub const DIAGRAM_LIMIT: usize = 30;

/// One lens_drift row, as the report shows it.
#[derive(Debug, Clone, Default)]
pub struct DriftEntry {
    pub id: i64,
    pub captured_at: String,
    pub role_name: String,
    pub session_user_name: Option<String>,
    pub application_name: Option<String>,
    pub command_tags: Vec<String>,
    pub statement: Option<String>,
    pub diff: Option<Value>,
    pub error: Option<String>,
    pub resync: bool,
    pub partial: bool,
}

/// What the history section shows.
#[derive(Debug, Clone)]
pub enum History {
    /// the newest entries, newest first, and whether older ones were left out
    Entries { entries: Vec<DriftEntry>, more: bool },
    /// the caller may not read the history table (its qualified name)
    NotReadable(String),
    /// history_limit 0
    NotAsked,
}

pub struct Input<'a> {
    /// every schema's snapshot: references from other schemas count in risk
    pub snap: &'a Snapshot,
    /// the schemas reported (None: all)
    pub schemas: Option<&'a [String]>,
    pub extras: &'a Extras,
    pub kw: &'a Keywords,
    pub findings: Vec<Finding>,
    pub history: History,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    Single,
    Split,
}

/// Where a page sits, so that its links resolve.
#[derive(Clone, Copy, PartialEq)]
enum Page {
    /// the one document, or the split index
    Index,
    /// a table's own page (`tables/`)
    Table,
}

/// What every part of the report looks up, built once.
struct Report<'a> {
    input: &'a Input<'a>,
    layout: Layout,
    by: ByTable<'a>,
    lookup: Lookup<'a>,
    /// the tables reported, by key
    tables: Vec<&'a Table>,
    reported: HashSet<&'a str>,
    /// the table of each finding (by its index in input.findings), and the reverse
    table_of_finding: Vec<Option<String>>,
    findings_of: HashMap<String, Vec<usize>>,
    /// the reported tables' risks, riskiest first, and where each table's is
    risks: Vec<Risk>,
    risk_at: HashMap<String, usize>,
    /// table key -> its partitions and inheritance children, by key
    children: HashMap<&'a str, Vec<&'a Table>>,
}

impl<'a> Report<'a> {
    fn new(input: &'a Input<'a>, layout: Layout) -> Self {
        let snap = input.snap;
        let tables: Vec<&Table> =
            snap.tables.values().filter(|t| t.has_rows() && input.schemas.map_or(true, |s| s.contains(&t.schema))).collect();
        let reported: HashSet<&str> = tables.iter().map(|t| t.key.as_str()).collect();
        let table_of_finding: Vec<Option<String>> = input.findings.iter().map(|f| finding_table(snap, f)).collect();
        let mut findings_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in table_of_finding.iter().enumerate() {
            if let Some(t) = t {
                findings_of.entry(t.clone()).or_default().push(i);
            }
        }
        let graph = Graph::new(snap);
        let mut risks: Vec<Risk> =
            tables.iter().filter(|t| matches!(t.kind.as_str(), "table" | "partitioned" | "foreign_table")).map(|t| graph.risk(&t.key)).collect();
        // as lens_risks orders them
        risks.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.table.cmp(&b.table)));
        let risk_at = risks.iter().enumerate().map(|(i, x)| (x.table.clone(), i)).collect();
        let mut children: HashMap<&str, Vec<&Table>> = HashMap::new();
        for t in snap.tables.values() {
            for parent in t.partition_of.iter().chain(t.inherits.iter().flatten()) {
                children.entry(parent.as_str()).or_default().push(t);
            }
        }
        Report { input, layout, by: ByTable::new(snap), lookup: Lookup::new(snap), tables, reported, table_of_finding, findings_of, risks, risk_at, children }
    }

    /// A reported table's risk (tables only: views have none).
    fn risk(&self, key: &str) -> Option<&Risk> {
        self.risk_at.get(key).map(|&i| &self.risks[i])
    }

    /// A link to a reported table from `page`; None for tables outside the report.
    fn table_href(&self, key: &str, page: Page) -> Option<String> {
        if !self.reported.contains(key) {
            return None;
        }
        Some(match (self.layout, page) {
            (Layout::Single, _) => format!("#{}", anchor_id("t", key)),
            (Layout::Split, Page::Index) => file_href(&format!("tables/{}", page_file(key))),
            (Layout::Split, Page::Table) => file_href(&page_file(key)),
        })
    }

    /// A table's name, linked when it is in the report.
    fn table_link(&self, h: &mut Html, key: &str, page: Page) {
        match self.table_href(key, page) {
            Some(href) => {
                h.link(&href, key);
            }
            None => {
                h.name(key).raw(" <span class=\"meta\">(not in this report)</span>");
            }
        }
    }
}

/// A table's page: its key as lens_docs names files (readable, percent-encoded), cut to 80
/// bytes, and 12 hex digits of its sha256, so that names differing in case only (one file on
/// macOS or Windows) or long past the 255 bytes a file name may have stay distinct.
pub fn page_file(key: &str) -> String {
    let stem = file_stem(key);
    let cut = stem.char_indices().map(|(i, c)| i + c.len_utf8()).take_while(|&end| end <= 80).last().unwrap_or(0);
    let hash = crate::signature::hex(&sha2::Sha256::digest(key.as_bytes()));
    format!("{}-{}.html", &stem[..cut], &hash[..12])
}

/// The table a finding is about: its own key, or the table of the FK, index, constraint,
/// column or owned sequence it names.
pub fn finding_table(snap: &Snapshot, f: &Finding) -> Option<String> {
    let key = f.object_key.as_str();
    if snap.tables.contains_key(key) {
        return Some(key.to_string());
    }
    let c = &snap.constraints;
    snap.relationships
        .get(key)
        .map(|r| r.child_key.clone())
        .or_else(|| snap.indexes.get(key).map(|i| i.table_key.clone()))
        .or_else(|| c.pks.get(key).or_else(|| c.uniques.get(key)).map(|k| k.table_key.clone()))
        .or_else(|| c.checks.get(key).map(|k| k.table_key.clone()))
        .or_else(|| snap.columns.get(key).map(|k| k.table_key.clone()))
        .or_else(|| {
            let column = snap.sequences.get(key)?.owned_by.as_deref()?;
            snap.columns.get(column).map(|c| c.table_key.clone())
        })
}

/// The report: with `Single`, one `index.html`; with `Split`, `index.html` and
/// `tables/<file>.html` per table, sorted by path.
pub fn render(input: &Input, layout: Layout) -> Vec<(String, String)> {
    pages(input, layout, true)
}

/// The first page alone: the whole report (`Single`) or the split report's index, which
/// needs no table's DDL.
pub fn index(input: &Input, layout: Layout) -> String {
    pages(input, layout, false).swap_remove(0).1
}

fn pages(input: &Input, layout: Layout, with_table_pages: bool) -> Vec<(String, String)> {
    let report = Report::new(input, layout);
    let mut pages = Vec::with_capacity(1 + if layout == Layout::Split { report.tables.len() } else { 0 });
    let mut h = Html::default();
    let db = &input.snap.meta.db_name;
    head(&mut h, &format!("{db}: pg_lens report"), layout);
    h.raw("<header class=\"top\"><h1>Schema report: ").name(db).raw("</h1><div class=\"meta\">");
    h.count(report.tables.len(), "relation", "relations").raw(" · captured ").text(&input.snap.meta.captured_at).raw("</div></header><main>");
    overview::write(&report, &mut h);
    if layout == Layout::Single {
        h.raw("<h2 id=\"tables\">Tables</h2>");
        for t in &report.tables {
            table::write(&report, &mut h, t, Page::Index);
        }
    }
    history::write(&report, &mut h);
    foot(&mut h);
    pages.push(("index.html".to_string(), h.into_string()));
    if layout == Layout::Split && with_table_pages {
        for t in &report.tables {
            let mut h = Html::default();
            head(&mut h, &format!("{}: {db}", t.key), layout);
            h.raw("<header class=\"top\"><a href=\"../index.html\">← ").name(db).raw(" report</a></header><main>");
            table::write(&report, &mut h, t, Page::Table);
            foot(&mut h);
            pages.push((format!("tables/{}", page_file(&t.key)), h.into_string()));
        }
        pages[1..].sort_by(|a, b| a.0.cmp(&b.0));
    }
    pages
}

/// The page's head; `pg_lens-layout` tells scripts whether the table pages must be written
/// beside it.
fn head(h: &mut Html, title: &str, layout: Layout) {
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.raw("<meta http-equiv=\"Content-Security-Policy\"")
        .attr("content", &format!("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {}", script_hash(SCRIPT)))
        .raw(">");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"pg_lens\">");
    h.raw(if layout == Layout::Split { "<meta name=\"pg_lens-layout\" content=\"split\">" } else { "<meta name=\"pg_lens-layout\" content=\"single\">" });
    h.raw("<title>").plain(title).raw("</title><style>").raw(CSS);
    h.raw("</style></head><body>");
}

fn foot(h: &mut Html) {
    h.raw("</main><script>").raw(SCRIPT).raw("</script></body></html>\n");
}

#[cfg(test)]
mod tests;
