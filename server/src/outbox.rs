//! The outbox: delivers committed contact-form messages to their Funktionspostfach by SMTP,
//! sends the optional confirmation to the citizen, and deletes personal data once the
//! retention period after delivery has passed.
//!
//! [`run`] is the worker the server spawns. It wakes when the intake commits a message
//! (`AppState::outbox`) or when the next retry is due, and hands every due message to
//! [`deliver_due`], which tests also drive directly with a chosen "now".
//!
//! **At-least-once.** A message is marked `delivered` right after the SMTP server has answered
//! `250` to its data. If the process dies between that answer and the status update (a window
//! of one local database write), the message is still `queued` and goes out again after the
//! restart. Every copy carries the same `Message-ID`, derived from the reference
//! (`<AS-2026-000123@domain-of-smtp-from>`), and the same `Date` (the time of receipt), so a
//! duplicate is recognisable — and mail systems that deduplicate by `Message-ID` drop it.
//!
//! **Failures** count as attempts: the next one is due after an exponential backoff
//! ([`backoff`]); after `--max-attempts` the message is set aside as `dead`, listed for admins
//! (`GET /api/v1/admin/messages?status=dead`), who can send it on its way again. A message that
//! cannot even be built (an invalid recipient address) is dead at once: retrying cannot help.
//! A reply address that cannot be used never stops a delivery: the mail goes out without
//! `Reply-To`, and its text tells the office so.
//!
//! **Logs and stored errors** name SMTP status codes and failure categories only
//! ([`SendFailure`]), never the server's reply text: servers quote the refused address in it,
//! and for a confirmation that is the citizen's.
//!
//! **Confirmations** to the citizen go out once, after delivery, and are not retried: they are a
//! courtesy, and a second attempt after a crash could only duplicate one. They contain no text
//! the sender chose (no name, no copy of the message, no context), so the form cannot be used
//! to send content to someone else's address, and the message text is kept off further
//! systems. One address gets at most `messages::CONFIRMATIONS_PER_DAY` of them per 24 hours
//! (decided when the message is stored).
//!
//! **Retention.** [`purge`] deletes text, reply address and name `--retention-days` after
//! delivery, after a message was given up (dead), or after receipt for a message still
//! queued (e.g. while no SMTP server is configured); the last two become `expired` and are
//! never delivered.

use crate::cli::MessageArgs;
use crate::db::{Db, DbError};
use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::PoolConfig;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport as _, Tokio1Executor};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;

/// Due messages claimed from the database at once.
const BATCH: u32 = 32;
/// Messages in flight at the same time (and SMTP connections kept open). After a crash, at
/// most this many can go out twice.
pub const CONCURRENCY: usize = 8;
/// The longest the worker sleeps without looking at the database (a message committed by
/// another process, or a clock jump, is picked up at the latest then).
const MAX_IDLE: Duration = Duration::from_secs(30);
/// First retry delay; it doubles with every failed attempt.
const BACKOFF_BASE: SignedDuration = SignedDuration::from_secs(30);
/// The longest retry delay.
const BACKOFF_CAP: SignedDuration = SignedDuration::from_secs(3600);
/// An SMTP conversation that takes longer fails (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// `last_error` is for a person glancing at a list.
const MAX_ERROR_CHARS: usize = 200;
/// Message-ID domain when `--smtp-from` has none we can use.
const FALLBACK_DOMAIN: &str = "anlaufstelle";

/// Where a message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Waiting for (another) delivery attempt.
    Queued,
    /// Accepted by the SMTP server.
    Delivered,
    /// Given up after `--max-attempts`; an admin can retry it.
    Dead,
    /// Never delivered, and its content was deleted after the retention period; it cannot be
    /// delivered any more.
    Expired,
}

impl MessageStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Delivered => "delivered",
            Self::Dead => "dead",
            Self::Expired => "expired",
        }
    }

    /// Reads a stored or requested name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "queued" => Some(Self::Queued),
            "delivered" => Some(Self::Delivered),
            "dead" => Some(Self::Dead),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }
}

/// What became of the confirmation mail to the citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationStatus {
    /// Accepted by the SMTP server.
    Sent,
    /// Could not be built or sent; not retried.
    Failed,
    /// Not asked for, or no reply address given.
    NotWanted,
    /// Asked for, but the address had its confirmations for the day already.
    SkippedRateLimited,
}

impl ConfirmationStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::NotWanted => "not_wanted",
            Self::SkippedRateLimited => "skipped_rate_limited",
        }
    }
}

/// A queued message as the worker reads it: everything the two mails need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Row id.
    pub id: i64,
    /// `AS-<year>-<6 digits>`.
    pub reference: String,
    /// When the intake committed it.
    pub received_at: Timestamp,
    /// `question`, `technical` or `accessibility`.
    pub category: String,
    /// LeiKa key of the service, if the form knew it.
    pub leika: Option<String>,
    /// The citizen's region.
    pub ars: Option<String>,
    /// Where in the online service the citizen was.
    pub form_step: Option<String>,
    /// Error code the online service showed.
    pub error_code: Option<String>,
    /// Path of the page the form was on.
    pub page_path: Option<String>,
    /// Language of the form.
    pub lang: String,
    /// The message text.
    pub body: String,
    /// Where an answer can go, if given.
    pub reply_email: Option<String>,
    /// The sender's name, if given.
    pub sender_name: Option<String>,
    /// Whether the citizen asked for a confirmation.
    pub wants_confirmation: bool,
    /// The Funktionspostfach.
    pub recipient_email: String,
    /// Name of the receiving contact.
    pub recipient_name: String,
    /// Why this recipient, for people.
    pub routing_reason: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// The confirmation was skipped when the message was stored (daily limit per address).
    pub confirmation_skipped: bool,
}

/// One message as admins see it: no text, no sender data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageSummary {
    /// `AS-<year>-<6 digits>`.
    pub reference: String,
    /// RFC 3339.
    pub received_at: String,
    /// Where it is.
    pub status: MessageStatus,
    /// Failed attempts.
    pub attempts: u32,
    /// When the next attempt is due (queued messages).
    pub next_attempt_at: String,
    /// The last failure, short.
    pub last_error: Option<String>,
    /// When the SMTP server accepted it.
    pub delivered_at: Option<String>,
    /// `question`, `technical` or `accessibility`.
    pub category: String,
    /// LeiKa key, if known.
    pub leika: Option<String>,
    /// Region, if known.
    pub ars: Option<String>,
    /// The Funktionspostfach.
    pub recipient_email: String,
    /// Name of the receiving contact.
    pub recipient_name: String,
    /// Why this recipient.
    pub routing_reason: String,
    /// `sent`, `failed`, `not_wanted`, `skipped_rate_limited`, or absent before delivery.
    pub confirmation_status: Option<String>,
    /// When personal data was deleted.
    pub purged_at: Option<String>,
}

/// What an admin's retry found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requeue {
    /// Queued again, due now, attempts reset.
    Queued,
    /// Delivered already; nothing changed.
    AlreadyDelivered,
    /// Its content was deleted after the retention period; it cannot be delivered.
    Expired,
    /// No message has this reference.
    NotFound,
}

/// The delivery configuration is unusable; the server does not start with it.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// `--smtp-url` is not an SMTP URL lettre understands.
    #[error(
        "--smtp-url is not usable ({0}); expected smtp://host:25, smtp://host:587?tls=required or smtps://user:password@host:465"
    )]
    SmtpUrl(String),
    /// `--smtp-from` is not a mailbox.
    #[error(
        "--smtp-from `{0}` is not an e-mail address (e.g. `Anlaufstelle <noreply@example.de>`)"
    )]
    From(String),
    /// `--smtp-password-file` cannot be read or is empty.
    #[error("--smtp-password-file {path}: {reason}")]
    PasswordFile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A password file needs a user name in the URL.
    #[error("--smtp-password-file needs the user name in --smtp-url, e.g. smtps://user@host:465")]
    PasswordWithoutUser,
}

/// Why the SMTP server did not take a mail, without its reply text (which may quote an
/// address): the status code and category, or the kind of connection failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    /// The SMTP reply code (`550`), if the server answered with one.
    pub code: Option<String>,
    /// What kind of failure, in a few words.
    pub category: String,
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.code {
            Some(code) => write!(f, "SMTP {code} ({})", self.category),
            None => f.write_str(&self.category),
        }
    }
}

impl SendFailure {
    fn from_smtp(e: &lettre::transport::smtp::Error) -> Self {
        let code = e.status().map(|c| c.to_string());
        let category = if e.is_permanent() {
            "permanent rejection".to_string()
        } else if e.is_transient() {
            "temporary failure".to_string()
        } else if e.is_timeout() {
            "timeout".to_string()
        } else if e.is_tls() {
            "TLS failure".to_string()
        } else if e.is_response() {
            "unreadable answer from the SMTP server".to_string()
        } else if e.is_client() {
            "SMTP client error".to_string()
        } else if e.is_transport_shutdown() {
            "SMTP transport shut down".to_string()
        } else {
            // Connection and network errors: the operating system's error kind ("connection
            // refused") says what happened and holds no address.
            let mut source = std::error::Error::source(e);
            let mut kind = None;
            while let Some(err) = source {
                if let Some(io) = err.downcast_ref::<std::io::Error>() {
                    kind = Some(io.kind());
                    break;
                }
                source = err.source();
            }
            match kind {
                Some(kind) => format!("connection failed: {kind}"),
                None => "connection failed".to_string(),
            }
        };
        Self { code, category }
    }
}

/// A mail that cannot be built; retrying would not help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// An address does not parse as one mailbox (this is what stops header injection).
    #[error("invalid {field} address: {reason}")]
    Address {
        /// Which address.
        field: &'static str,
        /// lettre's reason.
        reason: String,
    },
    /// lettre refused to assemble the message.
    #[error("cannot build the mail: {0}")]
    Build(String),
}

/// Sends mail through the configured SMTP server; cheap to clone (the connection pool is
/// shared).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the SMTP credentials; they stay out of logs.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer for `config`, or `None` when no SMTP server is configured.
    pub fn from_config(config: &MessageArgs) -> Result<Option<Self>, OutboxError> {
        match smtp_url(config)? {
            Some(url) => Self::new(&url, &config.smtp_from).map(Some),
            None => Ok(None),
        }
    }

    /// A mailer for `smtp_url` (`smtp://`, `smtp://…?tls=required`, `smtps://`) sending as
    /// `smtp_from`. Call it inside the Tokio runtime: the connection pool lives there.
    pub fn new(smtp_url: &str, smtp_from: &str) -> Result<Self, OutboxError> {
        crate::monitor::install_crypto_provider();
        let from: Mailbox = smtp_from
            .parse()
            .map_err(|_| OutboxError::From(smtp_from.to_string()))?;
        let domain = match from.email.domain() {
            d if is_message_id_domain(d) => d.to_string(),
            _ => FALLBACK_DOMAIN.to_string(),
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            // lettre's message may quote the URL, password included: never show it.
            .map_err(|e| OutboxError::SmtpUrl(redact(&e.to_string(), smtp_url)))?
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(PoolConfig::new().max_size(CONCURRENCY as u32))
            .build();
        Ok(Self {
            transport,
            from,
            domain,
        })
    }

    /// The `Message-ID` of the mail for `reference`: the same for every attempt.
    pub fn message_id(&self, reference: &str) -> String {
        format!("<{reference}@{}>", self.domain)
    }

    /// The mail to the Funktionspostfach. `service_name` is the service's display name, if the
    /// message names a known service. A reply address that does not parse as one mailbox is
    /// left out of the headers (the text says so); only an unusable recipient fails.
    pub fn delivery(
        &self,
        message: &OutgoingMessage,
        service_name: Option<&str>,
    ) -> Result<Message, MailError> {
        let to = mailbox("recipient", None, &message.recipient_email)?;
        let reply_to = message
            .reply_email
            .as_deref()
            .map(|reply| mailbox("reply", message.sender_name.as_deref(), reply));
        let reply_unusable = matches!(reply_to, Some(Err(_)));
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject(message, service_name))
            .message_id(Some(self.message_id(&message.reference)))
            // The time of receipt, not of this attempt: every copy is identical.
            .date(message.received_at.into())
            .header(ContentType::TEXT_PLAIN)
            .header(AutoSubmitted)
            .header(ReferenceHeader(message.reference.clone()));
        if let Some(Ok(reply_to)) = reply_to {
            builder = builder.reply_to(reply_to);
        }
        builder
            .body(delivery_text(message, service_name, reply_unusable))
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// The confirmation to the citizen, or `None` if none is wanted (or there is no address).
    pub fn confirmation(&self, message: &OutgoingMessage) -> Result<Option<Message>, MailError> {
        let Some(reply) = message.reply_email.as_deref() else {
            return Ok(None);
        };
        if !message.wants_confirmation {
            return Ok(None);
        }
        // No name: nothing the sender typed goes into this mail.
        let to = mailbox("reply", None, reply)?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(confirmation_subject(message))
            .message_id(Some(format!(
                "<{}.confirmation@{}>",
                message.reference, self.domain
            )))
            .date(message.received_at.into())
            .header(ContentType::TEXT_PLAIN)
            .header(AutoSubmitted)
            .header(ReferenceHeader(message.reference.clone()))
            .body(confirmation_text(message))
            .map(Some)
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// Hands `mail` to the SMTP server; `Ok` means it answered `250` to the data.
    pub async fn send(&self, mail: Message) -> Result<(), SendFailure> {
        self.transport
            .send(mail)
            .await
            .map(drop)
            .map_err(|e| SendFailure::from_smtp(&e))
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office replies are not sent back.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// `X-Anlaufstelle-Reference: AS-…`, for filters and tickets in the receiving office.
#[derive(Debug, Clone)]
struct ReferenceHeader(String);

impl Header for ReferenceHeader {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Anlaufstelle-Reference")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        // Encoded like every other header value: nothing in it can start a new header.
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// One mailbox from a stored address, through lettre's address parser: an address with CR,
/// LF or anything else that is not a single mailbox is refused, so it can never add a header.
fn mailbox(field: &'static str, name: Option<&str>, address: &str) -> Result<Mailbox, MailError> {
    let email: Address = address.parse().map_err(|e| MailError::Address {
        field,
        reason: format!("{e}"),
    })?;
    let name = name.map(one_line).filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, email))
}

/// A display string on one line: control characters (CR, LF, tab, …) become spaces. lettre
/// encodes them anyway; this keeps names and subjects readable.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The message text as inert plain text: line breaks normalised, other control characters
/// (escape sequences, NUL, a lone CR) removed. Markup stays what it is — text.
fn plain(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect()
}

fn is_message_id_domain(domain: &str) -> bool {
    !domain.is_empty()
        && !domain.starts_with('[')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// German label of a category.
pub fn category_label(category: &str) -> &str {
    match category {
        "question" => "Frage zum Antrag",
        "technical" => "Technisches Problem",
        "accessibility" => "Barriere melden",
        other => other,
    }
}

/// `[AS-2026-000123] Anfrage zu Elterngeld – Frage zum Antrag`.
fn subject(message: &OutgoingMessage, service_name: Option<&str>) -> String {
    let about = match (service_name, message.leika.as_deref()) {
        (Some(name), _) => one_line(name),
        (None, Some(leika)) => format!("LeiKa {}", one_line(leika)),
        (None, None) => "einer Verwaltungsleistung".to_string(),
    };
    format!(
        "[{}] Anfrage zu {about} – {}",
        message.reference,
        one_line(category_label(&message.category))
    )
}

/// `23.11.2026, 10:15 Uhr` in Europe/Berlin.
fn local_time(at: Timestamp) -> String {
    at.to_zoned(crate::hours::berlin())
        .strftime("%d.%m.%Y, %H:%M Uhr")
        .to_string()
}

fn delivery_text(
    message: &OutgoingMessage,
    service_name: Option<&str>,
    reply_unusable: bool,
) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(t, "{label:<17}{}", one_line(value));
    };
    line("Referenz:", &message.reference);
    line("Eingegangen:", &local_time(message.received_at));
    line("Anliegen:", category_label(&message.category));
    line(
        "Zugestellt an:",
        &format!("{} <{}>", message.recipient_name, message.recipient_email),
    );
    line("Grund:", &message.routing_reason);

    t.push_str("\nKontext\n");
    let mut context = Vec::new();
    match (service_name, message.leika.as_deref()) {
        (Some(name), Some(leika)) => context.push(("Leistung:", format!("{name} (LeiKa {leika})"))),
        (None, Some(leika)) => context.push(("Leistung:", format!("LeiKa {leika}"))),
        _ => {}
    }
    for (label, value) in [
        ("Region (ARS):", &message.ars),
        ("Formularschritt:", &message.form_step),
        ("Fehlercode:", &message.error_code),
        ("Seite:", &message.page_path),
    ] {
        if let Some(value) = value {
            context.push((label, value.clone()));
        }
    }
    if context.is_empty() {
        t.push_str("  Kein Kontext übermittelt.\n");
    }
    for (label, value) in context {
        let _ = writeln!(t, "  {label:<17}{}", one_line(&value));
    }

    t.push_str("\nAbsender\n");
    if let Some(name) = message.sender_name.as_deref().map(one_line) {
        let _ = writeln!(t, "  {:<17}{name}", "Name:");
    }
    match &message.reply_email {
        Some(email) if reply_unusable => {
            let _ = writeln!(t, "  {:<17}{}", "E-Mail:", one_line(email));
            t.push_str(
                "  Diese Antwortadresse ist keine gültige E-Mail-Adresse und konnte nicht als \
                 Antwortadresse verwendet werden – eine Antwort auf diese E-Mail erreicht den \
                 Absender nicht.\n",
            );
        }
        Some(email) => {
            let _ = writeln!(t, "  {:<17}{}", "E-Mail:", one_line(email));
            t.push_str("  Eine Antwort auf diese E-Mail geht an diese Adresse.\n");
        }
        None => t.push_str("  Keine Antwortadresse angegeben – eine Antwort ist nicht möglich.\n"),
    }

    t.push_str("\nNachricht\n---------\n");
    t.push_str(plain(&message.body).trim_end());
    t.push_str("\n---------\n\n");
    let _ = writeln!(
        t,
        "Diese E-Mail wurde von der Anlaufstelle automatisch zugestellt. Bitte nennen Sie bei \
         Rückfragen die Referenz {}.",
        message.reference
    );
    t
}

/// The confirmation's subject, in the language the citizen wrote in.
fn confirmation_subject(message: &OutgoingMessage) -> String {
    let reference = &message.reference;
    match texts::Lang::from_tag(&message.lang) {
        texts::Lang::De => format!("Ihre Nachricht ist eingegangen – Referenz {reference}"),
        texts::Lang::En => format!("Your message has been received – reference {reference}"),
        texts::Lang::Easy => format!("Ihre Nachricht ist angekommen. Referenz: {reference}"),
    }
}

/// The confirmation, in the language the citizen wrote in (the widget's language: German,
/// English or Leichte Sprache). The topic is named in the words the form showed. Nothing the
/// citizen typed goes into it.
fn confirmation_text(message: &OutgoingMessage) -> String {
    let lang = texts::Lang::from_tag(&message.lang);
    let t = lang.texts();
    let recipient = one_line(&message.recipient_name);
    let reference = &message.reference;
    let category = t
        .categories()
        .into_iter()
        .find(|(code, _)| *code == message.category)
        .map_or(message.category.as_str(), |(_, name)| name);
    let received = received_phrase(lang, t, message.received_at);
    match lang {
        texts::Lang::De => format!(
            "Guten Tag,\n\n\
             Ihre Nachricht ist eingegangen und wurde an die zuständige Stelle weitergeleitet:\n\
             {recipient}.\n\n\
             Referenz:     {reference}\n\
             Eingegangen:  {received}\n\
             Anliegen:     {category}\n\n\
             Bitte nennen Sie diese Referenz, wenn Sie sich zu Ihrer Nachricht melden. Die \
             zuständige Stelle antwortet Ihnen an diese E-Mail-Adresse.\n\n\
             Zum Schutz Ihrer Daten enthält diese Bestätigung keine Kopie Ihrer Nachricht.\n\n\
             Diese E-Mail wurde automatisch versandt. Antworten auf diese E-Mail werden nicht \
             gelesen.\n",
        ),
        texts::Lang::En => format!(
            "Hello,\n\n\
             Your message has been received and passed on to the office responsible:\n\
             {recipient}.\n\n\
             Reference:  {reference}\n\
             Received:   {received}\n\
             Topic:      {category}\n\n\
             Please quote this reference if you contact us about your message. The office \
             responsible will reply to this email address.\n\n\
             To protect your data, this confirmation contains no copy of your message.\n\n\
             This email was sent automatically. Replies to it are not read.\n",
        ),
        texts::Lang::Easy => format!(
            "Guten Tag,\n\n\
             Ihre Nachricht ist bei uns angekommen.\n\
             Wir haben Ihre Nachricht weiter·geschickt.\n\
             Ihre Nachricht geht an:\n\
             {recipient}.\n\n\
             Ihre Referenz ist: {reference}\n\
             Die Referenz ist eine Nummer für Ihre Nachricht.\n\
             Bitte schreiben Sie die Referenz auf.\n\
             Sie brauchen die Referenz, wenn Sie zu Ihrer Nachricht etwas fragen.\n\n\
             Ihre Nachricht ist angekommen am: {received}\n\
             Ihr Thema: {category}\n\n\
             Die zuständige Stelle antwortet Ihnen.\n\
             Die Antwort kommt an diese E-Mail-Adresse.\n\n\
             Ihre Nachricht steht nicht in dieser E-Mail.\n\
             So schützen wir Ihre Daten.\n\n\
             Diese E-Mail hat ein Computer geschickt.\n\
             Bitte antworten Sie nicht auf diese E-Mail.\n\
             Niemand liest die Antworten.\n",
        ),
    }
}

/// When the message was received, Berlin time, as the confirmation in `lang` says it.
fn received_phrase(lang: texts::Lang, t: &texts::Texts, at: Timestamp) -> String {
    // Day, month name, year, time of day.
    let parts = || {
        let at = at.to_zoned(crate::hours::berlin());
        let month = usize::from(at.month().unsigned_abs()).saturating_sub(1);
        let month = t.months_in_date.get(month).copied().unwrap_or_default();
        (at.day(), month, at.year(), at.strftime("%H:%M").to_string())
    };
    match lang {
        texts::Lang::De => local_time(at),
        texts::Lang::En => {
            let (day, month, year, time) = parts();
            format!("{day} {month} {year}, {time} (German time)")
        }
        texts::Lang::Easy => {
            let (day, month, year, time) = parts();
            format!("{day}. {month} {year} um {time} Uhr")
        }
    }
}

/// The delay before the next attempt after `attempts` failed ones: 30 s · 2^(attempts − 1),
/// at most one hour, shortened by up to a fifth by `jitter` (0.0–1.0) so that messages that
/// failed together do not all come back at the same instant.
pub fn backoff(attempts: u32, jitter: f64) -> SignedDuration {
    let exponent = attempts.saturating_sub(1).min(16);
    let base = BACKOFF_BASE
        .checked_mul(1 << exponent)
        .unwrap_or(BACKOFF_CAP)
        .min(BACKOFF_CAP);
    base.mul_f64(1.0 - 0.2 * jitter.clamp(0.0, 1.0))
}

/// A uniform random number in [0, 1).
fn jitter() -> f64 {
    // Without randomness we still retry, just in step.
    getrandom::u64().map_or(0.0, |r| (r >> 11) as f64 / (1u64 << 53) as f64)
}

/// What one pass over the due messages did (references).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    /// Accepted by the SMTP server.
    pub delivered: Vec<String>,
    /// Failed; queued again for later.
    pub retrying: Vec<String>,
    /// Failed for the last time, or could not be built.
    pub dead: Vec<String>,
    /// Confirmations accepted by the SMTP server.
    pub confirmed: Vec<String>,
}

impl Pass {
    fn is_empty(&self) -> bool {
        self.delivered.is_empty() && self.retrying.is_empty() && self.dead.is_empty()
    }
}

/// What happened to one message.
enum Outcome {
    Delivered { confirmed: bool },
    Retrying,
    Dead,
}

/// Delivers every message due at `now`, oldest first, a few at a time. A failure is recorded on
/// its message (attempts, backoff, error); only a database failure ends the pass early.
pub async fn deliver_due(
    state: &AppState,
    mailer: &Mailer,
    now: Timestamp,
) -> Result<Pass, DbError> {
    let max_attempts = state.messages.config.max_attempts.max(1);
    let services: HashMap<String, String> = state.index().service_names().into_iter().collect();
    let mut pass = Pass::default();
    loop {
        // The worker is the only sender of its process and takes the next batch only after
        // the last one is settled, so a message is never in flight twice.
        let due = state.db.due_messages(now, BATCH).await?;
        let complete = due.len() < BATCH as usize;
        let mut tasks = tokio::task::JoinSet::new();
        for message in due {
            let service = message
                .leika
                .as_ref()
                .and_then(|k| services.get(k))
                .cloned();
            let (db, mailer) = (state.db.clone(), mailer.clone());
            if tasks.len() >= CONCURRENCY {
                collect(&mut pass, tasks.join_next().await)?;
            }
            tasks.spawn(async move {
                let reference = message.reference.clone();
                let outcome = deliver_one(&db, &mailer, message, service, now, max_attempts).await;
                outcome.map(|o| (reference, o))
            });
        }
        while let Some(done) = tasks.join_next().await {
            collect(&mut pass, Some(done))?;
        }
        if complete {
            return Ok(pass);
        }
    }
}

/// A finished delivery task: the reference and what became of it.
type Finished = Result<Result<(String, Outcome), DbError>, tokio::task::JoinError>;

fn collect(pass: &mut Pass, done: Option<Finished>) -> Result<(), DbError> {
    let Some(done) = done else { return Ok(()) };
    let (reference, outcome) = match done {
        Ok(result) => result?,
        Err(e) => {
            // A panic in one delivery must not stop the others; the message stays queued.
            tracing::error!(error = %e, "a delivery task failed");
            return Ok(());
        }
    };
    match outcome {
        Outcome::Delivered { confirmed } => {
            if confirmed {
                pass.confirmed.push(reference.clone());
            }
            pass.delivered.push(reference);
        }
        Outcome::Retrying => pass.retrying.push(reference),
        Outcome::Dead => pass.dead.push(reference),
    }
    Ok(())
}

async fn deliver_one(
    db: &Db,
    mailer: &Mailer,
    message: OutgoingMessage,
    service_name: Option<String>,
    now: Timestamp,
    max_attempts: u32,
) -> Result<Outcome, DbError> {
    let reference = &message.reference;
    let mail = match mailer.delivery(&message, service_name.as_deref()) {
        Ok(mail) => mail,
        Err(e) => {
            // Only the recipient (a Funktionspostfach from the contact data) can fail here; the
            // error names the field and lettre's reason, not the address.
            tracing::error!(%reference, error = %e, "message cannot be built; set aside as dead");
            db.mark_dead(message.id, &short(&e.to_string()), now)
                .await?;
            return Ok(Outcome::Dead);
        }
    };
    if let Err(failure) = mailer.send(mail).await {
        let attempts = message.attempts + 1;
        let next = now.checked_add(backoff(attempts, jitter())).unwrap_or(now);
        let error = short(&failure.to_string());
        let status = db
            .mark_failed(message.id, &error, now, next, max_attempts)
            .await?;
        return Ok(if status == MessageStatus::Dead {
            tracing::error!(%reference, attempts, %error, "delivery failed for the last time; message is dead");
            Outcome::Dead
        } else {
            tracing::warn!(%reference, attempts, %error, next_attempt_at = %next, "delivery failed; will retry");
            Outcome::Retrying
        });
    }
    // The crash window of at-least-once delivery: the server has the message, the database
    // does not know yet. Nothing else happens in between.
    if message.confirmation_skipped {
        db.mark_delivered(
            message.id,
            now,
            Some(ConfirmationStatus::SkippedRateLimited),
        )
        .await?;
        tracing::info!(%reference, "message delivered; confirmation skipped (daily limit)");
        return Ok(Outcome::Delivered { confirmed: false });
    }
    let confirmation = match mailer.confirmation(&message) {
        Ok(Some(mail)) => Some(mail),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(%reference, error = %e, "confirmation cannot be built");
            db.mark_delivered(message.id, now, Some(ConfirmationStatus::Failed))
                .await?;
            return Ok(Outcome::Delivered { confirmed: false });
        }
    };
    let Some(confirmation) = confirmation else {
        db.mark_delivered(message.id, now, Some(ConfirmationStatus::NotWanted))
            .await?;
        tracing::info!(%reference, "message delivered");
        return Ok(Outcome::Delivered { confirmed: false });
    };
    db.mark_delivered(message.id, now, None).await?;
    tracing::info!(%reference, "message delivered");
    let status = match mailer.send(confirmation).await {
        Ok(()) => ConfirmationStatus::Sent,
        Err(failure) => {
            // The failure's code and category only: a server's reply text quotes the address.
            tracing::warn!(%reference, error = %failure, "confirmation to the citizen failed (not retried)");
            ConfirmationStatus::Failed
        }
    };
    db.set_confirmation_status(message.id, status).await?;
    Ok(Outcome::Delivered {
        confirmed: status == ConfirmationStatus::Sent,
    })
}

/// The worker: delivers whatever is due, then sleeps until a message is committed
/// (`AppState::outbox`), the next retry is due, or `MAX_IDLE` (30 s) has passed. Without
/// `--smtp-url` it logs that once and does nothing: messages stay queued.
pub async fn run(state: AppState) {
    let mailer = match Mailer::from_config(&state.messages.config) {
        Ok(Some(mailer)) => mailer,
        Ok(None) => {
            tracing::warn!(
                "no SMTP server configured (--smtp-url): contact-form messages are accepted and stay queued"
            );
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "message delivery is off");
            return;
        }
    };
    tracing::info!("outbox worker started");
    loop {
        let now = state.clock.now();
        let wait = match deliver_due(&state, &mailer, now).await {
            Ok(pass) => {
                if !pass.is_empty() {
                    tracing::debug!(
                        delivered = pass.delivered.len(),
                        retrying = pass.retrying.len(),
                        dead = pass.dead.len(),
                        "outbox pass"
                    );
                }
                match state.db.next_due_at().await {
                    Ok(Some(due)) => Duration::try_from(due.duration_since(state.clock.now()))
                        .unwrap_or(Duration::ZERO)
                        .min(MAX_IDLE),
                    Ok(None) => MAX_IDLE,
                    Err(e) => {
                        tracing::error!(error = %e, "outbox cannot read the queue");
                        MAX_IDLE
                    }
                }
            }
            Err(e) => {
                // The database is unavailable; try again later rather than spin.
                tracing::error!(error = %e, "outbox pass failed");
                MAX_IDLE
            }
        };
        if wait.is_zero() {
            continue;
        }
        tokio::select! {
            () = state.outbox.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Deletes the text, reply address and name of messages delivered more than `retention_days`
/// before `now`, of dead messages given up that long ago, and of messages still queued that
/// long after receipt (these two become `expired`: never delivered, never delivered empty);
/// and records when. What remains — reference, times, category, LeiKa key, region,
/// recipient, routing reason, status — is statistics without personal data. Returns how many
/// messages were purged.
pub async fn purge(db: &Db, now: Timestamp, retention_days: u32) -> Result<u64, DbError> {
    let cutoff = now
        .checked_sub(SignedDuration::from_hours(24 * i64::from(retention_days)))
        .unwrap_or(Timestamp::MIN);
    db.purge_messages(cutoff, now).await
}

/// Runs [`purge`] now and then every hour.
pub async fn purge_hourly(state: AppState) {
    let mut interval = tokio::time::interval(Duration::from_secs(3600));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let days = state.messages.config.retention_days;
    loop {
        interval.tick().await;
        let now = state.clock.now();
        match purge(&state.db, now, days).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, days, "personal data of old messages deleted"),
            Err(e) => tracing::error!(error = %e, "deleting old personal data failed"),
        }
        // Records of used form tokens are needed only while the token could still be sent.
        if let Err(e) = state.db.purge_token_nonces(now).await {
            tracing::error!(error = %e, "deleting expired form-token records failed");
        }
    }
}

/// The SMTP URL to use: `--smtp-url`, with the password from `--smtp-password-file` (trimmed)
/// put in when that is given. `None` without an SMTP URL.
pub fn smtp_url(config: &MessageArgs) -> Result<Option<String>, OutboxError> {
    let Some(url) = &config.smtp_url else {
        return Ok(None);
    };
    let Some(path) = &config.smtp_password_file else {
        return Ok(Some(url.clone()));
    };
    let file_error = |reason: String| OutboxError::PasswordFile {
        path: path.display().to_string(),
        reason,
    };
    let password = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
    let password = password.trim();
    if password.is_empty() {
        return Err(file_error("the file is empty".into()));
    }
    let mut parsed =
        url::Url::parse(url).map_err(|e| OutboxError::SmtpUrl(redact(&e.to_string(), url)))?;
    if parsed.username().is_empty() {
        return Err(OutboxError::PasswordWithoutUser);
    }
    // `set_password` percent-encodes; lettre decodes it again.
    parsed
        .set_password(Some(password))
        .map_err(|()| OutboxError::SmtpUrl("this URL cannot carry a password".into()))?;
    Ok(Some(parsed.to_string()))
}

/// The host an SMTP URL sends to in the clear, if it does: `smtp://` without
/// `tls=required` (plain, or STARTTLS only when offered) to a host that is not this machine.
/// Messages then cross the network readable; the server warns at start.
pub fn plaintext_remote_host(smtp_url: &str) -> Option<String> {
    let url = url::Url::parse(smtp_url).ok()?;
    if url.scheme() != "smtp" {
        return None;
    }
    let tls_required = url
        .query_pairs()
        .any(|(key, value)| key == "tls" && value == "required");
    if tls_required {
        return None;
    }
    let loopback = match url.host()? {
        // `smtp` is not a scheme the URL standard knows, so an IP address arrives as a name.
        url::Host::Domain(name) => {
            name.eq_ignore_ascii_case("localhost")
                || name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    (!loopback).then(|| url.host_str().unwrap_or_default().to_string())
}

/// An error text short enough for a list, on one line.
fn short(text: &str) -> String {
    let text = one_line(text);
    match text.char_indices().nth(MAX_ERROR_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// `text` with the password of `url` (if any) replaced.
fn redact(text: &str, url: &str) -> String {
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, password)| password)
        .filter(|p| !p.is_empty());
    match password {
        Some(p) => text.replace(p, "***"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> OutgoingMessage {
        OutgoingMessage {
            id: 1,
            reference: "AS-2026-000123".into(),
            received_at: "2026-11-23T09:15:00Z".parse().expect("timestamp"),
            category: "question".into(),
            leika: Some("99041006017000".into()),
            ars: Some("040110000000".into()),
            form_step: Some("Schritt 3: Einkommen".into()),
            error_code: None,
            page_path: Some("/elterngeld/antrag".into()),
            lang: "de".into(),
            body: "Hallo <b>Amt</b>\r\n<script>alert(1)</script>\r\n.\r\nEnde".into(),
            reply_email: Some("erika@example.org".into()),
            sender_name: Some("Erika Mustermann".into()),
            wants_confirmation: true,
            recipient_email: "elterngeld@example.bremen.de".into(),
            recipient_name: "Elterngeldstelle Bremen".into(),
            routing_reason: "Elterngeldstelle für Bremen".into(),
            attempts: 0,
            confirmation_skipped: false,
        }
    }

    fn mailer() -> Mailer {
        Mailer::new(
            "smtp://127.0.0.1:2525",
            "Anlaufstelle <noreply@anlaufstelle.example>",
        )
        .expect("valid configuration")
    }

    fn formatted(mail: &Message) -> String {
        String::from_utf8(mail.formatted()).expect("UTF-8 mail")
    }

    /// The header block, unfolded: one entry per header line.
    fn headers(mail: &Message) -> Vec<String> {
        let text = formatted(mail);
        let head = text.split("\r\n\r\n").next().expect("header block");
        let mut lines: Vec<String> = Vec::new();
        for line in head.split("\r\n") {
            match lines.last_mut() {
                Some(last) if line.starts_with([' ', '\t']) => last.push_str(line),
                _ => lines.push(line.to_string()),
            }
        }
        lines
    }

    #[tokio::test]
    async fn the_message_id_is_derived_from_the_reference_and_the_sender_domain() {
        let mailer = mailer();
        assert_eq!(
            mailer.message_id("AS-2026-000123"),
            "<AS-2026-000123@anlaufstelle.example>"
        );
        let first = formatted(&mailer.delivery(&message(), None).expect("builds"));
        let again = formatted(&mailer.delivery(&message(), None).expect("builds"));
        assert_eq!(first, again, "every attempt sends the same bytes");
        assert!(first.contains("Message-ID: <AS-2026-000123@anlaufstelle.example>\r\n"));
    }

    #[tokio::test]
    async fn the_delivery_mail_is_plain_utf8_text_with_subject_reply_to_and_context() {
        let mail = mailer()
            .delivery(&message(), Some("Elterngeld"))
            .expect("builds");
        let headers = headers(&mail);
        let has = |prefix: &str| headers.iter().any(|h| h.starts_with(prefix));
        assert!(has("To: elterngeld@example.bremen.de"), "{headers:?}");
        assert!(
            has("Reply-To: \"Erika Mustermann\" <erika@example.org>"),
            "{headers:?}"
        );
        assert!(
            has("Content-Type: text/plain; charset=utf-8"),
            "{headers:?}"
        );
        assert!(has("Auto-Submitted: auto-generated"), "{headers:?}");
        assert!(
            has("X-Anlaufstelle-Reference: AS-2026-000123"),
            "{headers:?}"
        );
        assert_eq!(
            subject(&message(), Some("Elterngeld")),
            "[AS-2026-000123] Anfrage zu Elterngeld – Frage zum Antrag"
        );
        let text = delivery_text(&message(), Some("Elterngeld"), false);
        assert!(
            text.contains("Eingegangen:     23.11.2026, 10:15 Uhr"),
            "{text}"
        );
        assert!(text.contains("Elterngeld (LeiKa 99041006017000)"), "{text}");
        assert!(
            text.contains("Formularschritt: Schritt 3: Einkommen"),
            "{text}"
        );
        assert!(
            text.contains("<script>alert(1)</script>\n.\nEnde"),
            "{text}"
        );
        assert!(!text.contains('\r'));
    }

    #[tokio::test]
    async fn without_a_reply_address_the_mail_says_no_answer_is_possible() {
        let mut anonymous = message();
        anonymous.reply_email = None;
        anonymous.sender_name = None;
        let mail = mailer().delivery(&anonymous, None).expect("builds");
        assert!(!headers(&mail).iter().any(|h| h.starts_with("Reply-To")));
        let text = delivery_text(&anonymous, None, false);
        assert!(text.contains("Keine Antwortadresse angegeben – eine Antwort ist nicht möglich."));
        assert_eq!(
            subject(&anonymous, None),
            "[AS-2026-000123] Anfrage zu LeiKa 99041006017000 – Frage zum Antrag"
        );
        assert!(matches!(mailer().confirmation(&anonymous), Ok(None)));
    }

    #[tokio::test]
    async fn an_unusable_reply_address_never_becomes_a_header_and_the_text_says_so() {
        for evil in [
            "erika@example.org\r\nBcc: victim@example.net",
            "erika@example.org\nBcc: victim@example.net",
            "erika@example.org, victim@example.net",
            "Erika <erika@example.org>",
            "max..muster@example.de",
        ] {
            let mut m = message();
            m.reply_email = Some(evil.into());
            let mail = mailer()
                .delivery(&m, None)
                .unwrap_or_else(|e| panic!("{evil:?}: the message is still delivered: {e}"));
            let headers = headers(&mail);
            assert!(
                !headers
                    .iter()
                    .any(|h| h.starts_with("Reply-To") || h.starts_with("Bcc")),
                "{evil:?}: {headers:?}"
            );
            // The body is quoted-printable: this line starts the note, unbroken.
            let text = formatted(&mail);
            assert!(
                text.contains("\r\n  Diese Antwortadresse ist keine g=C3=BCltige E-Mail-Adresse"),
                "{evil:?}: {text}"
            );
            let plain = delivery_text(&m, None, true);
            assert!(
                plain.contains("konnte nicht als Antwortadresse verwendet werden"),
                "{plain}"
            );
            assert!(!plain.contains("Eine Antwort auf diese E-Mail geht an diese Adresse"));
            assert!(matches!(
                mailer().confirmation(&m),
                Err(MailError::Address { .. })
            ));
        }
    }

    #[tokio::test]
    async fn the_confirmation_carries_nothing_a_sender_can_choose() {
        let marker = "SPAM-MARKER";
        let mut m = message();
        m.sender_name = Some(format!("{marker} name http://spam.example"));
        m.body = format!("{marker} body");
        m.form_step = Some(format!("{marker} step"));
        m.error_code = Some(format!("{marker} code"));
        m.page_path = Some(format!("/{marker}-path"));
        for lang in ["de", "en", "de-x-ls"] {
            m.lang = lang.into();
            let mail = mailer().confirmation(&m).expect("builds").expect("wanted");
            let text = formatted(&mail);
            assert!(!text.contains(marker), "{lang}: {text}");
            assert!(!text.contains("spam.example"), "{lang}: {text}");
            assert!(text.contains("AS-2026-000123"), "{lang}: {text}");
        }
    }

    #[test]
    fn a_password_file_replaces_the_password_in_the_smtp_url() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("password");
        std::fs::write(&file, "  geh eim/:@\n").expect("write");
        let config = |url: &str| MessageArgs {
            smtp_url: Some(url.into()),
            smtp_password_file: Some(file.clone()),
            ..MessageArgs::default()
        };
        let url = smtp_url(&config("smtps://anlauf@mail.example:465"))
            .expect("usable")
            .expect("configured");
        let parsed = url::Url::parse(&url).expect("URL");
        assert_eq!(parsed.username(), "anlauf");
        assert_eq!(parsed.password(), Some("geh%20eim%2F%3A%40"));
        let url = smtp_url(&config("smtps://anlauf:old@mail.example:465"))
            .expect("usable")
            .expect("configured");
        assert!(!url.contains("old"), "{url}");
        assert!(matches!(
            smtp_url(&config("smtps://mail.example:465")),
            Err(OutboxError::PasswordWithoutUser)
        ));
        let missing = MessageArgs {
            smtp_url: Some("smtps://u@h:465".into()),
            smtp_password_file: Some(dir.path().join("missing")),
            ..MessageArgs::default()
        };
        assert!(matches!(
            smtp_url(&missing),
            Err(OutboxError::PasswordFile { .. })
        ));
        std::fs::write(&file, " \n").expect("write");
        assert!(matches!(
            smtp_url(&config("smtps://u@h:465")),
            Err(OutboxError::PasswordFile { .. })
        ));
        let plain = MessageArgs {
            smtp_url: Some("smtp://h:25".into()),
            ..MessageArgs::default()
        };
        assert_eq!(
            smtp_url(&plain).expect("usable").as_deref(),
            Some("smtp://h:25")
        );
    }

    #[test]
    fn the_settings_debug_output_hides_the_smtp_password_and_the_secret() {
        let config = MessageArgs {
            smtp_url: Some("smtps://anlauf:geheim-4711@mail.example:465".into()),
            message_secret: Some("token-secret-0815".into()),
            ..MessageArgs::default()
        };
        let shown = format!(
            "{config:?} {:?}",
            crate::messages::Intake::new(config.clone())
        );
        assert!(!shown.contains("geheim-4711"), "{shown}");
        assert!(!shown.contains("token-secret-0815"), "{shown}");
        assert!(shown.contains("retention_days: 30"), "{shown}");
    }

    #[test]
    fn mail_in_the_clear_to_another_host_is_recognised() {
        for (url, host) in [
            ("smtp://mail.example:25", Some("mail.example")),
            (
                "smtp://mail.example:587?tls=opportunistic",
                Some("mail.example"),
            ),
            ("smtp://user:pw@192.0.2.4:25", Some("192.0.2.4")),
            ("smtp://mail.example:587?tls=required", None),
            ("smtps://mail.example:465", None),
            ("smtp://127.0.0.1:25", None),
            ("smtp://localhost:25", None),
            ("smtp://[::1]:25", None),
        ] {
            assert_eq!(plaintext_remote_host(url).as_deref(), host, "{url}");
        }
    }

    #[tokio::test]
    async fn line_breaks_in_names_and_context_cannot_add_headers() {
        let mut m = message();
        m.sender_name = Some("Erika\r\nBcc: victim@example.net".into());
        m.recipient_name = "Stelle\r\nX-Evil: 1".into();
        let mail = mailer()
            .delivery(&m, Some("Elterngeld\r\nBcc: victim@example.net"))
            .expect("builds");
        let headers = headers(&mail);
        assert!(
            !headers
                .iter()
                .any(|h| h.starts_with("Bcc") || h.starts_with("X-Evil")),
            "{headers:?}"
        );
        let reply_to = headers
            .iter()
            .find(|h| h.starts_with("Reply-To:"))
            .expect("Reply-To header");
        assert!(reply_to.ends_with("<erika@example.org>"), "{reply_to}");
    }

    #[tokio::test]
    async fn the_confirmation_names_the_reference_and_carries_no_text_from_the_sender() {
        let mut m = message();
        m.sender_name = Some("Klick hier: http://spam.example".into());
        let mail = mailer().confirmation(&m).expect("builds").expect("wanted");
        let text = formatted(&mail);
        assert!(text.contains("Message-ID: <AS-2026-000123.confirmation@anlaufstelle.example>"));
        assert!(text.contains("To: erika@example.org\r\n"), "{text}");
        let body = confirmation_text(&m);
        assert!(body.contains("Referenz:     AS-2026-000123"));
        assert!(body.contains("keine Kopie Ihrer Nachricht"));
        assert!(!body.contains("spam.example") && !body.contains("alert"));
        m.wants_confirmation = false;
        assert!(matches!(mailer().confirmation(&m), Ok(None)));
    }

    #[test]
    fn backoff_doubles_from_30_seconds_and_stops_at_an_hour_with_jitter_below() {
        assert_eq!(backoff(1, 0.0), SignedDuration::from_secs(30));
        assert_eq!(backoff(2, 0.0), SignedDuration::from_secs(60));
        assert_eq!(backoff(5, 0.0), SignedDuration::from_secs(480));
        assert_eq!(backoff(8, 0.0), SignedDuration::from_secs(3600));
        assert_eq!(backoff(40, 0.0), SignedDuration::from_secs(3600));
        assert_eq!(backoff(1, 1.0), SignedDuration::from_secs(24));
        assert_eq!(backoff(40, 1.0), SignedDuration::from_secs(2880));
        for _ in 0..100 {
            let d = backoff(3, jitter());
            assert!(
                d > SignedDuration::from_secs(95) && d <= SignedDuration::from_secs(120),
                "{d:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_bad_smtp_url_or_sender_stops_the_start_and_hides_the_password() {
        let err = Mailer::new("http://user:geheim@host", "a@b.de").expect_err("not SMTP");
        assert!(matches!(err, OutboxError::SmtpUrl(_)), "{err}");
        assert!(!err.to_string().contains("geheim"), "{err}");
        let err = Mailer::new("smtp://host", "kein Absender").expect_err("not a mailbox");
        assert!(matches!(err, OutboxError::From(_)), "{err}");
        for url in [
            "smtp://h:25",
            "smtp://h:587?tls=required",
            "smtps://u:p@h:465",
        ] {
            assert!(Mailer::new(url, "a@b.de").is_ok(), "{url}");
        }
        let config = MessageArgs::default();
        assert!(Mailer::from_config(&config).expect("valid").is_none());
    }

    #[test]
    fn error_texts_are_one_short_line() {
        let long = "x".repeat(500);
        assert_eq!(short(&long).chars().count(), MAX_ERROR_CHARS + 1);
        assert_eq!(short("a\r\nb"), "a b");
    }
}
