//! lens_report in a real browser: the awkward-identifier schema's report opens in headless
//! Chromium without a console message, holds every table, its links between referencing
//! tables resolve, a table named `<script>` stays text; the 5,000-table report's index
//! opens clean too; and the history section follows the caller's privileges.

use pg_lens_e2e::chromium::{screenshot, Browser};
use pg_lens_e2e::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A table whose name would run as a script were it written as markup.
const SCRIPT_TABLE: &str = "<script>document.title='pwned'</script>";

/// Where a test leaves its report and screenshot for review.
fn output(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A file URL: every byte of the path outside `[A-Za-z0-9-._~/]` percent-encoded (the
/// pages' names hold `%`).
fn url(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The keys of the relations a report shows: every table, view and foreign table.
fn relation_keys(db: &mut postgres::Client) -> BTreeSet<String> {
    let snap = json(db, "SELECT lens_snapshot()");
    snap["tables"].as_object().unwrap().keys().cloned().collect()
}

/// (child, parent) of every FK between tables of the snapshot.
fn references(db: &mut postgres::Client) -> Vec<(String, String)> {
    let snap = json(db, "SELECT lens_snapshot()");
    snap["relationships"].as_object().unwrap().values().map(|r| (r["childKey"].as_str().unwrap().to_string(), r["parentKey"].as_str().unwrap().to_string())).collect()
}

/// Section key -> keys of the sections its lists' links lead to (unresolved links: null;
/// the diagrams' links are checked apart).
const LINKS_BY_SECTION: &str = r#"(() => {
  const out = {};
  for (const s of document.querySelectorAll('section.table')) {
    out[s.dataset.key] = [...s.querySelectorAll(':scope > ul a')].map(a => {
      const href = a.getAttribute('href');
      if (!href || !href.startsWith('#')) return null;
      const t = document.getElementById(decodeURIComponent(href.slice(1)));
      const sec = t && t.closest('section.table');
      return sec ? sec.dataset.key : (t ? '' : null);
    });
  }
  return out;
})()"#;

/// How many ids of the page are given to more than one element.
const DUPLICATE_IDS: &str = "(() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length - new Set(ids).size; })()";

/// Links to an anchor of the page that no element has.
const BROKEN_ANCHORS: &str = r#"[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))
  .filter(h => h && h.startsWith('#') && !document.getElementById(decodeURIComponent(h.slice(1))))"#;

#[test]
fn the_awkward_schema_report_opens_clean_in_chromium() {
    let mut db = fresh_db("lens_report_awkward");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute(&format!(
        "CREATE TABLE shop.\"{}\" (id int PRIMARY KEY, customer_id bigint REFERENCES shop.customers ON DELETE CASCADE, \"multi\nline\" text); \
         COMMENT ON TABLE shop.\"{}\" IS '<img src=x onerror=alert(1)>'; \
         ALTER TABLE shop.orders ADD COLUMN note text",
        SCRIPT_TABLE.replace('"', "\"\""),
        SCRIPT_TABLE.replace('"', "\"\"")
    ))
    .unwrap();
    let html = text(&mut db, "SELECT lens_report()");
    let dir = output("awkward");
    let file = dir.join("report.html");
    std::fs::write(&file, &html).unwrap();

    let mut browser = Browser::launch();
    let tab = browser.open(&url(&file));
    let problems = browser.problems(&tab);
    assert!(problems.is_empty(), "the report logs nothing: {problems:#?}");

    // every relation has its section, named by its exact key
    let shown: BTreeSet<String> =
        serde_json::from_value(browser.eval(&tab, "[...document.querySelectorAll('section.table')].map(s => s.dataset.key)")).unwrap();
    let expected = relation_keys(&mut db);
    assert_eq!(shown, expected);
    let script_key = format!("shop.\"{}\"", SCRIPT_TABLE.replace('"', "\"\""));
    assert!(shown.contains(&script_key), "{shown:?}");

    // the `<script>` table is text: our script is the only one, nothing ran
    assert_eq!(browser.eval(&tab, "document.scripts.length"), json!(1));
    assert_eq!(browser.eval(&tab, "document.title"), json!("lens_report_awkward: pg_lens report"));
    assert_eq!(browser.eval(&tab, "document.querySelectorAll('img').length"), json!(0));

    // links: none dangles, no id is given twice; each FK links child to parent and back
    assert_eq!(browser.eval(&tab, BROKEN_ANCHORS), json!([]));
    assert_eq!(browser.eval(&tab, DUPLICATE_IDS), json!(0));
    let links: BTreeMap<String, Vec<Value>> = serde_json::from_value(browser.eval(&tab, LINKS_BY_SECTION)).unwrap();
    let fks = references(&mut db);
    assert!(fks.len() >= 8, "{fks:?}");
    for (child, parent) in &fks {
        assert!(links[child].contains(&json!(parent)), "{child}'s section links to {parent}");
        assert!(links[parent].contains(&json!(child)), "{parent}'s section links to {child}");
    }
    let diagram_links: Vec<String> = serde_json::from_value(browser.eval(
        &tab,
        "[...document.querySelectorAll('svg.erd a')].map(a => document.getElementById(a.getAttribute('href').slice(1)).dataset.key)",
    ))
    .unwrap();
    assert!(diagram_links.contains(&script_key), "{diagram_links:?}");
    // the whole-schema diagram holds a box per relation: no name broke out of the picture
    let boxes = browser.eval(&tab, "document.getElementById('diagram').nextElementSibling.querySelectorAll('svg.erd g.box').length");
    assert_eq!(boxes, json!(expected.len()));

    // the history shows the DDL above as sentences
    let history: String = serde_json::from_value(browser.eval(&tab, "document.getElementById('history').parentElement.innerText")).unwrap();
    assert!(history.contains("added column shop.orders.note"), "{}", &history[..history.len().min(3000)]);

    // the filter box: shown by the script, narrows the list
    let visible: i64 = serde_json::from_value(browser.eval(
        &tab,
        r#"new Promise(done => {
          const input = document.getElementById('filter');
          input.value = 'café';
          input.dispatchEvent(new Event('input'));
          setTimeout(() => done([...document.querySelectorAll('#table-list tr[data-k]')].filter(r => !r.hidden).length), 500);
        })"#,
    ))
    .unwrap();
    let cafe = expected.iter().filter(|k| k.to_lowercase().contains("café")).count() as i64;
    assert!(cafe >= 2 && visible == cafe, "{visible} rows shown, {cafe} match");
    assert!(browser.problems(&tab).is_empty());

    screenshot(&url(&file), &dir.join("report.png"), (1280, 2400));
    eprintln!("report and screenshot: {}", dir.display());

    // the same schema split into pages (as above inline_limit): every page opens clean,
    // every link is a page that exists, awkward names and all
    let split = dir.join("split");
    for row in db.query("SELECT path, content FROM lens_report_pages()", &[]).unwrap() {
        let path = split.join(row.get::<_, String>(0));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, row.get::<_, String>(1)).unwrap();
    }
    let pages: Vec<PathBuf> = std::fs::read_dir(split.join("tables")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(pages.len(), expected.len());
    for page in std::iter::once(split.join("index.html")).chain(pages) {
        let tab = browser.open(&url(&page));
        let problems = browser.problems(&tab);
        assert!(problems.is_empty(), "{}: {problems:#?}", page.display());
        assert_eq!(browser.eval(&tab, BROKEN_ANCHORS), json!([]));
        let hrefs: Vec<String> = serde_json::from_value(browser.eval(&tab, "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")).unwrap();
        for href in hrefs.iter().filter(|h| !h.starts_with('#')) {
            let target = page.parent().unwrap().join(percent_decode(href));
            assert!(target.exists(), "{}: {href}", page.display());
        }
    }
}

/// The checks above would pass on a browser that reports nothing: this one must report.
#[test]
fn the_browser_check_sees_errors_blocked_loads_and_foreign_scripts() {
    let mut db = fresh_db("lens_report_harness");
    let html = text(&mut db, "SELECT lens_report()");
    // the report's own head (its CSP) over a body that breaks every rule
    let head_end = html.find("<body>").unwrap() + "<body>".len();
    let bad = format!(
        "{}<img src=\"http://example.invalid/x.png\"><script>window.ran = true</script></body></html>",
        &html[..head_end]
    );
    let dir = output("harness");
    std::fs::write(dir.join("bad.html"), bad).unwrap();
    std::fs::write(dir.join("thrower.html"), "<!DOCTYPE html><script>console.error('x'); undefinedCall()</script>").unwrap();
    let mut browser = Browser::launch();
    let tab = browser.open(&url(&dir.join("bad.html")));
    let problems = browser.problems(&tab);
    assert!(problems.iter().any(|p| p.contains("img-src")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("script-src")), "{problems:#?}");
    assert_eq!(browser.eval(&tab, "window.ran === undefined"), json!(true), "the CSP stopped the script");
    let tab = browser.open(&url(&dir.join("thrower.html")));
    let problems = browser.problems(&tab);
    assert!(problems.iter().any(|p| p.starts_with("console.\"error\"")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.starts_with("exception")), "{problems:#?}");
}

#[test]
fn with_javascript_off_the_report_reads_the_same() {
    let mut db = fresh_db("lens_report_nojs");
    db.batch_execute(&fixture("realistic.sql")).unwrap();
    let html = text(&mut db, "SELECT lens_report()");
    // the only script unhides the filter box; everything else is in the markup
    let script_start = html.find("<script>").unwrap();
    let without_script = format!("{}{}", &html[..script_start], &html[html[script_start..].find("</script>").unwrap() + script_start + 9..]);
    let dir = output("nojs");
    let file = dir.join("report.html");
    std::fs::write(&file, &without_script).unwrap();
    let mut browser = Browser::launch();
    let tab = browser.open(&url(&file));
    assert_eq!(browser.eval(&tab, "document.getElementById('filter').hidden"), json!(true), "no dead control");
    let shown: BTreeSet<String> =
        serde_json::from_value(browser.eval(&tab, "[...document.querySelectorAll('section.table')].map(s => s.dataset.key)")).unwrap();
    assert_eq!(shown, relation_keys(&mut db));
    assert_eq!(browser.eval(&tab, BROKEN_ANCHORS), json!([]));
    assert!(browser.problems(&tab).is_empty());
}

#[test]
fn the_history_needs_select_on_lens_drift_and_the_rest_does_not() {
    let mut db = fresh_db("lens_report_roles");
    db.batch_execute(
        "CREATE TABLE secret_change (id int); \
         DROP ROLE IF EXISTS lens_report_reader; CREATE ROLE lens_report_reader; \
         GRANT USAGE ON SCHEMA public TO lens_report_reader",
    )
    .unwrap();
    let admin = text(&mut db, "SELECT lens_report()");
    let at = admin.find("id=\"history\"").unwrap();
    assert!(admin.contains("added</span> table <a href=\"#t-public.secret_5Fchange\">"), "{}", &admin[at..]);
    db.batch_execute("SET ROLE lens_report_reader").unwrap();
    let reader = text(&mut db, "SELECT lens_report()");
    let at = reader.find("id=\"history\"").unwrap();
    assert!(reader.contains("The history is not shown: it needs SELECT on <bdi>public.lens_drift</bdi>"), "{}", &reader[at..]);
    assert!(reader.contains("data-key=\"public.secret_change\""), "the tables are still there");
    assert!(!reader.contains("added</span> table"));
    db.batch_execute("RESET ROLE; DROP OWNED BY lens_report_reader; DROP ROLE lens_report_reader").unwrap();
    // a report of one schema tells that schema's history only
    db.batch_execute("CREATE SCHEMA \"Other\"; CREATE TABLE \"Other\".notes (id int)").unwrap();
    let other = text(&mut db, "SELECT lens_report(ARRAY['Other'])");
    assert!(other.contains("added</span> table <a href=\"#t-_22Other_22.notes\">"));
    assert!(!other.contains("secret_change"), "public's history is not Other's");
}

#[test]
fn bad_limits_are_errors_with_hints() {
    let mut db = fresh_db("lens_report_bad");
    for sql in ["SELECT lens_report(inline_limit => -1)", "SELECT lens_report(history_limit => -5)", "SELECT count(*) FROM lens_report_pages(history_limit => -1)"] {
        let (state, _, hint) = error_of(&mut db, sql);
        assert_eq!(state, "22023", "{sql}");
        assert!(hint.is_some(), "{sql}");
    }
    let (state, _, _) = error_of(&mut db, "SELECT lens_report(ARRAY['no_such_schema'])");
    assert_eq!(state, "3F000");
    assert!(text(&mut db, "SELECT lens_report(history_limit => 0)").contains("The history is not shown (history_limit 0)."));
}

/// The benchmark schema: fixtures/gen_schema.py (a copy of ../shared/bench/gen_schema.py).
fn benchmark_schema(tables: usize) -> String {
    let script = format!("{}/fixtures/gen_schema.py", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3").arg(&script).arg(tables.to_string()).output().expect("python3 runs gen_schema.py");
    assert!(out.status.success(), "gen_schema.py: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_5000_table_report_is_an_index_that_opens_clean_and_pages_that_link_back() {
    let mut db = fresh_db("lens_report_5000");
    db.batch_execute(&format!("SET lens.capture = off; {}", benchmark_schema(5000))).unwrap();
    let expected = relation_keys(&mut db);
    assert!(expected.len() >= 5000);
    let dir = output("5000");
    let index = text(&mut db, "SELECT lens_report()");
    assert!(!index.contains("<section class=\"table\""), "over inline_limit: the index alone");
    // the pages: the index and one per relation, written as scripts/lens_report.py does
    let rows = db.query("SELECT path, content FROM lens_report_pages()", &[]).unwrap();
    assert_eq!(rows.len(), expected.len() + 1);
    for row in &rows {
        let path = dir.join(row.get::<_, String>(0));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, row.get::<_, String>(1)).unwrap();
    }
    let mut browser = Browser::launch();
    let tab = browser.open(&url(&dir.join("index.html")));
    assert!(browser.problems(&tab).is_empty(), "{:#?}", browser.problems(&tab));
    let listed: BTreeSet<String> = serde_json::from_value(browser.eval(
        &tab,
        "[...document.querySelectorAll('#table-list tr[data-k] a')].map(a => a.textContent)",
    ))
    .unwrap();
    assert_eq!(listed, expected);
    // every link of the index is an anchor of it or a page that exists
    let hrefs: Vec<String> = serde_json::from_value(browser.eval(&tab, "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")).unwrap();
    for href in hrefs.iter().filter(|h| !h.starts_with('#')) {
        let path = dir.join(percent_decode(href));
        assert!(path.exists(), "{href}");
    }
    assert_eq!(browser.eval(&tab, BROKEN_ANCHORS), json!([]));
    // one table page: opens clean, links back and to its neighbours' pages
    let page = std::fs::read_dir(dir.join("tables")).unwrap().map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("app.t00002-")).expect("app.t00002's page");
    let tab = browser.open(&url(&page));
    assert!(browser.problems(&tab).is_empty(), "{:#?}", browser.problems(&tab));
    let hrefs: Vec<String> = serde_json::from_value(browser.eval(&tab, "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")).unwrap();
    assert!(hrefs.contains(&"../index.html".to_string()));
    assert!(hrefs.iter().filter(|h| h.ends_with(".html") && !h.starts_with("..")).count() >= 1, "{hrefs:?}");
    for href in hrefs.iter().filter(|h| !h.starts_with('#')) {
        assert!(dir.join("tables").join(percent_decode(href)).exists(), "{href}");
    }
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
