//! `cdpspec stream` end to end against a real broker, beside a pass-through baseline in the
//! same run: Tansu (`tests/common/kafka.rs`) on this machine, the corpus of
//! `target/bench/corpus-200k.ndjson` (written by `../shared/bench/gen_corpus.py` when missing;
//! `CDPSPEC_BENCH_CALLS` for a smaller one, `CDPSPEC_BENCH_INVALID=1` for the one with 10% of
//! its calls broken) produced into a topic, one call per message; then,
//! alternately for `CDPSPEC_BENCH_ROUNDS` rounds (default 2), a member of a fresh group reads
//! the whole topic and writes it out:
//!
//! - **pass-through**: every message re-produced unchanged (`--pass-through`): Kafka alone;
//! - **cdpspec stream**: every message checked by the engine and split into good and bad.
//!
//! Both are the same [`Member`] (one thread, librdkafka's threads beside it), with the same
//! producer settings and offset tracking; the time runs from the first message read to the
//! last output acknowledged. The fastest round of each counts.
//!
//! ```sh
//! cargo bench -p cdpspec-stream --bench stream
//! CDPSPEC_BENCH_CALLS=50000 cargo bench -p cdpspec-stream --bench stream
//! CDPSPEC_BENCH_ROUNDS=5 CDPSPEC_BENCH_INVALID=1 cargo bench -p cdpspec-stream --bench stream
//! ```

#[path = "../../tests/common/corpus.rs"]
mod corpus;
#[path = "../../tests/common/kafka.rs"]
mod kafka;
#[path = "../../tests/common/pip.rs"]
mod pip;
#[path = "../../tests/common/tools.rs"]
mod tools;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec_stream::{Member, Options};
use kafka::Broker;

/// CPU seconds this process has used (user and system, all threads: the member's loop and
/// librdkafka's; the broker is another process).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// One run: wall seconds from the first message read to the last output acknowledged, and the
/// CPU seconds the process used meanwhile.
struct Run {
    seconds: f64,
    cpu: f64,
}

/// Runs one member over the whole topic.
fn measure(broker: &Broker, group: &str, pass_through: bool, messages: usize) -> Run {
    let mut options = Options::new(&broker.address, &["raw"], group, &format!("{group}-good"), &format!("{group}-bad"));
    options.pass_through = pass_through;
    options.log_every = None;
    let member = Arc::new(Member::new(Engine::new(&Settings::default()).unwrap(), options));
    let stop = Arc::new(AtomicBool::new(false));
    let running = {
        let (member, stop) = (Arc::clone(&member), Arc::clone(&stop));
        std::thread::spawn(move || member.run(&stop))
    };
    let metrics = Arc::clone(member.metrics());
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut first = None;
    loop {
        let counts = metrics.snapshot();
        let read: u64 = counts.messages_in.values().sum();
        let written: u64 = counts.messages_out.values().sum();
        if read > 0 && first.is_none() {
            first = Some((Instant::now(), cpu_seconds()));
        }
        if written as usize >= messages {
            break;
        }
        assert!(Instant::now() < deadline, "{group}: {written} of {messages} written in 600 s");
        std::thread::sleep(Duration::from_millis(2));
    }
    let (start, cpu) = first.unwrap();
    let run = Run { seconds: start.elapsed().as_secs_f64(), cpu: cpu_seconds() - cpu };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    running.join().unwrap().unwrap();
    run
}

fn main() {
    let calls: usize = std::env::var("CDPSPEC_BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    let rounds: usize = std::env::var("CDPSPEC_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(2);
    let invalid = std::env::var_os("CDPSPEC_BENCH_INVALID").is_some_and(|v| v == "1");
    let text = corpus::read(calls, invalid);
    let lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect();
    let Some(broker) = Broker::start("stream benchmark") else { return };
    broker.create_topic("raw", 2);
    let started = Instant::now();
    let messages: Vec<kafka::Keyed> = lines.into_iter().map(|l| (None, l)).collect();
    broker.produce("raw", &messages);
    let bytes: usize = messages.iter().map(|(_, v)| v.len()).sum();
    let produced = started.elapsed().as_secs_f64();
    println!(
        "broker: Tansu on 127.0.0.1 (this machine); {} calls, {:.0} MB, produced into 2 partitions in {produced:.1} s",
        messages.len(),
        bytes as f64 / 1e6
    );
    let n = messages.len() as f64;
    let (mut pass, mut check): (Option<Run>, Option<Run>) = (None, None);
    for round in 0..rounds {
        let p = measure(&broker, &format!("pass{round}"), true, messages.len());
        let c = measure(&broker, &format!("check{round}"), false, messages.len());
        println!(
            "round {}: pass-through {:.0} calls/s ({:.1} µs CPU per call), cdpspec stream {:.0} calls/s ({:.1} µs CPU per call)",
            round + 1,
            n / p.seconds,
            p.cpu * 1e6 / n,
            n / c.seconds,
            c.cpu * 1e6 / n
        );
        if pass.as_ref().is_none_or(|best| p.seconds < best.seconds) {
            pass = Some(p);
        }
        if check.as_ref().is_none_or(|best| c.seconds < best.seconds) {
            check = Some(c);
        }
    }
    let (pass, check) = (pass.unwrap(), check.unwrap());
    let (pass_rate, check_rate) = (n / pass.seconds, n / check.seconds);
    let mb = |run: &Run| bytes as f64 / run.seconds / 1e6;
    println!("pass-through (read, re-produce unchanged): {pass_rate:.0} calls/s ({:.1} MB/s; {:.1} µs CPU per call)", mb(&pass), pass.cpu * 1e6 / n);
    println!("cdpspec stream (read, validate, produce good/bad): {check_rate:.0} calls/s ({:.1} MB/s; {:.1} µs CPU per call)", mb(&check), check.cpu * 1e6 / n);
    println!(
        "ratio stream / pass-through: {:.2} (validation costs {:.0}% of pass-through throughput; target <= 25%)",
        check_rate / pass_rate,
        (1.0 - check_rate / pass_rate) * 100.0
    );
}
