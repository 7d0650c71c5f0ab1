//! What the widget sends, and its validation. Every field is checked and every problem
//! reported at once, with a stable code and a German explanation the widget shows as is.
//!
//! The form carries context about *where* the citizen was (service, region, form step, error
//! code, page path) — never the values the citizen typed into the host form. A page path
//! loses its query and fragment for that reason.

use crate::domain::{Ars, LeikaKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use wire::FieldError;

/// Longest message text, in characters.
pub const MAX_LENGTH: usize = 4000;
/// Longest name.
const MAX_NAME: usize = 100;
/// Longest form step or error code.
const MAX_CONTEXT: usize = 100;
/// Longest page path.
const MAX_PATH: usize = 300;

/// The submission as it arrives; lenient, so that missing or wrong fields become field errors
/// rather than a generic JSON error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawMessage {
    /// Form token.
    pub token: String,
    /// Idempotency key.
    pub idempotency_key: String,
    /// Category name.
    pub category: String,
    /// Message text.
    pub message: String,
    /// Reply address.
    pub reply_email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Consent given.
    pub consent: bool,
    /// Honeypot.
    pub website: String,
    /// Receipt wanted.
    pub wants_confirmation: bool,
    /// Context.
    pub context: RawContext,
    /// Language.
    pub lang: Option<String>,
}

/// Context as it arrives.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawContext {
    /// LeiKa key.
    pub leika: Option<String>,
    /// ARS.
    pub ars: Option<String>,
    /// Form step.
    pub form_step: Option<String>,
    /// Error code.
    pub error_code: Option<String>,
    /// Page path.
    pub page_path: Option<String>,
}

/// What the citizen wants help with; decides the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// A question about the application → subject-matter (fachlich) contact.
    Question,
    /// A technical problem → the operator's technical support.
    Technical,
    /// An accessibility barrier → the operator of the online service.
    Accessibility,
}

impl Category {
    /// Stable name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Technical => "technical",
            Self::Accessibility => "accessibility",
        }
    }

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Question => "Frage zum Antrag",
            Self::Technical => "Technisches Problem",
            Self::Accessibility => "Barriere melden",
        }
    }
}

/// A validated submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    /// Idempotency key.
    pub idempotency_key: String,
    /// Category.
    pub category: Category,
    /// Message text (trimmed).
    pub body: String,
    /// Reply address.
    pub reply_email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Receipt wanted.
    pub wants_confirmation: bool,
    /// Service.
    pub leika: Option<LeikaKey>,
    /// Region.
    pub ars: Option<Ars>,
    /// Form step.
    pub form_step: Option<String>,
    /// Error code.
    pub error_code: Option<String>,
    /// Page path without query or fragment.
    pub page_path: Option<String>,
    /// Language.
    pub lang: String,
}

impl ValidMessage {
    /// A fingerprint of the content, to tell a retry from a different message with the same
    /// idempotency key.
    pub fn hash(&self) -> String {
        let canonical = serde_json::json!([
            self.category.as_str(),
            self.body,
            self.reply_email,
            self.name,
            self.wants_confirmation,
            self.leika.map(|k| k.to_string()),
            self.ars.map(|a| a.to_string()),
            self.form_step,
            self.error_code,
            self.page_path,
        ]);
        crate::hex::encode(&Sha256::digest(canonical.to_string().as_bytes()))
    }
}

fn field(field: &str, error: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        error: error.into(),
        message: message.into(),
    }
}

/// Checks every field; returns all problems.
pub fn validate(raw: RawMessage) -> Result<ValidMessage, Vec<FieldError>> {
    let mut errors = Vec::new();

    let category = match raw.category.as_str() {
        "question" => Some(Category::Question),
        "technical" => Some(Category::Technical),
        "accessibility" => Some(Category::Accessibility),
        "" => {
            errors.push(field(
                "category",
                "required",
                "Bitte wählen Sie, worum es geht.",
            ));
            None
        }
        _ => {
            errors.push(field(
                "category",
                "invalid",
                "Bitte wählen Sie eine der angebotenen Möglichkeiten.",
            ));
            None
        }
    };

    let body = raw.message.trim().to_string();
    if body.is_empty() {
        errors.push(field(
            "message",
            "required",
            "Bitte schreiben Sie Ihre Nachricht.",
        ));
    } else if body.chars().count() > MAX_LENGTH {
        errors.push(field(
            "message",
            "too_long",
            &format!("Ihre Nachricht ist zu lang: höchstens {MAX_LENGTH} Zeichen."),
        ));
    } else if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.push(field(
            "message",
            "invalid",
            "Ihre Nachricht enthält unzulässige Steuerzeichen.",
        ));
    }

    let reply_email = raw
        .reply_email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    if let Some(email) = &reply_email
        && !is_email(email)
    {
        errors.push(field(
            "reply_email",
            "invalid",
            "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@example.de.",
        ));
    }
    if raw.wants_confirmation && reply_email.is_none() {
        errors.push(field(
            "reply_email",
            "required_for_confirmation",
            "Für eine Eingangsbestätigung brauchen wir Ihre E-Mail-Adresse.",
        ));
    }

    let name = raw
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if let Some(n) = &name
        && (n.chars().count() > MAX_NAME || n.chars().any(char::is_control))
    {
        errors.push(field(
            "name",
            "invalid",
            "Bitte geben Sie einen Namen mit höchstens 100 Zeichen an.",
        ));
    }

    if !raw.consent {
        errors.push(field(
            "consent",
            "required",
            "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, damit wir die Nachricht weiterleiten können.",
        ));
    }

    let key_ok = (16..=64).contains(&raw.idempotency_key.len())
        && raw
            .idempotency_key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !key_ok {
        errors.push(field(
            "idempotency_key",
            "invalid",
            "The idempotency key must be 16 to 64 characters [A-Za-z0-9_-].",
        ));
    }

    let ctx = raw.context;
    let leika = match ctx.leika.filter(|s| !s.is_empty()) {
        Some(k) => match k.parse::<LeikaKey>() {
            Ok(k) => Some(k),
            Err(e) => {
                errors.push(field("context.leika", "invalid", &e.to_string()));
                None
            }
        },
        None => None,
    };
    let ars = match ctx.ars.filter(|s| !s.is_empty()) {
        Some(a) => match a.parse::<Ars>() {
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(field("context.ars", "invalid", &e.to_string()));
                None
            }
        },
        None => None,
    };
    let short = |value: Option<String>, name: &str, errors: &mut Vec<FieldError>| {
        let value = value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if let Some(v) = &value
            && (v.chars().count() > MAX_CONTEXT || v.chars().any(char::is_control))
        {
            errors.push(field(name, "invalid", "at most 100 printable characters"));
        }
        value
    };
    let form_step = short(ctx.form_step, "context.form_step", &mut errors);
    let error_code = short(ctx.error_code, "context.error_code", &mut errors);
    // The query string or fragment may hold what the citizen typed; it is never kept.
    let page_path = ctx
        .page_path
        .map(|p| {
            p.split(['?', '#'])
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty());
    if let Some(p) = &page_path
        && (!p.starts_with('/')
            || p.chars().count() > MAX_PATH
            || p.chars().any(|c| c.is_control() || c.is_whitespace()))
    {
        errors.push(field(
            "context.page_path",
            "invalid",
            "a path starting with / of at most 300 characters",
        ));
    }

    let lang = raw.lang.unwrap_or_else(|| "de".into());
    if !crate::notices::model::LANGUAGES.contains(&lang.as_str()) {
        errors.push(field("lang", "invalid", "languages are de, en and de-x-ls"));
    }

    match (category, errors.is_empty()) {
        (Some(category), true) => Ok(ValidMessage {
            idempotency_key: raw.idempotency_key,
            category,
            body,
            reply_email,
            name,
            wants_confirmation: raw.wants_confirmation,
            leika,
            ars,
            form_step,
            error_code,
            page_path,
            lang,
        }),
        _ => Err(errors),
    }
}

/// A plain e-mail address: one `@`, a dotted domain, no spaces, no line breaks (which would
/// let a sender inject mail headers), nothing that needs quoting — and one that the mail
/// library delivery uses (lettre) parses as an address. Without that last check an address
/// such as `max..muster@example.de` was acknowledged and then could never be used.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    value.parse::<lettre::Address>().is_ok()
        && value.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || "@.!#$%&'*+/=?^_`{|}~-".contains(c)
                || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawMessage {
        RawMessage {
            token: "t".into(),
            idempotency_key: "0123456789abcdef".into(),
            category: "question".into(),
            message: "Wie lange dauert die Bearbeitung?".into(),
            consent: true,
            ..RawMessage::default()
        }
    }

    fn codes(raw: RawMessage) -> Vec<(String, String)> {
        validate(raw)
            .expect_err("invalid")
            .into_iter()
            .map(|e| (e.field, e.error))
            .collect()
    }

    #[test]
    fn a_minimal_message_is_valid() {
        let valid = validate(raw()).expect("valid");
        assert_eq!(valid.category, Category::Question);
        assert_eq!(valid.lang, "de");
    }

    #[test]
    fn every_problem_is_reported_with_its_field_and_code() {
        let all_wrong = RawMessage {
            category: String::new(),
            message: "   ".into(),
            reply_email: Some("kein-at".into()),
            consent: false,
            idempotency_key: "kurz".into(),
            ..RawMessage::default()
        };
        assert_eq!(
            codes(all_wrong),
            [
                ("category".to_string(), "required".to_string()),
                ("message".into(), "required".into()),
                ("reply_email".into(), "invalid".into()),
                ("consent".into(), "required".into()),
                ("idempotency_key".into(), "invalid".into()),
            ]
        );
    }

    #[test]
    fn oversized_messages_are_refused_by_characters_not_bytes() {
        let fits = RawMessage {
            message: "ä".repeat(MAX_LENGTH),
            ..raw()
        };
        assert!(validate(fits).is_ok());
        let too_long = RawMessage {
            message: "ä".repeat(MAX_LENGTH + 1),
            ..raw()
        };
        assert_eq!(
            codes(too_long),
            [("message".to_string(), "too_long".to_string())]
        );
    }

    #[test]
    fn header_injection_in_name_or_address_is_refused() {
        let injected = RawMessage {
            reply_email: Some("a@example.de\r\nBcc: victim@example.org".into()),
            name: Some("Eve\nBcc: x@example.org".into()),
            ..raw()
        };
        assert_eq!(
            codes(injected),
            [
                ("reply_email".to_string(), "invalid".to_string()),
                ("name".into(), "invalid".into())
            ]
        );
        assert!(!is_email("a b@example.de"));
        assert!(!is_email("a@b@example.de"));
        assert!(is_email("anna.muster+elterngeld@example.de"));
        assert!(is_email("jürgen@beispiel.de"));
    }

    #[test]
    fn an_address_the_mail_library_refuses_is_refused_at_once() {
        for bad in [
            "max..muster@example.de",
            ".max@example.de",
            "max.@example.de",
        ] {
            let raw = RawMessage {
                reply_email: Some(bad.into()),
                ..raw()
            };
            assert_eq!(
                codes(raw),
                [("reply_email".to_string(), "invalid".to_string())],
                "{bad}"
            );
        }
    }

    #[test]
    fn html_is_kept_as_text_and_control_characters_are_refused() {
        let html = RawMessage {
            message: "<script>alert(1)</script> & <b>fett</b>".into(),
            ..raw()
        };
        assert_eq!(
            validate(html).expect("HTML is just text").body,
            "<script>alert(1)</script> & <b>fett</b>"
        );
        let nul = RawMessage {
            message: "a\u{0}b".into(),
            ..raw()
        };
        assert_eq!(codes(nul), [("message".to_string(), "invalid".to_string())]);
    }

    #[test]
    fn a_receipt_needs_an_address() {
        let no_address = RawMessage {
            wants_confirmation: true,
            ..raw()
        };
        assert_eq!(
            codes(no_address),
            [(
                "reply_email".to_string(),
                "required_for_confirmation".to_string()
            )]
        );
    }

    #[test]
    fn the_page_path_loses_its_query_and_fragment() {
        let with_query = RawMessage {
            context: RawContext {
                page_path: Some("/antrag/schritt-2?vorname=Anna#geburt".into()),
                ..RawContext::default()
            },
            ..raw()
        };
        assert_eq!(
            validate(with_query).expect("valid").page_path.as_deref(),
            Some("/antrag/schritt-2")
        );
    }

    #[test]
    fn context_keys_are_checked() {
        let bad = RawMessage {
            context: RawContext {
                leika: Some("123".into()),
                ars: Some("999".into()),
                ..RawContext::default()
            },
            ..raw()
        };
        assert_eq!(
            codes(bad),
            [
                ("context.leika".to_string(), "invalid".to_string()),
                ("context.ars".into(), "invalid".into())
            ]
        );
    }

    #[test]
    fn the_same_content_has_the_same_hash() {
        let a = validate(raw()).expect("valid");
        let b = validate(raw()).expect("valid");
        assert_eq!(a.hash(), b.hash());
        let c = validate(RawMessage {
            message: "Anders".into(),
            ..raw()
        })
        .expect("valid");
        assert_ne!(a.hash(), c.hash());
    }
}
