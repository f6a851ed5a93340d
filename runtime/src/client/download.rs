//! Answers whose bodies are read as they arrive: downloads too large to hold in memory.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _, TryStreamExt as _};

use super::{Error, Failure, Request, Response, Transport};

/// A body read as it arrives, chunk by chunk (`application/octet-stream`, `text/*`, any media
/// type an operation does not decode).
pub struct ByteStream(Pin<Box<dyn Stream<Item = Result<Bytes, Failure>> + Send>>);

impl ByteStream {
    /// A body of the chunks of `stream`.
    pub fn new(stream: impl Stream<Item = Result<Bytes, Failure>> + Send + 'static) -> ByteStream {
        ByteStream(Box::pin(stream))
    }

    /// A body already in memory, as one chunk.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> ByteStream {
        let bytes: Bytes = bytes.into();
        ByteStream::new(futures_util::stream::iter([Ok(bytes)]))
    }

    /// The body of `answer`, unread.
    pub fn from_response(answer: reqwest::Response) -> ByteStream {
        ByteStream::new(answer.bytes_stream().map_err(|e| Failure(Error::Http(e))))
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>, Failure> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Failure>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ByteStream")
    }
}

/// An answer whose body has not been read: its status and headers, and the body as a
/// [`ByteStream`].
#[derive(Debug)]
pub struct Download {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: ByteStream,
}

impl Download {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body, to be read as it arrives.
    pub fn into_body(self) -> ByteStream {
        self.body
    }

    /// The answer read whole, for the statuses an operation decodes (its errors, say).
    pub async fn into_response(self) -> Result<Response, Failure> {
        let body = self.body.collect().await?;
        Ok(Response { status: self.status, headers: self.headers, body })
    }
}

impl Transport {
    /// Sends `request` as [`send`](Transport::send) does, with its credentials and retries,
    /// but leaves the answer's body unread. Hooks see the request before it is sent; their
    /// `after_receive` does not run, since it needs the whole answer.
    pub async fn download(&self, mut request: Request) -> Result<Download, Failure> {
        let (mut url, mut authorization) = self.prepare(&mut request)?;
        self.download_prepared(&mut request, &mut url, &mut authorization).await
    }

    /// Sends a request [`prepare`](Transport::prepare)d already, leaving it (and where redirects
    /// took it) for sending again: what a stream reconnecting does.
    pub(super) async fn download_prepared(&self, request: &mut Request, url: &mut reqwest::Url, authorization: &mut Option<super::transport::Presented>) -> Result<Download, Failure> {
        let settings = self.settings();
        let (mut attempt, mut hops) = (1, 0);
        loop {
            let mut sent = self.build(request, url, authorization.as_ref())?;
            for hook in &settings.hooks {
                hook.before_send(&mut sent).await.map_err(|e| Failure(Error::Hook(e)))?;
            }
            let answer = match settings.http.execute(sent).await {
                Ok(answer) => answer,
                Err(e) => match settings.retry.after_error(attempt, &request.method, &e).filter(|_| !request.streams()) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    None => return Err(Failure(Error::Http(e))),
                },
            };
            let status = answer.status().as_u16();
            let headers = answer.headers().clone();
            let rate_limit = self.note_rate_limit(&headers);
            if (super::redirect::Hop { request: &mut *request, url: &mut *url, authorization: &mut *authorization, hops: &mut hops }).follow(status, &headers) {
                continue;
            }
            if let Some(wait) = settings.retry.after_answer(attempt, &request.method, status, rate_limit.as_ref()).filter(|_| !request.streams()) {
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            self.keep_issued(request, &Response { status, headers: headers.clone(), body: Vec::new() });
            return Ok(Download { status, headers, body: ByteStream::from_response(answer) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_byte_stream_collects_its_chunks_and_stops_at_an_error() {
        let chunks = futures_util::stream::iter([Ok(Bytes::from_static(b"ab")), Ok(Bytes::from_static(b"c"))]);
        assert_eq!(ByteStream::new(chunks).collect().await.ok(), Some(b"abc".to_vec()));
        let failing = futures_util::stream::iter([Ok(Bytes::from_static(b"ab")), Err(Failure(Error::Encode { message: "cut".into() }))]);
        assert!(ByteStream::new(failing).collect().await.is_err());
    }

    /// A server streaming its answer, and a client reading it as it arrives.
    #[cfg(feature = "server")]
    #[tokio::test]
    async fn a_streamed_answer_is_downloaded_without_being_read_whole_first() {
        struct Client(Transport);
        impl crate::client::ApiClient for Client {
            const DEFAULT_BASE_URL: &'static str = "http://localhost";
            fn from_transport(transport: Transport) -> Self {
                Client(transport)
            }
        }
        let route = axum::routing::get(|| async {
            let chunks = futures_util::stream::iter((0..3u8).map(|i| Ok::<_, std::convert::Infallible>(Bytes::from(vec![b'a' + i; 1000]))));
            crate::server::stream_response(200, "application/octet-stream", chunks, vec![("x-parts", "3".into())])
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("an address");
        let app = axum::Router::new().route("/file", route);
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let Client(transport) = crate::client::ClientBuilder::<Client>::default().base_url(format!("http://{address}")).build().expect("a client");
        let download = transport.download(Request::new(reqwest::Method::GET, "/file")).await.expect("an answer");
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/octet-stream"));
        assert_eq!(download.headers().get("x-parts").and_then(|v| v.to_str().ok()), Some("3"));
        let body = download.into_body().collect().await.expect("the body");
        let expected: Vec<u8> = [vec![b'a'; 1000], vec![b'b'; 1000], vec![b'c'; 1000]].concat();
        assert_eq!(body, expected);
        server.abort();
    }
}
