//! Memory stays bounded whatever a line holds. A record over the record limit (`record-bytes`,
//! 16 MiB by default) is read through without being held, reported as `record-too-large` with
//! its line, and the lines after it are checked as usual. Each test streams a record of a
//! gigabyte or more into the real binary, without writing it to disk, and reads the child's
//! peak resident memory from the kernel when it exits (`wait4`'s `ru_maxrss`).
#![cfg(target_os = "linux")]

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// What a giant record may cost the whole process, at most.
const PEAK_LIMIT_BYTES: u64 = 100 << 20;

/// The start of the giant record, a track call whose one property is one long string.
const HEAD: &[u8] = br#"{"type":"track","userId":"u","event":"E","properties":{"x":""#;
/// Its end.
const TAIL: &[u8] = b"\"}}\n";
/// A valid call and a call without identity, after it.
const AFTER: &[u8] = b"{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}\n{\"type\":\"track\",\"event\":\"E\"}\n";

/// A run of the binary.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The child's peak resident memory.
    peak_bytes: u64,
    took: Duration,
}

impl Run {
    /// (code, line) of each JSON diagnostic.
    fn found(&self) -> Vec<(String, u64)> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .map(|d| (d["code"].as_str().unwrap_or_default().to_string(), d["line"].as_u64().unwrap_or_default()))
            .collect()
    }

    fn assert_bounded(&self, what: &str) {
        eprintln!("{what}: peak RSS {:.1} MB in {:.1} s", self.peak_bytes as f64 / f64::from(1 << 20), self.took.as_secs_f64());
        assert!(self.peak_bytes < PEAK_LIMIT_BYTES, "{what}: peak RSS {} bytes, over {PEAK_LIMIT_BYTES}", self.peak_bytes);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

/// Runs cdpspec with `args`, `feed` writing its standard input from a thread, and reaps it
/// with `wait4` for its peak resident memory.
fn run(args: &[&str], feed: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static) -> Run {
    let start = Instant::now();
    #[expect(clippy::zombie_processes, reason = "reaped by `wait4` below, which also gives its peak memory")]
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cdpspec runs");
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || feed(&mut stdin));
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).map(|_| text)
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped")));
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: `rusage` is plain data, for which all zeroes is a valid value; `wait4` writes to
    // the two pointers, which point to live locals, and reaps only the child spawned above (it
    // is not waited for anywhere else: `child` is only dropped, which neither waits nor kills).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", io::Error::last_os_error());
    writer.join().expect("the writer thread").expect("cdpspec read all its input");
    let took = start.elapsed();
    Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: stdout.join().expect("the reader thread").expect("UTF-8 output"),
        stderr: stderr.join().expect("the reader thread").expect("UTF-8 output"),
        // Linux counts it in kilobytes.
        peak_bytes: u64::try_from(usage.ru_maxrss).expect("a size") * 1024,
        took,
    }
}

/// Writes `n` bytes of `a` (a whole number of MiB).
fn write_a(out: &mut dyn Write, n: u64) -> io::Result<()> {
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..n >> 20 {
        out.write_all(&chunk)?;
    }
    Ok(())
}

#[test]
fn a_giant_line_on_stdin_is_reported_and_read_through() {
    // 3 GiB in one line, streamed through a pipe: never on disk, never whole in memory.
    const GIANT: u64 = 3 << 30;
    let run = run(&["validate", "--format", "json", "-"], |stdin| {
        stdin.write_all(HEAD)?;
        write_a(stdin, GIANT)?;
        stdin.write_all(TAIL)?;
        stdin.write_all(AFTER)
    });
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.found(), [("CDP210".to_string(), 1), ("CDP103".to_string(), 3)], "{}", run.stdout);
    let size = HEAD.len() as u64 + GIANT + TAIL.len() as u64 - 1;
    assert!(run.stdout.contains(&format!("record is {size} bytes;")), "{}", run.stdout);
    assert!(run.stderr.contains("Read 3 records (2 parsed, 1 did not parse, 0 blank)"), "{}", run.stderr);
    run.assert_bounded("3 GiB line on stdin");
}

/// A gzip stream whose one line decompresses to more than 1 GiB: gzip members, the middle one
/// (1 MiB of `a`, compressed once) repeated, as `gzip -d` and cdpspec read them: one stream.
fn giant_gzip() -> &'static std::path::Path {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        use flate2::{Compression, write::GzEncoder};
        let member = |bytes: &[u8]| {
            let mut gz = GzEncoder::new(Vec::new(), Compression::best());
            gz.write_all(bytes).and_then(|()| gz.finish()).expect("in memory")
        };
        let chunk = member(&vec![b'a'; 1 << 20]);
        let mut gz = member(HEAD);
        for _ in 0..(1 << 30 >> 20) + 64 {
            gz.extend_from_slice(&chunk);
        }
        gz.extend(member(&[TAIL, AFTER].concat()));
        assert!(gz.len() < 4 << 20, "{} bytes of gzip", gz.len());
        static RUN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
        let dir = RUN.get_or_init(|| tempfile::Builder::new().prefix("cdpspec-memory-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()).path();
        let path = dir.join("giant.ndjson.gz");
        std::fs::write(&path, gz).expect("writable");
        path
    })
}

#[test]
fn a_gzip_line_of_a_gigabyte_is_reported_and_read_through() {
    // A file on the calling thread alone, and the same bytes on stdin with a helper thread.
    let path = giant_gzip().to_str().expect("a UTF-8 path");
    let file = run(&["validate", "--format", "json", "--jobs", "1", path], |_| Ok(()));
    let gz = std::fs::read(path).expect("readable");
    let stdin = run(&["validate", "--format", "json", "--jobs", "2", "-"], move |stdin| stdin.write_all(&gz));
    for (run, what) in [(file, "gzip file with a line of 1 GiB, --jobs 1"), (stdin, "the same on stdin, --jobs 2")] {
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert_eq!(run.found(), [("CDP210".to_string(), 1), ("CDP103".to_string(), 3)], "{}", run.stdout);
        assert!(run.stderr.contains("Read 3 records (2 parsed, 1 did not parse, 0 blank)"), "{}", run.stderr);
        run.assert_bounded(what);
    }
}

#[test]
fn coverage_reads_a_giant_line_in_bounded_memory() {
    let path = giant_gzip().to_str().expect("a UTF-8 path");
    let run = run(&["coverage", "--destination", "customerio", "--format", "json", path], |_| Ok(()));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert_eq!((report["calls"].as_u64(), report["unparsed"].as_u64()), (Some(2), Some(1)), "{report:#}");
    run.assert_bounded("coverage of a gzip line of 1 GiB");
}

#[test]
fn a_giant_document_is_reported_and_read_through() {
    // One pretty-printed document (its first line is not a whole object) of 512 MiB.
    const GIANT: u64 = 512 << 20;
    let run = run(&["validate", "--format", "json", "-"], |stdin| {
        stdin.write_all(b"{\n  \"type\": \"track\",\n  \"userId\": \"u\",\n  \"properties\": {\"x\": \"")?;
        write_a(stdin, GIANT)?;
        stdin.write_all(b"\"}\n}\n\n")
    });
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.found(), [("CDP210".to_string(), 1)], "{}", run.stdout);
    assert!(run.stderr.contains("Read 1 record (0 parsed, 1 did not parse, 0 blank)"), "{}", run.stderr);
    run.assert_bounded("document of 512 MiB on stdin");
}
