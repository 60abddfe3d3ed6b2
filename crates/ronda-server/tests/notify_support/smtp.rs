//! A small SMTP server on loopback that records every message it accepts, in plain
//! text, behind TLS from the first byte, or upgraded with STARTTLS.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

/// A message as the server received it.
#[derive(Clone, Debug)]
pub struct ReceivedMessage {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// Headers and body, with the dot-stuffing removed.
    pub data: String,
}

/// Reply of the server to the end of DATA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// Records the message, then never replies, like a server that stalls.
    HangAfterData,
    /// Replies 451, a temporary failure.
    TemporaryFailure,
}

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    Plain,
    /// TLS from the first byte, as on port 465.
    Tls,
    /// Plain text until the client sends STARTTLS, as on port 587.
    Starttls,
}

#[derive(Default)]
struct Shared {
    messages: Vec<ReceivedMessage>,
    /// Messages that arrived over an encrypted connection.
    encrypted: usize,
}

/// Returns the directory of the test certificate authority and server certificate.
pub fn tls_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/notify_support/tls")
}

fn acceptor() -> TlsAcceptor {
    let dir = tls_dir();
    let chain = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .expect("server.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).expect("server.key");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server certificate");
    TlsAcceptor::from(Arc::new(config))
}

pub struct SmtpServer {
    pub address: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    mode: Arc<Mutex<Mode>>,
    task: JoinHandle<()>,
}

impl SmtpServer {
    pub async fn start(mode: Mode) -> Self {
        Self::start_on("127.0.0.1:0".parse().expect("address"), mode).await
    }

    /// Starts on a given address, to come back on the port a stopped server used.
    pub async fn start_on(address: SocketAddr, mode: Mode) -> Self {
        Self::start_with(address, mode, Security::Plain).await
    }

    /// Starts a server that serves the test certificate for 127.0.0.1.
    pub async fn start_secure(mode: Mode, security: Security) -> Self {
        Self::start_with("127.0.0.1:0".parse().expect("address"), mode, security).await
    }

    async fn start_with(address: SocketAddr, mode: Mode, security: Security) -> Self {
        let listener = TcpListener::bind(address)
            .await
            .expect("bind SMTP listener");
        let address = listener.local_addr().expect("local address");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let mode = Arc::new(Mutex::new(mode));
        let task = {
            let shared = shared.clone();
            let mode = mode.clone();
            tokio::spawn(async move {
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        return;
                    };
                    tokio::spawn(connection(socket, security, shared.clone(), mode.clone()));
                }
            })
        };
        Self {
            address,
            shared,
            mode,
            task,
        }
    }

    pub fn messages(&self) -> Vec<ReceivedMessage> {
        self.shared.lock().expect("lock").messages.clone()
    }

    /// Counts the received messages that came over TLS.
    pub fn encrypted_count(&self) -> usize {
        self.shared.lock().expect("lock").encrypted
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("lock") = mode;
    }

    /// Waits until the server has received `count` messages, for at most five seconds.
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedMessage> {
        for _ in 0..100 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.messages()
    }

    /// Stops listening; the port is free once this returns.
    pub async fn stop(self) -> SocketAddr {
        self.task.abort();
        let _ = self.task.await;
        self.address
    }
}

async fn connection(
    socket: tokio::net::TcpStream,
    security: Security,
    shared: Arc<Mutex<Shared>>,
    mode: Arc<Mutex<Mode>>,
) {
    match security {
        Security::Plain => {
            session(socket, false, false, true, shared, mode).await;
        }
        Security::Tls => {
            let Ok(stream) = acceptor().accept(socket).await else {
                return;
            };
            session(stream, true, false, true, shared, mode).await;
        }
        Security::Starttls => {
            let Some(socket) =
                session(socket, false, true, true, shared.clone(), mode.clone()).await
            else {
                return;
            };
            let Ok(stream) = acceptor().accept(socket).await else {
                return;
            };
            session(stream, true, false, false, shared, mode).await;
        }
    }
}

/// Talks SMTP over `stream`. With `offer_starttls`, a STARTTLS command ends the session
/// and hands the stream back for the TLS handshake; otherwise it returns `None`.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    encrypted: bool,
    offer_starttls: bool,
    greet: bool,
    shared: Arc<Mutex<Shared>>,
    mode: Arc<Mutex<Mode>>,
) -> Option<S> {
    let (reader, mut writer) = tokio::io::split(stream);
    let mut reader = BufReader::new(reader);
    let mut mail_from = String::new();
    let mut rcpt_to = Vec::new();
    if greet {
        writer
            .write_all(b"220 localhost test SMTP\r\n")
            .await
            .ok()?;
    }
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let command = line.trim_end().to_owned();
        let verb = command.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" if offer_starttls => {
                b"250-localhost\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n"
            }
            "EHLO" => b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "STARTTLS" if offer_starttls => {
                writer.write_all(b"220 go ahead\r\n").await.ok()?;
                return Some(reader.into_inner().unsplit(writer));
            }
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                mail_from.clear();
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "MAIL" => {
                mail_from = command[5..].trim().to_owned();
                b"250 OK\r\n"
            }
            "RCPT" => {
                rcpt_to.push(command[5..].trim().to_owned());
                b"250 OK\r\n"
            }
            "DATA" => {
                writer
                    .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                    .await
                    .ok()?;
                let data = read_data(&mut reader).await?;
                {
                    let mut shared = shared.lock().expect("lock");
                    shared.messages.push(ReceivedMessage {
                        mail_from: mail_from.clone(),
                        rcpt_to: rcpt_to.clone(),
                        data,
                    });
                    shared.encrypted += usize::from(encrypted);
                }
                let current = *mode.lock().expect("lock");
                match current {
                    Mode::Accept => b"250 OK queued\r\n",
                    Mode::TemporaryFailure => b"451 try again later\r\n",
                    Mode::HangAfterData => {
                        std::future::pending::<()>().await;
                        return None;
                    }
                }
            }
            "QUIT" => {
                let _ = writer.write_all(b"221 bye\r\n").await;
                return None;
            }
            _ => b"502 command not implemented\r\n",
        };
        writer.write_all(reply).await.ok()?;
    }
}

/// Reads DATA lines up to the lone dot and removes dot-stuffing.
async fn read_data<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        if line == ".\r\n" || line == ".\n" {
            return Some(data);
        }
        let unstuffed = line.strip_prefix('.').unwrap_or(&line);
        data.push_str(unstuffed);
    }
}
