//! The text of error messages in Spanish (Mexico) and English. Each message names what
//! failed and what to do next.

use ronda_domain::user::InputReason;

use crate::error::{ErrorCode, InputProblem};
use crate::i18n::Locale;

/// Builds the message for an error code, naming the field and the fix where there is one.
pub fn error_message(
    locale: Locale,
    code: ErrorCode,
    field: Option<&str>,
    problem: Option<&InputProblem>,
) -> String {
    match (field, problem) {
        (Some(field), Some(problem)) => return input_message(locale, field, problem),
        // An explanation without a field replaces the code's general wording.
        (None, Some(InputProblem::Explained { es, en })) => {
            return match locale {
                Locale::Es => es.clone(),
                Locale::En => en.clone(),
            };
        }
        _ => {}
    }
    let (es, en) = match code {
        ErrorCode::InvalidInput => (
            "Un dato de la solicitud no es válido. Revisa los campos e inténtalo de nuevo.",
            "A value in the request is invalid. Check the fields and try again.",
        ),
        ErrorCode::InvalidJson => (
            "El cuerpo de la solicitud no es JSON válido. Envía un objeto JSON con Content-Type: application/json.",
            "The request body is not valid JSON. Send a JSON object with Content-Type: application/json.",
        ),
        ErrorCode::UnsupportedMediaType => (
            "Esta ruta recibe JSON. Envía el cuerpo con Content-Type: application/json.",
            "This route takes JSON. Send the body with Content-Type: application/json.",
        ),
        ErrorCode::InvalidCredentials => (
            "Correo o contraseña incorrectos, o la cuenta está desactivada.",
            "Wrong email or password, or the account is deactivated.",
        ),
        ErrorCode::RateLimited => (
            "Demasiados intentos. Espera unos minutos antes de volver a intentarlo.",
            "Too many attempts. Wait a few minutes before trying again.",
        ),
        ErrorCode::Unauthenticated => (
            "Tu sesión no es válida o expiró. Inicia sesión de nuevo.",
            "Your session is invalid or has expired. Log in again.",
        ),
        ErrorCode::Forbidden => (
            "Tu rol no permite esta acción. Pide a un administrador que la haga por ti.",
            "Your role does not allow this action. Ask an administrator to do it for you.",
        ),
        ErrorCode::CsrfFailed => (
            "Falta el token de seguridad de la sesión o no coincide. Recarga la página e inténtalo de nuevo.",
            "The session's security token is missing or does not match. Reload the page and try again.",
        ),
        ErrorCode::NotFound => (
            "No se encontró lo que buscas. Revisa la dirección o el identificador.",
            "Not found. Check the address or the identifier.",
        ),
        ErrorCode::MethodNotAllowed => (
            "Este recurso no acepta ese método HTTP. Consulta /api-docs/ para ver los métodos válidos.",
            "This resource does not accept that HTTP method. See /api-docs/ for the valid methods.",
        ),
        ErrorCode::PayloadTooLarge => (
            "La solicitud es demasiado grande. Envía menos datos por solicitud.",
            "The request is too large. Send less data per request.",
        ),
        ErrorCode::EmailTaken => (
            "Ya existe un usuario con ese correo. Usa otro correo o reactiva al usuario existente.",
            "A user with that email already exists. Use another email or reactivate the existing user.",
        ),
        ErrorCode::OrganizationNameTaken => (
            "Ya existe una organización con ese nombre. Elige otro nombre.",
            "An organization with that name already exists. Choose another name.",
        ),
        ErrorCode::CannotDeactivateSelf => (
            "No puedes desactivar tu propia cuenta. Pide a otro administrador que lo haga.",
            "You cannot deactivate your own account. Ask another administrator to do it.",
        ),
        ErrorCode::LenderNameTaken => (
            "Ya existe un otorgante con ese nombre. Elige otro nombre o usa el existente.",
            "A lender with that name already exists. Choose another name or use the existing one.",
        ),
        ErrorCode::PortfolioNameTaken => (
            "Este otorgante ya tiene una cartera con ese nombre. Elige otro nombre.",
            "This lender already has a portfolio with that name. Choose another name.",
        ),
        ErrorCode::DeviceIdentifierTaken => (
            "Ya hay un dispositivo con ese identificador. Elige otro o deja que Ronda lo genere.",
            "A device with that identifier already exists. Choose another or let Ronda generate one.",
        ),
        ErrorCode::InvalidDeviceCredentials => (
            "Dispositivo desconocido, revocado o con secreto incorrecto. Copia de nuevo la configuración que mostró la consola.",
            "Unknown or revoked device, or wrong secret. Copy the settings the console showed again.",
        ),
        ErrorCode::NotAnAgent => (
            "Ese usuario no es un gestor activo. Elige un usuario con rol de gestor que no esté desactivado.",
            "That user is not an active agent. Choose a user with the agent role who is not deactivated.",
        ),
        ErrorCode::OverCapacity => (
            "El gestor tendría más cuentas de las que puede visitar. Elige menos cuentas u otro gestor, o confirma que quieres asignarlas de todos modos (en la API, con allow_over_capacity).",
            "The agent would have more accounts than they can visit. Choose fewer accounts or another agent, or confirm that you want to assign them anyway (in the API, with allow_over_capacity).",
        ),
        ErrorCode::AssignmentConflict => (
            "Otra asignación cambió estas cuentas al mismo tiempo. Vuelve a intentarlo.",
            "Another assignment changed these accounts at the same time. Try again.",
        ),
        ErrorCode::UnreadableFile => (
            "No se pudo leer el archivo. Sube un CSV o un XLSX con una fila de encabezados.",
            "The file could not be read. Upload a CSV or XLSX file with a header row.",
        ),
        ErrorCode::NotReady => (
            "El servicio aún no está listo. Inténtalo de nuevo en unos segundos.",
            "The service is not ready yet. Try again in a few seconds.",
        ),
        ErrorCode::SmtpNotConfigured => (
            "No hay servidor SMTP para esta organización ni de la instalación. Configúralo en Notificaciones y vuelve a intentarlo.",
            "There is no SMTP server for this organization nor for the installation. Set one in Notifications and try again.",
        ),
        ErrorCode::SmtpFailed => (
            "El servidor SMTP no aceptó el correo. Revisa servidor, puerto, seguridad y credenciales.",
            "The SMTP server did not accept the email. Check the server, port, security and credentials.",
        ),
        ErrorCode::DeliveryNotFailed => (
            "Solo se reintenta un envío fallido; este está pendiente, enviándose o ya enviado.",
            "Only a failed delivery can be retried; this one is pending, sending or already sent.",
        ),
        ErrorCode::VisitConflict => (
            "Ya existe una visita con ese identificador y otro contenido. Genera un identificador nuevo para la visita.",
            "A visit with that identifier and other content already exists. Make a new identifier for the visit.",
        ),
        ErrorCode::ShiftConflict => (
            "Ya existe una jornada con ese identificador y otras horas. Genera un identificador nuevo para la jornada.",
            "A shift with that identifier and other times already exists. Make a new identifier for the shift.",
        ),
        ErrorCode::AttachmentHashMismatch => (
            "El archivo recibido no coincide con su SHA-256. Vuelve a enviar el archivo completo.",
            "The received file does not match its SHA-256. Send the whole file again.",
        ),
        ErrorCode::UnsupportedAttachmentType => (
            "Los archivos adjuntos deben ser image/jpeg, image/png o image/webp. Envía la foto en uno de esos formatos.",
            "Attachments must be image/jpeg, image/png or image/webp. Send the photo in one of those formats.",
        ),
        ErrorCode::PinCorrectionDecided => (
            "Alguien ya decidió sobre esta ubicación corregida. Recarga la visita para ver la decisión.",
            "Someone already decided on this corrected location. Reload the visit to see the decision.",
        ),
        ErrorCode::NoPinCorrection => (
            "Esta visita no propone una ubicación corregida, así que no hay nada que aprobar ni rechazar.",
            "This visit proposes no corrected location, so there is nothing to approve or reject.",
        ),
        ErrorCode::FormVersionTaken => (
            "Esa versión del formulario ya está publicada con otro contenido. Cambia «version» en la hoja settings y vuelve a subirlo.",
            "That form version is already published with other content. Change 'version' on the settings sheet and upload it again.",
        ),
        ErrorCode::UnknownTemplate => (
            "No existe esa plantilla. Las plantillas son visita_cobranza y verificacion_domiciliaria.",
            "There is no such template. The templates are visita_cobranza and verificacion_domiciliaria.",
        ),
        ErrorCode::Internal => (
            "Ocurrió un error interno. Inténtalo de nuevo; si persiste, avisa al administrador.",
            "An internal error occurred. Try again; if it persists, tell the administrator.",
        ),
    };
    pick(locale, es, en)
}

fn pick(locale: Locale, es: &str, en: &str) -> String {
    match locale {
        Locale::Es => es.to_owned(),
        Locale::En => en.to_owned(),
    }
}

fn input_message(locale: Locale, field: &str, problem: &InputProblem) -> String {
    match (locale, problem) {
        (Locale::Es, InputProblem::Rule(InputReason::Empty)) => {
            format!("El campo «{field}» está vacío. Escribe un valor.")
        }
        (Locale::En, InputProblem::Rule(InputReason::Empty)) => {
            format!("The field \"{field}\" is empty. Enter a value.")
        }
        (Locale::Es, InputProblem::Rule(InputReason::TooShort { min })) => {
            format!("El campo «{field}» es demasiado corto. Usa al menos {min} caracteres.")
        }
        (Locale::En, InputProblem::Rule(InputReason::TooShort { min })) => {
            format!("The field \"{field}\" is too short. Use at least {min} characters.")
        }
        (Locale::Es, InputProblem::Rule(InputReason::TooLong { max })) => {
            format!("El campo «{field}» es demasiado largo. Usa como máximo {max} caracteres.")
        }
        (Locale::En, InputProblem::Rule(InputReason::TooLong { max })) => {
            format!("The field \"{field}\" is too long. Use at most {max} characters.")
        }
        (Locale::Es, InputProblem::Rule(InputReason::InvalidEmail)) => {
            format!("El campo «{field}» no es un correo válido. Escríbelo como nombre@dominio.mx.")
        }
        (Locale::En, InputProblem::Rule(InputReason::InvalidEmail)) => {
            format!("The field \"{field}\" is not a valid email. Write it as name@domain.com.")
        }
        (Locale::Es, InputProblem::Rule(InputReason::ControlCharacter)) => {
            format!("El campo «{field}» tiene caracteres de control. Escríbelo sin ellos.")
        }
        (Locale::En, InputProblem::Rule(InputReason::ControlCharacter)) => {
            format!("The field \"{field}\" contains control characters. Remove them.")
        }
        (Locale::Es, InputProblem::NotOneOf(choices)) => {
            format!("El valor de «{field}» no es válido. Usa uno de: {choices}.")
        }
        (Locale::En, InputProblem::NotOneOf(choices)) => {
            format!("The value of \"{field}\" is invalid. Use one of: {choices}.")
        }
        (Locale::Es, InputProblem::Malformed(detail)) => {
            let detail = crate::json_detail::spanish(detail);
            format!("No se pudo leer «{field}»: {detail}. Corrige el JSON y vuelve a enviarlo.")
        }
        (Locale::En, InputProblem::Malformed(detail)) => {
            format!("Could not read \"{field}\": {detail}. Fix the JSON and send it again.")
        }
        (Locale::Es, InputProblem::OutOfRange { min, max }) => {
            format!("El parámetro «{field}» debe ser un número entero entre {min} y {max}.")
        }
        (Locale::En, InputProblem::OutOfRange { min, max }) => {
            format!("The parameter \"{field}\" must be a whole number between {min} and {max}.")
        }
        (Locale::Es, InputProblem::UnknownId) => {
            format!("No existe lo que indica «{field}» en tu organización. Elige uno de la lista.")
        }
        (Locale::En, InputProblem::UnknownId) => {
            format!("\"{field}\" names nothing in your organization. Pick one from the list.")
        }
        (Locale::Es, InputProblem::Missing) => {
            format!("Falta «{field}» en la solicitud. Agrégalo y vuelve a enviarla.")
        }
        (Locale::En, InputProblem::Missing) => {
            format!("\"{field}\" is missing from the request. Add it and send it again.")
        }
        (Locale::Es, InputProblem::Explained { es, .. }) => es.clone(),
        (Locale::En, InputProblem::Explained { en, .. }) => en.clone(),
        (Locale::Es, InputProblem::NotAnId) => {
            format!(
                "«{field}» no es un identificador válido. Usa el id (UUID) que devolvió la API."
            )
        }
        (Locale::En, InputProblem::NotAnId) => {
            format!("\"{field}\" is not a valid identifier. Use the id (UUID) the API returned.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanation_without_field() {
        let problem = InputProblem::Explained {
            es: "Ya hay dos importaciones en curso.".into(),
            en: "Two imports are already running.".into(),
        };
        let es = error_message(Locale::Es, ErrorCode::RateLimited, None, Some(&problem));
        let en = error_message(Locale::En, ErrorCode::RateLimited, None, Some(&problem));
        assert_eq!(es, "Ya hay dos importaciones en curso.");
        assert_eq!(en, "Two imports are already running.");
    }

    #[test]
    fn general_wording_without_problem() {
        let es = error_message(Locale::Es, ErrorCode::RateLimited, None, None);
        assert!(es.starts_with("Demasiados intentos."), "{es}");
    }
}
