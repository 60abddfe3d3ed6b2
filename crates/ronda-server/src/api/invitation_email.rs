//! Sends an invitation link by email when the organization, or the installation, has an
//! SMTP server. Without one, or when sending fails, the admin still gets the link in the
//! API response and shares it by hand.

use ronda_domain::OrganizationId;

use crate::notify::email::RenderedEmail;
use crate::notify::smtp::{self, Outgoing, SmtpServer};
use crate::state::AppState;

/// Outcome of sending the invitation email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailOutcome {
    Sent,
    /// No SMTP server, or no public URL to build an absolute link from.
    NotConfigured,
    Failed,
}

impl EmailOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailOutcome::Sent => "sent",
            EmailOutcome::NotConfigured => "not_configured",
            EmailOutcome::Failed => "failed",
        }
    }
}

/// Emails the link at `path` to `to`. Failures are logged, never returned, because the
/// user and invitation already exist and the response carries the link.
pub async fn send_invitation(
    state: &AppState,
    org: OrganizationId,
    to: &str,
    name: &str,
    path: &str,
) -> EmailOutcome {
    let notify = &state.settings().notify;
    let Some(public_url) = notify.public_url.as_deref() else {
        return EmailOutcome::NotConfigured;
    };
    let server = match state.store().smtp_settings(org).await {
        Ok(Some(settings)) => SmtpServer::from(settings),
        Ok(None) => match &notify.default_smtp {
            Some(server) => server.clone(),
            None => return EmailOutcome::NotConfigured,
        },
        Err(error) => {
            tracing::warn!(org.id = %org, error = %error, "reading SMTP settings for an invitation failed");
            return EmailOutcome::Failed;
        }
    };
    let link = format!("{}{path}", public_url.trim_end_matches('/'));
    let email = RenderedEmail {
        subject: "Tu invitación a Ronda".to_owned(),
        text: format!(
            "Hola, {name}:\n\nTe invitaron a Ronda. Elige tu contraseña en este enlace, que \
             sirve una sola vez durante 72 horas:\n\n{link}\n"
        ),
        html: format!(
            "<p>Hola, {name}:</p><p>Te invitaron a Ronda. Elige tu contraseña en este enlace, \
             que sirve una sola vez durante 72 horas:</p><p><a href=\"{link}\">{link}</a></p>",
            name = super::invitations::escape(name),
            link = super::invitations::escape(&link),
        ),
        photos: Vec::new(),
    };
    let message_id = format!(
        "<invitation.{}@ronda.invalid>",
        uuid::Uuid::now_v7().simple()
    );
    let outgoing = Outgoing {
        to,
        message_id: &message_id,
        email: &email,
    };
    match smtp::send(
        &server,
        outgoing,
        notify.send_timeout,
        &notify.smtp_extra_roots,
    )
    .await
    {
        Ok(_) => EmailOutcome::Sent,
        Err(error) => {
            tracing::warn!(org.id = %org, error = %error, "invitation email failed");
            EmailOutcome::Failed
        }
    }
}
