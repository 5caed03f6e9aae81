//! A response body fed by a channel, so a long export is sent page by page and never held
//! whole.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Bytes;
use http_body::{Body, Frame};
use tokio::sync::mpsc::Receiver;

/// The chunks a task sends, as a body; an error ends it abruptly.
pub(crate) struct ChannelBody(pub(crate) Receiver<Result<Vec<u8>, std::io::Error>>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|c| c.map(|bytes| Frame::data(Bytes::from(bytes)))))
    }
}
