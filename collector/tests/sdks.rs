//! End to end with the official SDKs, unchanged: `@customerio/cdp-analytics-node`,
//! `@segment/analytics-node`, `customerio-cdp-analytics` and `segment-analytics-python` (plain
//! and gzip), and the browser SDKs (`@segment/analytics-next`, `@customerio/cdp-analytics-
//! browser`) in Debian's headless Chromium, loaded from a local page with only the CDN host
//! pointed at the collector. Each run sends seven calls (the six types, and an `Order
//! Completed` track whose `revenue` is a string), under its own tag.
//!
//! The SDKs are installed from npm and PyPI, at the versions `tests/sdk/package-lock.json` and
//! `tests/sdk/requirements.txt` pin, into `target/sdk-cache` on first use. Where they (or
//! Chromium) cannot be had, the test says so loudly and skips; in CI it fails instead.

mod common;
#[path = "../../tests/common/pip.rs"]
mod pip;
#[path = "../../tests/common/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec::intake::Intake;
use cdpspec_collector::Options;
use common::Server;
use serde_json::Value;

fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk")
}

fn cache() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/sdk-cache")
}

/// Installs `files` from the SDK folder into `dir` with `install`, unless the same files were
/// installed there already. Returns whether `dir` is ready.
fn install(dir: &Path, files: &[&str], install: impl FnOnce(&Path) -> bool) -> bool {
    let wanted: String = files.iter().map(|f| std::fs::read_to_string(sdk_dir().join(f)).unwrap()).collect();
    let stamp = dir.join(".installed");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return true;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for f in files {
        std::fs::copy(sdk_dir().join(f), dir.join(f)).unwrap();
    }
    if install(dir) {
        std::fs::write(stamp, wanted).unwrap();
        true
    } else {
        false
    }
}

/// The npm packages, installed with `npm ci` from the lock file.
fn node_modules() -> Option<PathBuf> {
    static READY: OnceLock<Option<PathBuf>> = OnceLock::new();
    READY
        .get_or_init(|| {
            if tools::offline() {
                return None;
            }
            let dir = cache().join("node");
            let ok = install(&dir, &["package.json", "package-lock.json"], |dir| {
                pip::run_quietly(Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix"]).arg(dir))
            });
            ok.then_some(dir)
        })
        .clone()
}

/// The PyPI packages, installed with `pip install --target`.
fn python_packages() -> Option<PathBuf> {
    static READY: OnceLock<Option<PathBuf>> = OnceLock::new();
    READY
        .get_or_init(|| {
            let dir = cache().join("python");
            (!tools::offline() && pip::install(&dir, &sdk_dir().join("requirements.txt"))).then_some(dir)
        })
        .clone()
}

/// A collector evaluating calls against Customer.io's actions too.
fn collector() -> Server {
    let engine = Engine::new(&Settings { destination: Some("customerio".into()), ..Settings::default() }).unwrap();
    Server::with_intake(Intake::new(engine, Vec::new()), Options::default())
}

/// Runs a driver; its summary line.
fn drive(command: &mut Command) -> Value {
    let out = command.current_dir(sdk_dir()).output().expect("the driver runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{command:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap_or_else(|e| panic!("no summary ({e}) in {stdout}"))
}

/// Every call the driver says it sent is stored under `tag`; the broken one has the right
/// error, the others none; identify and track reach Customer.io's actions.
fn assert_stored(server: &Server, tag: &str, summary: &Value) {
    let sent = summary["total"].as_u64().unwrap();
    assert_eq!(sent, 7, "{summary}");
    let listed = server.json(&format!("/_cdpspec/calls?tag={tag}&min={sent}&wait=20&order=oldest"));
    assert_eq!(listed["count"], sent, "{tag}: {listed}");
    let calls = listed["calls"].as_array().unwrap();
    for id in summary["messageIds"].as_array().unwrap() {
        assert!(calls.iter().any(|c| &c["messageId"] == id), "{tag}: messageId {id} not stored");
    }
    for (kind, n) in summary["sent"].as_object().unwrap() {
        assert_eq!(calls.iter().filter(|c| c["type"] == *kind).count() as u64, n.as_u64().unwrap(), "{tag}: {kind} calls");
    }
    for call in calls {
        let errors: Vec<&Value> = call["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == "error").collect();
        if call["event"] == "Order Completed" {
            assert_eq!(call["status"], "errors", "{tag}: {call}");
            assert_eq!((errors[0]["rule"].as_str(), errors[0]["pointer"].as_str()), (Some("reserved-type"), Some("/properties/revenue")), "{tag}: {call}");
        } else {
            assert!(errors.is_empty() && call["status"] != "errors", "{tag}: a real SDK's call was flagged: {call}");
        }
        assert!(call["receivedAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{call}");
        assert_eq!(call["tag"], tag);
        if call["type"] == "identify" {
            assert_eq!((call["actions"][0]["preset"].as_str(), call["actions"][0]["ok"].as_bool()), (Some("Create or Update Person"), Some(true)), "{call}");
        }
    }
    let counts = server.json(&format!("/_cdpspec/counts?tag={tag}"));
    assert_eq!((counts["total"].as_u64(), counts["errors"].as_u64(), counts["refused"].as_u64()), (Some(7), Some(1), Some(0)), "{tag}: {counts}");
}

fn node_run(sdk: &str) {
    let test = format!("node SDK {sdk}");
    let Some(modules) = node_modules() else {
        tools::skip(&test, "npm could not install the SDKs (tests/sdk/package-lock.json)");
        return;
    };
    let server = collector();
    let tag = format!("node-{sdk}");
    let summary = drive(
        Command::new("node")
            .arg("node_sdks.mjs")
            .env("SDK_MODULES", &modules)
            .env("COLLECTOR", format!("http://{}", server.addr))
            .env("PREFIX", format!("/t/{tag}"))
            .env("SDK", sdk),
    );
    assert_stored(&server, &tag, &summary);
}

#[test]
fn customerio_node_sdk() {
    node_run("customerio");
}

#[test]
fn segment_node_sdk() {
    node_run("segment");
}

fn python_run(sdk: &str) {
    let test = format!("Python SDK {sdk}");
    let Some(packages) = python_packages() else {
        tools::skip(&test, "pip could not install the SDKs (tests/sdk/requirements.txt)");
        return;
    };
    let server = collector();
    for gzip in [false, true] {
        let tag = format!("python-{sdk}-{}", if gzip { "gzip" } else { "plain" });
        let mut command = Command::new("python3");
        command.arg("python_sdks.py").env("PYTHONPATH", &packages).args(["--collector", &format!("http://{}/t/{tag}", server.addr), "--sdk", sdk]);
        if gzip {
            command.arg("--gzip");
        }
        let summary = drive(&mut command);
        assert_eq!(summary["gzip"], gzip);
        assert_stored(&server, &tag, &summary);
    }
}

#[test]
fn customerio_python_sdk_plain_and_gzip() {
    python_run("customerio");
}

#[test]
fn segment_python_sdk_plain_and_gzip() {
    python_run("segment");
}

/// Debian's Chromium, where it is.
fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()));
    path.exists().then_some(path)
}

fn browser_run(sdk: &str, delivery: &str) {
    let test = format!("browser SDK {sdk} ({delivery})");
    let Some(browser) = chromium() else {
        tools::skip(&test, "no Chromium at /usr/bin/chromium (apt-get install -y chromium; .ci/run installs it)");
        return;
    };
    let Some(modules) = node_modules() else {
        tools::skip(&test, "npm could not install the SDKs (tests/sdk/package-lock.json)");
        return;
    };
    let server = collector();
    let tag = format!("browser-{sdk}-{delivery}");
    // Only the CDN host is the collector's: the SDK reads its API host from the settings.
    let cdn = match sdk {
        "customerio" => format!("http://{}/t/{tag}/customerio", server.addr),
        _ => format!("http://{}/t/{tag}", server.addr),
    };
    let summary = drive(
        Command::new("node")
            .arg("browser.mjs")
            .env("SDK_MODULES", &modules)
            .env("COLLECTOR", format!("http://{}", server.addr))
            .env("CDN_URL", cdn)
            .env("SDK", sdk)
            .env("DELIVERY", delivery)
            .env("CHROMIUM", browser),
    );
    assert_stored(&server, &tag, &summary);
}

#[test]
fn segment_browser_sdk_in_chromium() {
    browser_run("segment", "standard");
}

#[test]
fn segment_browser_sdk_batching_in_chromium() {
    browser_run("segment", "batching");
}

#[test]
fn customerio_browser_sdk_in_chromium() {
    browser_run("customerio", "standard");
}
