//! Sending one email through lettre over SMTP.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use ronda_store::outbox::{SmtpSecurity, SmtpSettings};

use super::email::RenderedEmail;

/// An SMTP server to send through: the organization's, or the installation default.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From mailbox, such as `Ronda <avisos@example.mx>`.
    pub from_address: String,
}

impl std::fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from_address", &self.from_address)
            .finish()
    }
}

impl From<SmtpSettings> for SmtpServer {
    fn from(settings: SmtpSettings) -> Self {
        Self {
            host: settings.host,
            port: settings.port,
            security: settings.security,
            username: settings.username,
            password: settings.password,
            from_address: settings.from_address,
        }
    }
}

/// Reason a send failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The settings or an address cannot be used; retrying will not help.
    #[error("{0}")]
    Invalid(String),
    /// The server rejected the message with a 5xx reply; retrying will not help.
    #[error("rejected by the SMTP server: {0}")]
    Rejected(String),
    /// The server could not be reached or replied with a temporary (4xx) error.
    #[error("{0}")]
    Transient(String),
}

impl SendError {
    pub fn is_permanent(&self) -> bool {
        !matches!(self, SendError::Transient(_))
    }
}

/// One message to send.
pub struct Outgoing<'a> {
    pub to: &'a str,
    /// The Message-ID header with its angle brackets, the same on every attempt.
    pub message_id: &'a str,
    pub email: &'a RenderedEmail,
}

/// Sends `outgoing` and returns once the server accepted it.
pub async fn send(
    server: &SmtpServer,
    outgoing: Outgoing<'_>,
    timeout: Duration,
) -> Result<(), SendError> {
    let message = build_message(server, &outgoing)?;
    let transport = transport(server, timeout)?;
    transport.send(message).await.map(|_| ()).map_err(|error| {
        let text = error_chain(&error);
        if error.is_permanent() {
            SendError::Rejected(text)
        } else {
            SendError::Transient(text)
        }
    })
}

fn transport(
    server: &SmtpServer,
    timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
    let builder = match server.security {
        SmtpSecurity::None => {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(server.host.as_str())
        }
        SmtpSecurity::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&server.host)
                .map_err(|error| SendError::Invalid(error_chain(&error)))?
        }
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&server.host)
            .map_err(|error| SendError::Invalid(error_chain(&error)))?,
    };
    let mut builder = builder.port(server.port).timeout(Some(timeout));
    if let Some(username) = &server.username {
        let password = server.password.clone().unwrap_or_default();
        builder = builder.credentials(Credentials::new(username.clone(), password));
    }
    Ok(builder.build())
}

fn build_message(server: &SmtpServer, outgoing: &Outgoing<'_>) -> Result<Message, SendError> {
    let from: Mailbox = server.from_address.parse().map_err(|_| {
        SendError::Invalid(format!(
            "invalid From address {:?} in the SMTP settings",
            server.from_address
        ))
    })?;
    let to: Mailbox = outgoing
        .to
        .parse()
        .map_err(|_| SendError::Invalid(format!("invalid recipient {:?}", outgoing.to)))?;
    let email = outgoing.email;

    let html = SinglePart::html(email.html.clone());
    let html_part = if email.photos.is_empty() {
        MultiPart::alternative()
            .singlepart(SinglePart::plain(email.text.clone()))
            .singlepart(html)
    } else {
        let mut related = MultiPart::related().singlepart(html);
        for photo in &email.photos {
            let content_type = ContentType::parse(&photo.content_type).unwrap_or(
                ContentType::parse("application/octet-stream").map_err(|_| {
                    SendError::Invalid("invalid attachment content type".to_owned())
                })?,
            );
            related = related.singlepart(
                Attachment::new_inline(photo.content_id.clone())
                    .body(photo.content.clone(), content_type),
            );
        }
        MultiPart::alternative()
            .singlepart(SinglePart::plain(email.text.clone()))
            .multipart(related)
    };
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(outgoing.message_id.to_owned()))
        .multipart(html_part)
        .map_err(|error| SendError::Invalid(error.to_string()))
}

/// Joins an error with its sources, such as "connection error: Connection refused".
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
