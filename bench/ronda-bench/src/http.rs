//! A minimal HTTP/1.1 client for the benchmarks: keep-alive connections on loopback, one
//! request after another on each, with the latency of every exchange.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A response: status, the header block as sent, and the body.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// Returns the value of the first header `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.head, name)
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// Serves `app` on a loopback port until the returned task is aborted.
pub async fn serve(app: Router) -> BenchResult<(SocketAddr, JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    Ok((address, server))
}

/// Sends one request on a keep-alive connection and reads the whole response. Ronda's
/// responses carry a Content-Length.
pub async fn exchange(
    stream: &mut BufReader<TcpStream>,
    request: &[u8],
    buffer: &mut Vec<u8>,
) -> BenchResult<Reply> {
    stream.get_mut().write_all(request).await?;
    buffer.clear();
    let header_end = loop {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("connection closed".into());
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let status: u16 = head
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .ok_or("no status line")?;
    let length: usize = header(&head, "content-length")
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("connection closed in body".into());
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Ok(Reply { status, head, body })
}

/// Sends one request on a new connection, for set-up steps such as a login.
pub async fn request_once(address: SocketAddr, request: &[u8]) -> BenchResult<Reply> {
    let mut stream = BufReader::new(TcpStream::connect(address).await?);
    exchange(&mut stream, request, &mut Vec::new()).await
}

pub struct RunResult {
    /// Requests answered.
    pub answered: usize,
    /// Positions (or requests) the server acknowledged, as counted by the caller.
    pub acknowledged: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

/// Runs `total` requests over `connections` connections; `request(connection, n)` makes
/// the n-th request of a connection, and `acknowledged(reply)` counts what it confirmed.
pub async fn run_clients<F, A>(
    address: SocketAddr,
    connections: usize,
    total: usize,
    request: F,
    acknowledged: A,
) -> BenchResult<RunResult>
where
    F: Fn(usize, usize) -> Vec<u8> + Send + Sync + 'static,
    A: Fn(&Reply) -> usize + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let acknowledged = Arc::new(acknowledged);
    let per_connection = total.div_ceil(connections);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for connection in 0..connections {
        let request = request.clone();
        let acknowledged = acknowledged.clone();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(address).await?;
            stream.set_nodelay(true)?;
            let mut stream = BufReader::new(stream);
            let mut buffer = Vec::with_capacity(4096);
            let mut latencies = Vec::with_capacity(per_connection);
            let mut confirmed = 0;
            for n in 0..per_connection {
                let bytes = request(connection, n);
                let sent = Instant::now();
                let reply = exchange(&mut stream, &bytes, &mut buffer).await?;
                latencies.push(sent.elapsed());
                confirmed += acknowledged(&reply);
            }
            BenchResult::Ok((confirmed, latencies))
        }));
    }
    let mut result = RunResult {
        answered: 0,
        acknowledged: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::with_capacity(total),
    };
    for task in tasks {
        let (confirmed, latencies) = task.await??;
        result.acknowledged += confirmed;
        result.answered += latencies.len();
        result.latencies.extend(latencies);
    }
    result.elapsed = started.elapsed();
    result.latencies.sort();
    Ok(result)
}

/// Counts a 200 as one acknowledged request.
pub fn ok_status(reply: &Reply) -> usize {
    usize::from(reply.status == 200)
}

pub fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Prints a Markdown row: label, requests, seconds, requests/s, p50 and p99 in ms, and
/// the ratio to `baseline_rate`. Returns the requests/s.
pub fn print_row(label: &str, run: &RunResult, baseline_rate: Option<f64>) -> f64 {
    let rate = run.answered as f64 / run.elapsed.as_secs_f64();
    let ratio = baseline_rate.map_or("1.00".to_owned(), |base| format!("{:.2}", rate / base));
    println!(
        "| {label} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {ratio} |",
        run.answered,
        run.elapsed.as_secs_f64(),
        rate,
        percentile(&run.latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&run.latencies, 0.99).as_secs_f64() * 1000.0,
    );
    rate
}
