//! The HTTP side of `bench-mock`: waiting for a server's first answer, and loading it with GETs
//! over a fixed number of kept-alive connections.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A free port on the loopback interface (bound, read and let go: a server started next takes it).
pub fn free_address() -> Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?)
}

/// One connection, ready to send requests.
async fn connect(address: SocketAddr) -> Result<SendRequest<Empty<Bytes>>> {
    let stream = TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// One GET of `path` on `sender`: its status and body, read to the end.
async fn get(sender: &mut SendRequest<Empty<Bytes>>, address: SocketAddr, path: &str) -> Result<(u16, Bytes)> {
    sender.ready().await?;
    let request = hyper::Request::get(path).header(hyper::header::HOST, address.to_string()).body(Empty::new())?;
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// A GET of `path` on a new connection.
pub async fn get_once(address: SocketAddr, path: &str) -> Result<(u16, Bytes)> {
    let mut sender = connect(address).await?;
    get(&mut sender, address, path).await
}

/// Sends GETs of `path` to `address` until one is answered (any status), checking between tries
/// that the server's process (`alive`) still runs; returns the answer's status and when it came.
pub async fn first_answer(address: SocketAddr, path: &str, timeout: Duration, mut alive: impl FnMut() -> Result<()>) -> Result<(u16, Instant)> {
    let started = Instant::now();
    loop {
        if let Ok((status, _)) = get_once(address, path).await {
            return Ok((status, Instant::now()));
        }
        alive()?;
        if started.elapsed() > timeout {
            bail!("no answer from {address} within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// What one load of a server measured.
#[derive(Debug, Clone, Default)]
pub struct Load {
    /// Requests answered with a 2xx.
    pub ok: usize,
    /// Requests answered otherwise, or not answered (the connection failed).
    pub errors: usize,
    /// The first error, for the report.
    pub first_error: Option<String>,
    /// Wall time from the first request sent to the last answer read.
    pub secs: f64,
    /// CPU time the server spent meanwhile, where `/proc` tells.
    pub server_cpu_secs: Option<f64>,
}

impl Load {
    /// Requests (answered or not) per second.
    pub fn per_sec(&self) -> f64 {
        (self.ok + self.errors) as f64 / self.secs.max(f64::EPSILON)
    }

    /// The server's CPU time per request, in microseconds.
    pub fn cpu_micros(&self) -> Option<f64> {
        self.server_cpu_secs.map(|s| s * 1e6 / (self.ok + self.errors).max(1) as f64)
    }
}

/// `requests` GETs of `path`, `concurrency` at a time, each worker on its own kept-alive
/// connection (opened before the clock starts, and again after a failure).
pub async fn hammer(address: SocketAddr, path: &str, requests: usize, concurrency: usize) -> Result<Load> {
    let tickets = Arc::new(AtomicUsize::new(requests));
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error: Arc<Mutex<Option<String>>> = Arc::default();
    let mut senders = Vec::new();
    for _ in 0..concurrency.max(1) {
        senders.push(connect(address).await.with_context(|| format!("connecting to {address}"))?);
    }
    let started = Instant::now();
    let mut workers = Vec::new();
    for mut sender in senders {
        let (tickets, errors, first_error, path) = (tickets.clone(), errors.clone(), first_error.clone(), path.to_owned());
        workers.push(tokio::spawn(async move {
            let mut ok = 0usize;
            let fail = |what: String| {
                errors.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut first) = first_error.lock() {
                    first.get_or_insert(what);
                }
            };
            while tickets.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
                match get(&mut sender, address, &path).await {
                    Ok((status, _)) if (200..300).contains(&status) => ok += 1,
                    Ok((status, body)) => fail(format!("{status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)]))),
                    Err(e) => {
                        fail(format!("{e:#}"));
                        match connect(address).await {
                            Ok(again) => sender = again,
                            Err(_) => break,
                        }
                    }
                }
            }
            ok
        }));
    }
    let mut ok = 0;
    for worker in workers {
        ok += worker.await?;
    }
    let secs = started.elapsed().as_secs_f64();
    // Tickets a worker left when it could not reconnect count as failed requests.
    let errors = errors.load(Ordering::Relaxed) + tickets.load(Ordering::Relaxed);
    let first_error = first_error.lock().ok().and_then(|mut e| e.take());
    Ok(Load { ok, errors, first_error, secs, server_cpu_secs: None })
}
