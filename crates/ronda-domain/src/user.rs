//! Checked constructors for what a person types about a user: email, name and password.

use serde::Serialize;

/// Rejection of a value typed by a person: the field and the rule it broke.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{field}: {reason}")]
pub struct InputError {
    pub field: &'static str,
    pub reason: InputReason,
}

/// The rule a rejected value broke. The server turns each one into a localized message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InputReason {
    #[error("is empty")]
    Empty,
    #[error("is shorter than {min} characters")]
    TooShort { min: usize },
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("is not a valid email address")]
    InvalidEmail,
    #[error("contains a control character")]
    ControlCharacter,
}

impl InputError {
    fn new(field: &'static str, reason: InputReason) -> Self {
        Self { field, reason }
    }
}

/// An email address, trimmed and lower-cased, so `Ana@Example.MX` and `ana@example.mx` are one login.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Maximum length from RFC 5321 (a forward path of 256 octets minus the angle brackets).
    pub const MAX_LEN: usize = 254;

    pub fn parse(field: &'static str, value: &str) -> Result<Self, InputError> {
        let email = value.trim().to_lowercase();
        if email.is_empty() {
            return Err(InputError::new(field, InputReason::Empty));
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(InputError::new(
                field,
                InputReason::TooLong { max: Self::MAX_LEN },
            ));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(InputError::new(field, InputReason::InvalidEmail));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        let has_space = email.chars().any(|c| c.is_whitespace() || c.is_control());
        if local.is_empty() || !domain_ok || domain.contains('@') || has_space {
            return Err(InputError::new(field, InputReason::InvalidEmail));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name: trimmed, not empty, at most 200 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 200;

    pub fn parse(field: &'static str, value: &str) -> Result<Self, InputError> {
        let name = value.trim();
        if name.is_empty() {
            return Err(InputError::new(field, InputReason::Empty));
        }
        if name.chars().any(char::is_control) {
            return Err(InputError::new(field, InputReason::ControlCharacter));
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(InputError::new(
                field,
                InputReason::TooLong { max: Self::MAX_LEN },
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password chosen for a new account: at least 10 characters, at most 1,024 so that
/// hashing cost stays bounded. Its `Debug` output never shows the value.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 1024;

    pub fn parse(field: &'static str, value: &str) -> Result<Self, InputError> {
        let length = value.chars().count();
        if length == 0 {
            return Err(InputError::new(field, InputReason::Empty));
        }
        if length < Self::MIN_LEN {
            return Err(InputError::new(
                field,
                InputReason::TooShort { min: Self::MIN_LEN },
            ));
        }
        if length > Self::MAX_LEN {
            return Err(InputError::new(
                field,
                InputReason::TooLong { max: Self::MAX_LEN },
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalized() {
        let email = Email::parse("email", "  Ana.Lopez@Example.MX ").expect("valid email");
        assert_eq!(email.as_str(), "ana.lopez@example.mx");
    }

    #[test]
    fn email_rejects_malformed_values() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.mx",
            "ana@example",
            "ana@@x.mx",
            "a na@x.mx",
            "a@.mx",
        ] {
            let error = Email::parse("email", bad).expect_err(bad);
            assert_eq!(error.field, "email");
        }
    }

    #[test]
    fn password_length_limits() {
        assert_eq!(
            NewPassword::parse("password", "corta")
                .expect_err("short")
                .reason,
            InputReason::TooShort { min: 10 }
        );
        assert!(NewPassword::parse("password", "diez-chars").is_ok());
        let long = "x".repeat(1025);
        assert_eq!(
            NewPassword::parse("password", &long)
                .expect_err("long")
                .reason,
            InputReason::TooLong { max: 1024 }
        );
    }

    #[test]
    fn password_debug_is_redacted() {
        let password = NewPassword::parse("password", "secreto-largo-123").expect("valid");
        assert!(!format!("{password:?}").contains("secreto"));
    }

    #[test]
    fn name_is_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("name", " Ana ").expect("valid").as_str(),
            "Ana"
        );
        assert!(PersonName::parse("name", "   ").is_err());
        assert!(PersonName::parse("name", &"ñ".repeat(201)).is_err());
        assert_eq!(
            PersonName::parse("name", "Ana\u{0}")
                .expect_err("NUL")
                .reason,
            InputReason::ControlCharacter
        );
    }
}
