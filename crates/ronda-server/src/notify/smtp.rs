//! Sending one email through lettre over SMTP.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
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

/// Certificate authorities that SMTP connections trust besides the bundled public ones,
/// for a relay whose certificate comes from an in-house authority.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtraRoots(Arc<Vec<String>>);

impl ExtraRoots {
    /// Reads every `CERTIFICATE` block of a PEM file. Fails with a reason when the text
    /// contains none or one cannot be read.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        const END: &str = "-----END CERTIFICATE-----";
        let mut blocks = Vec::new();
        for chunk in pem.split_inclusive(END) {
            let Some(start) = chunk.find("-----BEGIN CERTIFICATE-----") else {
                continue;
            };
            if !chunk.ends_with(END) {
                return Err("a certificate block has no END line".into());
            }
            let block = chunk[start..].to_owned();
            Certificate::from_pem(block.as_bytes()).map_err(|error| {
                format!("certificate {} cannot be read: {error}", blocks.len() + 1)
            })?;
            blocks.push(block);
        }
        if blocks.is_empty() {
            return Err("no PEM certificate found".into());
        }
        Ok(Self(Arc::new(blocks)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// TLS parameters for `host` that trust the public authorities and these.
    fn parameters(&self, host: &str) -> Result<TlsParameters, SendError> {
        let mut builder = TlsParameters::builder(host.to_owned());
        for block in self.0.iter() {
            let certificate = Certificate::from_pem(block.as_bytes())
                .map_err(|error| SendError::Invalid(error_chain(&error)))?;
            builder = builder.add_root_certificate(certificate);
        }
        builder
            .build_rustls()
            .map_err(|error| SendError::Invalid(error_chain(&error)))
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
    roots: &ExtraRoots,
) -> Result<(), SendError> {
    let message = build_message(server, &outgoing)?;
    let transport = transport(server, timeout, roots)?;
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
    roots: &ExtraRoots,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
    let plain = || AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(server.host.as_str());
    let builder = match server.security {
        SmtpSecurity::None => plain(),
        SmtpSecurity::Starttls if !roots.is_empty() => {
            plain().tls(Tls::Required(roots.parameters(&server.host)?))
        }
        SmtpSecurity::Tls if !roots.is_empty() => {
            plain().tls(Tls::Wrapper(roots.parameters(&server.host)?))
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

/// Joins an error and its causes, such as "connection error: Connection refused". A cause
/// already contained in the text is left out, because lettre's connection errors repeat
/// their source in their own message.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::error_chain;

    #[derive(Debug)]
    struct Wrapper(std::io::Error, &'static str);

    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.1)
        }
    }

    impl std::error::Error for Wrapper {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn repeated_cause_appears_once() {
        let refused =
            || std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let repeated = Wrapper(refused(), "Connection error: Connection refused");
        assert_eq!(
            error_chain(&repeated),
            "Connection error: Connection refused"
        );
        let new_cause = Wrapper(refused(), "could not connect");
        assert_eq!(
            error_chain(&new_cause),
            "could not connect: Connection refused"
        );
    }
}
