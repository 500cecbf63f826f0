//! hyper answers a request head it will not take by itself, before moapi sees a request: 400
//! for one it cannot parse, 414 for a target over its fixed 65,534 bytes, 431 for a head over
//! its read buffer or with more header fields than it has room for. It writes those answers
//! without a body and cannot be given one. [`DialectIo`] sits between hyper and the socket,
//! recognises such an answer on its way out, and writes it with the dialect's error body
//! instead, keeping its status (`super::head_refusal`).

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Bytes kept from the start of a request: enough for a method and the start of its target,
/// which is all the dialect needs.
const REQUEST_START: usize = 256;

/// A connection whose bodiless error answers from hyper get the dialect's body.
pub struct DialectIo<T> {
    inner: T,
    /// The first bytes read since the last answer went out: the start of the request hyper is
    /// reading now (a client sends its next request after the previous answer).
    request_start: Vec<u8>,
    /// An answer was written since the last read.
    answered: bool,
    /// The dialect's answer in place of hyper's, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> DialectIo<T> {
    pub fn new(inner: T) -> Self {
        DialectIo {
            inner,
            request_start: Vec::new(),
            answered: false,
            pending: None,
        }
    }
}

impl<T: AsyncWrite + Unpin> DialectIo<T> {
    /// Writes what is left of a replacement answer; ready once it is all written.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((answer, written)) = &mut self.pending {
            if *written == answer.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &answer[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes `written` in place of hyper's error answer if it is one; hyper then counts it as
    /// written, and the replacement goes out before anything else (flush and shutdown wait
    /// for it).
    fn replaced(&mut self, written: &[u8]) -> bool {
        self.answered = true;
        match replacement(written, &self.request_start) {
            Some(answer) => {
                self.pending = Some((answer, 0));
                true
            }
            None => false,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for DialectIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let read = &buf.filled()[before..];
        if !read.is_empty() {
            if this.answered {
                this.request_start.clear();
                this.answered = false;
            }
            let room = REQUEST_START.saturating_sub(this.request_start.len());
            this.request_start
                .extend_from_slice(&read[..read.len().min(room)]);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for DialectIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if this.replaced(buf) {
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        // hyper writes a head as one buffer; its error answer is nothing else.
        if let Some(first) = bufs.iter().find(|buf| !buf.is_empty()) {
            if this.replaced(first) {
                return Poll::Ready(Ok(first.len()));
            }
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// The dialect's answer for `written` if it is hyper's own error answer. That answer is
/// exactly a status line of 400, 414 or 431 with `connection`, `content-length: 0` and `date`;
/// every answer of moapi's router also has a content type and a request ID, so none is taken
/// for it.
fn replacement(written: &[u8], request_start: &[u8]) -> Option<Vec<u8>> {
    // Cheap first: this runs on every write, and hyper's answer is one short buffer.
    if written.len() > 256 || !written.starts_with(b"HTTP/1.1 4") {
        return None;
    }
    let head = std::str::from_utf8(written)
        .ok()?
        .strip_suffix("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let code = status_line.strip_prefix("HTTP/1.1 ")?.get(..3)?;
    let status = StatusCode::from_bytes(code.as_bytes()).ok()?;
    if ![
        StatusCode::BAD_REQUEST,
        StatusCode::URI_TOO_LONG,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
    ]
    .contains(&status)
    {
        return None;
    }
    let mut date = None;
    for line in lines {
        match line.split_once(": ")? {
            ("connection", _) => {}
            ("content-length", "0") => {}
            ("date", value) => date = Some(value),
            _ => return None,
        }
    }
    let body =
        super::head_refusal(status, request_path(request_start).unwrap_or_default()).body_bytes();
    let request_id = uuid::Uuid::new_v4();
    tracing::info!(
        status = status.as_u16(),
        %request_id,
        "request head refused by the HTTP parser"
    );
    let mut answer = format!(
        "{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nx-request-id: {request_id}\r\n",
        body.len()
    );
    if let Some(date) = date {
        answer.push_str(&format!("date: {date}\r\n"));
    }
    answer.push_str("\r\n");
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(&body);
    Some(answer)
}

/// The path of a request line's target (origin or absolute form), as far as it was read.
fn request_path(request_start: &[u8]) -> Option<&str> {
    let line = request_start.split(|&b| b == b'\r' || b == b'\n').next()?;
    let mut parts = line.splitn(3, |&b| b == b' ');
    let method = parts.next()?;
    if method.is_empty() || !method.iter().all(u8::is_ascii_graphic) {
        return None;
    }
    let target = parts.next()?;
    // The kept bytes may end inside a character.
    let target = match std::str::from_utf8(target) {
        Ok(target) => target,
        Err(err) => std::str::from_utf8(&target[..err.valid_up_to()]).ok()?,
    };
    if target.starts_with('/') {
        return Some(target);
    }
    let rest = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))?;
    rest.find('/').map(|slash| &rest[slash..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYPER_414: &[u8] =
        b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 02:31:06 GMT\r\n\r\n";

    #[test]
    fn only_hypers_own_answers_are_replaced() {
        let answer = replacement(HYPER_414, b"GET /v1/companies/").unwrap();
        let answer = String::from_utf8(answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 414 URI Too Long\r\n"),
            "{answer}"
        );
        assert!(answer.contains("date: Mon, 07 Dec 2026 02:31:06 GMT\r\n"));
        let body = answer.split_once("\r\n\r\n").unwrap().1;
        assert!(answer.contains(&format!("content-length: {}\r\n", body.len())));
        assert!(body.starts_with(r#"{"code":3,"#), "{body}");
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-request-id: 1\r\ncontent-length: 0\r\n\r\n";
        assert!(replacement(ours, b"GET /v1/ HTTP/1.1").is_none());
        let ok = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert!(replacement(ok, b"GET /v1/ HTTP/1.1").is_none());
    }

    #[test]
    fn the_path_is_read_from_the_request_line() {
        assert_eq!(
            request_path(b"POST /v1/x:list HTTP/1.1\r\nHost: a"),
            Some("/v1/x:list")
        );
        assert_eq!(request_path(b"GET /trips"), Some("/trips"));
        assert_eq!(
            request_path(b"GET http://h.example:80/v1/a HTTP/1.1"),
            Some("/v1/a")
        );
        assert_eq!(request_path(b"GARBAGE\r\n\r\n"), None);
        assert_eq!(request_path(b"\x16\x03\x01 /v1/"), None);
        assert_eq!(request_path(b"GET * HTTP/1.1"), None);
    }
}
