//! Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
//! NUL-terminated JSON, commands on fd 3, answers and events on fd 4): open a page, wait
//! for its load event, evaluate JavaScript in it, and collect every console message,
//! uncaught exception and browser log entry it caused.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// Debian's binary (`/usr/bin/chromium` is a shell wrapper that adds flags of its own).
pub fn binary() -> String {
    std::env::var("PG_LENS_CHROMIUM").unwrap_or_else(|_| "/usr/lib/chromium/chromium".to_string())
}

/// Not a timing: only how long a hung browser is waited for before the test fails.
const HANG: Duration = Duration::from_secs(300);

pub struct Browser {
    child: Child,
    commands: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    /// events not yet looked at
    events: Vec<Value>,
    profile: std::path::PathBuf,
}

/// An open page: its DevTools session.
pub struct Tab {
    session: String,
}

impl Browser {
    pub fn launch() -> Browser {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let profile = std::env::temp_dir().join(format!("pg_lens_chromium_{}_{}", std::process::id(), COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)));
        std::fs::create_dir_all(&profile).unwrap();
        // sh moves our pipes to the fds the protocol uses
        let mut child = Command::new("sh")
            .args(["-c", r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#, &binary()])
            .args(["--headless=new", "--disable-gpu", "--no-sandbox", "--remote-debugging-pipe", "--no-first-run", "--hide-scrollbars"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} (scripts/setup.sh installs chromium): {e}", binary()));
        let commands = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            while out.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
                buf.clear();
            }
        });
        Browser { child, commands, messages, next_id: 0, events: Vec::new(), profile }
    }

    /// Sends a command and waits for its answer; events seen meanwhile are kept.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.commands.write_all(&bytes).and_then(|_| self.commands.flush()).unwrap_or_else(|e| panic!("chromium's pipe: {e}"));
        loop {
            let m = self.messages.recv_timeout(HANG).unwrap_or_else(|_| panic!("chromium did not answer {method}"));
            if m["id"] == json!(id) {
                if let Some(err) = m.get("error") {
                    panic!("{method}: {err}");
                }
                return m["result"].clone();
            }
            self.events.push(m);
        }
    }

    /// Opens `url` in a new tab and waits until it has loaded.
    pub fn open(&mut self, url: &str) -> Tab {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let attached = self.call(None, "Target.attachToTarget", json!({"targetId": target["targetId"], "flatten": true}));
        let session = attached["sessionId"].as_str().expect("a session").to_string();
        for domain in ["Runtime.enable", "Log.enable", "Page.enable"] {
            self.call(Some(&session), domain, json!({}));
        }
        // only a load event after the navigation counts (about:blank's may come late)
        let mark = self.events.len();
        let nav = self.call(Some(&session), "Page.navigate", json!({"url": url}));
        if let Some(error) = nav.get("errorText") {
            panic!("{url} did not open: {error}");
        }
        loop {
            if self.events[mark..].iter().any(|e| e["method"] == "Page.loadEventFired" && e["sessionId"] == json!(session)) {
                break;
            }
            let m = self.messages.recv_timeout(HANG).unwrap_or_else(|_| panic!("{url} did not load"));
            self.events.push(m);
        }
        Tab { session }
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    pub fn eval(&mut self, tab: &Tab, expression: &str) -> Value {
        let r = self.call(Some(&tab.session), "Runtime.evaluate", json!({"expression": expression, "returnByValue": true, "awaitPromise": true}));
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expression}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Everything the page said went wrong or logged: console calls of any kind, uncaught
    /// exceptions, and the browser's log entries (blocked loads, CSP violations...).
    pub fn problems(&mut self, tab: &Tab) -> Vec<String> {
        // a round trip, so that what the page did before it arrives first
        self.call(Some(&tab.session), "Runtime.evaluate", json!({"expression": "0"}));
        self.events
            .iter()
            .filter(|e| e["sessionId"] == json!(tab.session))
            .filter_map(|e| match e["method"].as_str()? {
                "Runtime.consoleAPICalled" => Some(format!("console.{}: {}", e["params"]["type"], e["params"]["args"])),
                "Runtime.exceptionThrown" => Some(format!("exception: {}", e["params"]["exceptionDetails"])),
                "Log.entryAdded" => Some(format!("log {}: {}", e["params"]["entry"]["source"], e["params"]["entry"]["text"])),
                _ => None,
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A PNG of `url` at the given window size (Chromium's own screenshot switch).
pub fn screenshot(url: &str, png: &std::path::Path, size: (u32, u32)) {
    let profile = std::env::temp_dir().join(format!("pg_lens_shot_{}", std::process::id()));
    let status = Command::new(binary())
        .args(["--headless=new", "--disable-gpu", "--no-sandbox", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(status.success() && png.exists(), "no screenshot of {url}");
}
