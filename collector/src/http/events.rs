//! `GET /_cdpspec/events`: the live feed as server-sent events, what the inspector listens to
//! instead of polling. Scoped to a tag like the rest of the API (`?tag=` or `/t/{tag}/`).
//!
//! Events: `calls` (a JSON array of call summaries, as `/_cdpspec/calls?fields=summary` lists
//! them, oldest first), `reset` (`{"tag": ...}`: calls were deleted) and `lagged`
//! (`{"missed": N}`: the page fell behind or calls arrived faster than it should draw them;
//! it reads the list again). Calls that arrive together are sent together, at most
//! [`MOST_LISTED`] at once. Nothing is sent for a connection but what arrives after it
//! opened, and the feed ends when the collector stops.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::mpsc;

use super::{App, Tag};
use crate::store::Live;

/// Most call summaries in one `calls` event; past it the page is told to read the list again.
pub(crate) const MOST_LISTED: usize = 500;
/// A comment sent after this long without events, so proxies and the browser keep the
/// connection, and a page that left is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `GET /_cdpspec/events`.
pub(crate) async fn events(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let tag = match super::api::scope(tag, &params) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    // Subscribed before the answer's head is sent: a client that has the head misses nothing.
    let live = app.store.live();
    let (sender, receiver) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let stopping = app.stopping.subscribe();
    tokio::spawn(feed(live, tag, sender, stopping));
    let mut response = Body::new(super::stream::ChannelBody(receiver)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// Whether an announcement concerns a feed scoped to `tag`.
fn concerns(live: &Live, tag: Option<&str>) -> bool {
    match (live, tag) {
        (_, None) | (Live::Reset(None), _) => true,
        (Live::Call(call), Some(tag)) => call.tag == tag,
        (Live::Reset(Some(reset)), Some(tag)) => reset == tag,
    }
}

/// One event in the wire format.
fn event(name: &str, data: &Value) -> Vec<u8> {
    format!("event: {name}\ndata: {data}\n\n").into_bytes()
}

/// Announcements taken at once before what they make is sent.
const DRAIN: usize = 4 * MOST_LISTED;

/// What is about to be sent: events made, and the calls and missed calls since.
#[derive(Default)]
struct Batch {
    chunk: Vec<u8>,
    calls: Vec<Value>,
    missed: u64,
}

impl Batch {
    /// A call arrived: listed, or counted as missed once too many arrived together.
    fn add(&mut self, call: &crate::store::CallSummary) {
        if self.missed == 0 && self.calls.len() < MOST_LISTED {
            self.calls.push(call.to_json());
        } else {
            self.missed += 1;
        }
    }

    /// Turns the calls taken into an event: `calls`, or `lagged` when any were missed.
    fn flush(&mut self) {
        if self.missed > 0 {
            let missed = self.missed + self.calls.len() as u64;
            self.chunk.extend(event("lagged", &json!({ "missed": missed })));
        } else if !self.calls.is_empty() {
            self.chunk.extend(event("calls", &Value::Array(std::mem::take(&mut self.calls))));
        }
        self.calls.clear();
        self.missed = 0;
    }
}

/// Hands `chunk` to the connection; false when the page went or the collector is stopping (a
/// page that reads nothing cannot hold a stop up).
async fn send(sender: &mpsc::Sender<Result<Vec<u8>, std::io::Error>>, chunk: Vec<u8>, stopping: &mut tokio::sync::watch::Receiver<bool>) -> bool {
    tokio::select! {
        sent = sender.send(Ok(chunk)) => sent.is_ok(),
        _ = stopping.wait_for(|stop| *stop) => false,
    }
}

/// Sends what `live` announces for `tag` until the page goes, or the collector stops.
async fn feed(
    mut live: tokio::sync::broadcast::Receiver<Live>,
    tag: Option<String>,
    sender: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) {
    // How soon the browser reconnects after a drop, and a first chunk so the head goes out.
    if !send(&sender, b"retry: 2000\n: live\n\n".to_vec(), &mut stopping).await {
        return;
    }
    loop {
        let first = tokio::select! {
            received = live.recv() => Some(received),
            _ = stopping.wait_for(|stop| *stop) => return,
            () = sender.closed() => return,
            () = tokio::time::sleep(KEEP_ALIVE) => None,
        };
        let Some(first) = first else {
            if !send(&sender, b": keep-alive\n\n".to_vec(), &mut stopping).await {
                return;
            }
            continue;
        };
        let mut batch = Batch::default();
        let mut next = Some(first);
        let mut taken = 0;
        while let Some(received) = next.take() {
            match received {
                Ok(announced) if concerns(&announced, tag.as_deref()) => match announced {
                    Live::Call(call) => batch.add(&call),
                    Live::Reset(reset) => {
                        batch.flush();
                        batch.chunk.extend(event("reset", &json!({ "tag": reset })));
                    }
                },
                Ok(_) => {}
                Err(RecvError::Lagged(n)) => batch.missed += n,
                Err(RecvError::Closed) => return,
            }
            taken += 1;
            // Under a steady stream, send what was taken now and then.
            if taken == DRAIN {
                break;
            }
            next = match live.try_recv() {
                Ok(announced) => Some(Ok(announced)),
                Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Closed) => Some(Err(RecvError::Closed)),
            };
        }
        batch.flush();
        let chunk = batch.chunk;
        if !chunk.is_empty() && !send(&sender, chunk, &mut stopping).await {
            return;
        }
    }
}
