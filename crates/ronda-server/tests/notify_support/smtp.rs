//! A small SMTP server on loopback that records every message it accepts.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

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

#[derive(Default)]
struct Shared {
    messages: Vec<ReceivedMessage>,
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
                    tokio::spawn(session(socket, shared.clone(), mode.clone()));
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

async fn session(
    socket: tokio::net::TcpStream,
    shared: Arc<Mutex<Shared>>,
    mode: Arc<Mutex<Mode>>,
) {
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut mail_from = String::new();
    let mut rcpt_to = Vec::new();
    if writer
        .write_all(b"220 localhost test SMTP\r\n")
        .await
        .is_err()
    {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_owned();
        let verb = command.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
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
                if writer
                    .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let Some(data) = read_data(&mut reader).await else {
                    return;
                };
                shared.lock().expect("lock").messages.push(ReceivedMessage {
                    mail_from: mail_from.clone(),
                    rcpt_to: rcpt_to.clone(),
                    data,
                });
                let current = *mode.lock().expect("lock");
                match current {
                    Mode::Accept => b"250 OK queued\r\n",
                    Mode::TemporaryFailure => b"451 try again later\r\n",
                    Mode::HangAfterData => {
                        std::future::pending::<()>().await;
                        return;
                    }
                }
            }
            "QUIT" => {
                let _ = writer.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"502 command not implemented\r\n",
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// Reads DATA lines up to the lone dot and removes dot-stuffing.
async fn read_data(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
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
