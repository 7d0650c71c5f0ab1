//! Wire types: the JSON shapes that travel between the server and the widget.
//!
//! Both sides depend on this crate, so a field renamed here is renamed everywhere at once.
//! The crate holds plain data only — no validation, no I/O — because it is compiled into the
//! size-sensitive wasm widget as well as the server. Keys such as the ARS travel as strings;
//! the server parses them into its own newtypes at the edge.

use serde::{Deserialize, Serialize};

/// Answer of `GET /api/v1/help`: who helps a citizen of one region with one service, per
/// support level, and how each contact was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpResponse {
    /// The region the citizen asked about (12-digit ARS), as requested.
    pub ars: String,
    /// The most specific known region on the requested ARS's path (the region itself when it
    /// is in the data, else its nearest known ancestor).
    pub region: RegionRef,
    /// The service (14-digit LeiKa key) the citizen asked about, if any.
    pub leika: Option<String>,
    /// Name of the service when the key is known.
    pub service_name: Option<String>,
    /// True when a LeiKa key was given but is not in the data: only contacts for all services
    /// were considered.
    pub leika_unknown: bool,
    /// Whether the region belongs to the 115-Verbund (after inheritance).
    pub in_115: bool,
    /// 1st level: the primary contact first, then alternatives (e.g. the region's own service
    /// centre next to the 115).
    pub first_level: Vec<ResolvedContact>,
    /// 2nd level, subject matter (Fachstelle).
    pub second_fachlich: Vec<ResolvedContact>,
    /// 2nd level, technical (operating IT provider).
    pub second_technisch: Vec<ResolvedContact>,
    /// 3rd level.
    pub third: Vec<ResolvedContact>,
}

/// A contact together with the reason it was chosen and whether it is reachable now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedContact {
    /// The contact itself.
    pub contact: Contact,
    /// The region the contact is assigned to, which may be an ancestor of the requested one.
    pub resolved_from: RegionRef,
    /// Whether the contact was chosen because it serves exactly the requested service.
    pub service_specific: bool,
    /// Primary contact or alternative.
    pub role: ContactRole,
    /// Reachability right now, computed in Europe/Berlin with the region's holidays.
    pub availability: Availability,
}

/// Whether a contact is the one to turn to or an alternative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    /// The contact to turn to first.
    Primary,
    /// Another way to get help on the same level.
    Alternative,
}

/// Reachability of a contact at the time of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// Whether the contact is open right now.
    pub open_now: bool,
    /// When that changes next (RFC 3339 with offset, Europe/Berlin), within 14 days.
    pub next_change: Option<String>,
    /// Why the contact is closed today although it usually is not (holiday, closure note).
    pub closed_reason: Option<String>,
    /// The next seven days from today, with the hours that really apply on each.
    pub week: Vec<DayHours>,
}

/// The opening hours that apply on one calendar date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Its weekday.
    pub day: Weekday,
    /// Opening ranges, `(opens, closes)` as `HH:MM`; empty when closed.
    pub ranges: Vec<TimeRange>,
    /// Holiday name or closure note, when the day deviates from the weekly hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One opening range within a day, local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Opening time, `HH:MM`.
    pub opens: String,
    /// Closing time, `HH:MM` (`24:00` = midnight).
    pub closes: String,
}

/// Answer of `GET /api/v1/regions?q=…`: candidate regions for a PLZ or a place name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSearch {
    /// The query as understood.
    pub query: String,
    /// Candidates, best first.
    pub regions: Vec<RegionHit>,
}

/// One candidate region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionHit {
    /// 12-digit ARS.
    pub ars: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: RegionLevel,
    /// Names of the regions above, most specific first, without the Bund — to tell places of
    /// the same name apart ("Landkreis Bautzen, Freistaat Sachsen").
    pub context: String,
    /// The PLZ that matched, for PLZ queries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plz: Option<String>,
}

/// A region named by its ARS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRef {
    /// 12-digit Amtlicher Regionalschlüssel.
    pub ars: String,
    /// Human-readable name, e.g. "Freie Hansestadt Bremen".
    pub name: String,
    /// Administrative level of the region.
    pub level: RegionLevel,
}

/// Administrative levels of the ARS hierarchy, from the top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// The Federation (`000000000000`).
    Bund,
    /// One of the 16 Länder.
    Land,
    /// Regierungsbezirk.
    Regierungsbezirk,
    /// Kreis or kreisfreie Stadt.
    Kreis,
    /// Gemeindeverband (Amt, Verbandsgemeinde, …).
    Gemeindeverband,
    /// Gemeinde.
    Gemeinde,
}

/// A point of contact (Anlaufstelle) as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Stable identifier, unique across the data set.
    pub id: String,
    /// Display name, e.g. "Behördennummer 115".
    pub name: String,
    /// Support level this contact serves.
    pub level: SupportLevel,
    /// Whether this is the Behördennummer 115.
    pub is_115: bool,
    /// Ways to reach the contact, in the order they should be shown.
    pub channels: Vec<Channel>,
    /// Regular weekly opening hours; empty means "no fixed hours published".
    pub hours: Vec<WeeklyHours>,
    /// Whether the contact is closed on the region's public holidays.
    pub closes_on_holidays: bool,
    /// Postal address for visits, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Languages offered besides German, as ISO 639-1 codes (`en`, `tr`, …).
    #[serde(default)]
    pub languages: Vec<String>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street and number.
    pub street: String,
    /// Five-digit PLZ.
    pub postcode: String,
    /// Town.
    pub city: String,
}

/// Support levels of an online service's help structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportLevel {
    /// 1st level: 115 or the region's own service centre.
    First,
    /// 2nd level, subject matter (the Fachstelle).
    SecondFachlich,
    /// 2nd level, technical (the operating IT provider).
    SecondTechnisch,
    /// 3rd level.
    Third,
}

/// One way to reach a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// What kind of channel this is.
    pub kind: ChannelKind,
    /// Phone number, e-mail address or URL.
    pub value: String,
    /// Optional label shown instead of the bare kind, e.g. "Servicetelefon".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Channel kinds; the XZuFi `Kommunikation` code of each is given by [`ChannelKind::xzufi_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Landline phone.
    Phone,
    /// Mobile phone.
    Mobile,
    /// Fax.
    Fax,
    /// E-mail address.
    Email,
    /// Web page.
    Web,
    /// Web contact form.
    ContactForm,
}

impl ChannelKind {
    /// The XZuFi channel code (`Kommunikation.kanal`) for this kind.
    pub fn xzufi_code(self) -> &'static str {
        match self {
            Self::Email => "01",
            Self::Phone => "02",
            Self::Mobile => "03",
            Self::Fax => "04",
            Self::Web | Self::ContactForm => "09",
        }
    }
}

/// Days of the week, Monday first as in German usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Montag.
    Mon,
    /// Dienstag.
    Tue,
    /// Mittwoch.
    Wed,
    /// Donnerstag.
    Thu,
    /// Freitag.
    Fri,
    /// Samstag.
    Sat,
    /// Sonntag.
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Self::Mon,
        Self::Tue,
        Self::Wed,
        Self::Thu,
        Self::Fri,
        Self::Sat,
        Self::Sun,
    ];

    /// German two-letter abbreviation ("Mo", "Di", …).
    pub fn short_de(self) -> &'static str {
        match self {
            Self::Mon => "Mo",
            Self::Tue => "Di",
            Self::Wed => "Mi",
            Self::Thu => "Do",
            Self::Fri => "Fr",
            Self::Sat => "Sa",
            Self::Sun => "So",
        }
    }

    /// Full German name ("Montag", …), for screen readers.
    pub fn long_de(self) -> &'static str {
        match self {
            Self::Mon => "Montag",
            Self::Tue => "Dienstag",
            Self::Wed => "Mittwoch",
            Self::Thu => "Donnerstag",
            Self::Fri => "Freitag",
            Self::Sat => "Samstag",
            Self::Sun => "Sonntag",
        }
    }
}

/// Opening hours on one weekday, local time in Europe/Berlin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// The weekday.
    pub day: Weekday,
    /// Opening time, `HH:MM`.
    pub opens: String,
    /// Closing time, `HH:MM`.
    pub closes: String,
}

/// A run of consecutive weekdays sharing the same hours, for compact display ("Mo–Fr 08:00–18:00").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRun {
    /// First day of the run.
    pub first: Weekday,
    /// Last day of the run (equal to `first` for a single day).
    pub last: Weekday,
    /// Opening times on these days, each `(opens, closes)`, in order.
    pub times: Vec<(String, String)>,
}

/// Groups weekly hours into runs of consecutive days with identical times.
///
/// Several ranges on one day (e.g. a lunch break) stay together; days without hours end a run.
pub fn group_hours(hours: &[WeeklyHours]) -> Vec<HoursRun> {
    // Day by day rather than sorting: a week has seven days, and the widget does without the
    // code of a general sort (about 1 KB of its download).
    let mut runs: Vec<HoursRun> = Vec::new();
    for day in Weekday::ALL {
        // This day's times by opening time; equal ones keep their order.
        let mut times: Vec<(String, String)> = Vec::new();
        for h in hours.iter().filter(|h| h.day == day) {
            let at = times.partition_point(|(opens, _)| *opens <= h.opens);
            times.insert(at, (h.opens.clone(), h.closes.clone()));
        }
        if times.is_empty() {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.times == times && next_day(run.last) == Some(day) => run.last = day,
            _ => runs.push(HoursRun {
                first: day,
                last: day,
                times,
            }),
        }
    }
    runs
}

fn next_day(day: Weekday) -> Option<Weekday> {
    use Weekday::*;
    match day {
        Mon => Some(Tue),
        Tue => Some(Wed),
        Wed => Some(Thu),
        Thu => Some(Fri),
        Fri => Some(Sat),
        Sat => Some(Sun),
        Sun => None,
    }
}

/// A disruption, maintenance or information notice as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable identifier.
    pub id: String,
    /// What kind of notice this is.
    pub kind: NoticeKind,
    /// Where in its life cycle it is.
    pub state: NoticeState,
    /// How badly the service is affected.
    pub impact: Impact,
    /// LeiKa keys of the affected services; empty = all services.
    pub services: Vec<String>,
    /// ARS prefixes of the affected regions (`04` = Land Bremen); empty = everywhere.
    pub regions: Vec<String>,
    /// Start of a maintenance window (RFC 3339), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    /// End of a maintenance window (RFC 3339), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<String>,
    /// When it was first published (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// The texts, in the requested language where available (German otherwise).
    pub content: NoticeContent,
    /// Language of `content` (`de`, `en`, `de-x-ls`).
    pub lang: String,
    /// Timeline of updates, newest first.
    #[serde(default)]
    pub updates: Vec<NoticeUpdate>,
}

impl Notice {
    /// Whether the notice has reached its end state and should disappear from forms.
    pub fn is_over(&self) -> bool {
        matches!(self.state, NoticeState::Resolved | NoticeState::Completed)
    }
}

/// Texts of a notice in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeContent {
    /// Short headline.
    pub title: String,
    /// What is going on.
    #[serde(default)]
    pub body: String,
    /// What still works (e.g. "Sie können Ihren Antrag weiter ausfüllen.").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub still_works: Option<String>,
    /// Whether answers already entered in the form are kept.
    #[serde(default = "AnswersKept::unknown")]
    pub answers_kept: AnswersKept,
    /// What to do instead (e.g. "Rufen Sie die 115 an.").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
    /// Link for the alternative (e.g. a paper form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_url: Option<String>,
}

/// Whether answers already entered are kept during a disruption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswersKept {
    /// Entered answers are kept.
    Yes,
    /// Entered answers are lost.
    No,
    /// Not known yet.
    Unknown,
}

impl AnswersKept {
    fn unknown() -> Self {
        Self::Unknown
    }
}

/// One entry of a notice's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeUpdate {
    /// When (RFC 3339).
    pub at: String,
    /// The state the notice moved to.
    pub state: NoticeState,
    /// What changed, in the notice's language where available.
    #[serde(default)]
    pub message: String,
}

/// Kinds of notices, in the vocabulary of Statuspage and Cachet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Something is broken.
    Incident,
    /// Planned work.
    Maintenance,
    /// Information without a disruption.
    Info,
}

/// Life-cycle states. Incidents: investigating → identified → monitoring → resolved.
/// Maintenance: scheduled → in_progress → completed. Info: active → resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// Incident: cause being looked for.
    Investigating,
    /// Incident: cause known.
    Identified,
    /// Incident: fix applied, watching.
    Monitoring,
    /// Incident or info: over.
    Resolved,
    /// Maintenance: announced, not started.
    Scheduled,
    /// Maintenance: running.
    InProgress,
    /// Maintenance: done.
    Completed,
    /// Info: shown.
    Active,
}

/// Impact levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// No impact on users.
    None,
    /// Some users or functions affected.
    Minor,
    /// The service is seriously impaired.
    Major,
    /// The service is unusable.
    Critical,
}

/// Answer of `GET /api/v1/notices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeList {
    /// Active notices and maintenance starting within 14 days, most severe first.
    pub notices: Vec<Notice>,
}

/// What the widget sends with `POST /api/v1/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRequest {
    /// Form token from `GET /api/v1/messages/token`.
    pub token: String,
    /// Chosen once per message by the widget; a retry with the same key never creates a
    /// second message.
    pub idempotency_key: String,
    /// `question`, `technical` or `accessibility`.
    pub category: String,
    /// The citizen's text.
    pub message: String,
    /// Address for an answer; without it no answer is possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_email: Option<String>,
    /// Name, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Consent to the processing described in the privacy notice.
    pub consent: bool,
    /// Honeypot: a field people never see; must stay empty.
    #[serde(default)]
    pub website: String,
    /// Send a receipt with the reference to `reply_email`.
    #[serde(default)]
    pub wants_confirmation: bool,
    /// Where the citizen was — never the form's field values.
    #[serde(default)]
    pub context: MessageContext,
    /// Language of the widget.
    #[serde(default = "default_lang")]
    pub lang: String,
}

fn default_lang() -> String {
    "de".into()
}

/// The host form's context of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageContext {
    /// LeiKa key of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leika: Option<String>,
    /// ARS of the citizen's region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ars: Option<String>,
    /// Step of the online form (e.g. "Schritt 2: Angaben zum Kind").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_step: Option<String>,
    /// Error code the form showed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Path of the page (without query or fragment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_path: Option<String>,
}

/// Answer `202` to a message: it is stored and will be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageAccepted {
    /// Reference such as `AS-2026-000123`.
    pub reference: String,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// Who will receive it.
    pub recipient: String,
}

/// Answer of `GET /api/v1/messages/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormToken {
    /// Token to send with the message.
    pub token: String,
    /// Seconds before the form may be sent.
    pub min_fill_seconds: u64,
    /// Longest message in characters.
    pub max_length: usize,
    /// The privacy notice the consent refers to.
    pub privacy_url: String,
}

/// A problem with one field of a submitted form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Field name as sent (`message`, `reply_email`, `context.ars`, …).
    pub field: String,
    /// Stable code, e.g. `required`, `too_long`, `invalid`.
    pub error: String,
    /// Explanation for a person (German).
    pub message: String,
}

/// Body of every error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable, snake_case error code that clients may branch on.
    pub error: String,
    /// Explanation for a person; wording may change, the code does not.
    pub message: String,
    /// Per-field problems of a submitted form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// The names the variants of a wire enum travel under, for decoders that do without serde.
///
/// The widget decodes JSON with the browser's own `JSON.parse` instead of serde to stay small
/// (see ARCHITECTURE.md); it looks enum values up here. The tests below check every table
/// against serde's own names, so the two cannot drift apart.
pub trait Named: Copy + PartialEq + 'static {
    /// Every variant with its wire name.
    const NAMES: &'static [(&'static str, Self)];

    /// The variant called `name`, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The wire name of this variant.
    fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(n, _)| n)
    }
}

impl Named for ContactRole {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("primary", Self::Primary),
        ("alternative", Self::Alternative),
    ];
}

impl Named for RegionLevel {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("bund", Self::Bund),
        ("land", Self::Land),
        ("regierungsbezirk", Self::Regierungsbezirk),
        ("kreis", Self::Kreis),
        ("gemeindeverband", Self::Gemeindeverband),
        ("gemeinde", Self::Gemeinde),
    ];
}

impl Named for SupportLevel {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("first", Self::First),
        ("second_fachlich", Self::SecondFachlich),
        ("second_technisch", Self::SecondTechnisch),
        ("third", Self::Third),
    ];
}

impl Named for ChannelKind {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("phone", Self::Phone),
        ("mobile", Self::Mobile),
        ("fax", Self::Fax),
        ("email", Self::Email),
        ("web", Self::Web),
        ("contact_form", Self::ContactForm),
    ];
}

impl Named for Weekday {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("mon", Self::Mon),
        ("tue", Self::Tue),
        ("wed", Self::Wed),
        ("thu", Self::Thu),
        ("fri", Self::Fri),
        ("sat", Self::Sat),
        ("sun", Self::Sun),
    ];
}

impl Named for AnswersKept {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("yes", Self::Yes),
        ("no", Self::No),
        ("unknown", Self::Unknown),
    ];
}

impl Named for NoticeKind {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("incident", Self::Incident),
        ("maintenance", Self::Maintenance),
        ("info", Self::Info),
    ];
}

impl Named for NoticeState {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("investigating", Self::Investigating),
        ("identified", Self::Identified),
        ("monitoring", Self::Monitoring),
        ("resolved", Self::Resolved),
        ("scheduled", Self::Scheduled),
        ("in_progress", Self::InProgress),
        ("completed", Self::Completed),
        ("active", Self::Active),
    ];
}

impl Named for Impact {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("none", Self::None),
        ("minor", Self::Minor),
        ("major", Self::Major),
        ("critical", Self::Critical),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(day: Weekday, opens: &str, closes: &str) -> WeeklyHours {
        WeeklyHours {
            day,
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    /// Every name in a [`Named`] table is the one serde writes and reads, and no variant is
    /// listed twice.
    fn names_match_serde<T>()
    where
        T: Named + Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        for (i, (name, value)) in T::NAMES.iter().enumerate() {
            let json = format!("\"{name}\"");
            assert_eq!(serde_json::to_string(value).expect("serialises"), json);
            assert_eq!(
                &serde_json::from_str::<T>(&json).expect("deserialises"),
                value
            );
            assert_eq!(T::from_name(name), Some(*value));
            assert_eq!(value.name(), *name);
            assert!(
                T::NAMES[..i].iter().all(|(_, v)| v != value),
                "{name} twice"
            );
        }
        assert_eq!(T::from_name("no_such_variant"), None);
    }

    #[test]
    fn named_tables_agree_with_serde() {
        names_match_serde::<ContactRole>();
        names_match_serde::<RegionLevel>();
        names_match_serde::<SupportLevel>();
        names_match_serde::<ChannelKind>();
        names_match_serde::<Weekday>();
        names_match_serde::<AnswersKept>();
        names_match_serde::<NoticeKind>();
        names_match_serde::<NoticeState>();
        names_match_serde::<Impact>();
    }

    #[test]
    fn weekdays_with_equal_hours_form_one_run() {
        let hours: Vec<_> = [
            Weekday::Fri,
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
        ]
        .into_iter()
        .map(|d| h(d, "08:00", "18:00"))
        .collect();
        let runs = group_hours(&hours);
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].first, runs[0].last), (Weekday::Mon, Weekday::Fri));
    }

    #[test]
    fn a_gap_or_different_hours_start_a_new_run() {
        let hours = vec![
            h(Weekday::Mon, "08:00", "12:00"),
            h(Weekday::Mon, "13:00", "16:00"),
            h(Weekday::Tue, "08:00", "12:00"),
            h(Weekday::Tue, "13:00", "16:00"),
            h(Weekday::Thu, "08:00", "12:00"),
            h(Weekday::Thu, "13:00", "16:00"),
            h(Weekday::Fri, "08:00", "12:00"),
        ];
        let runs = group_hours(&hours);
        let summary: Vec<_> = runs
            .iter()
            .map(|r| (r.first, r.last, r.times.len()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Weekday::Mon, Weekday::Tue, 2),
                (Weekday::Thu, Weekday::Thu, 2),
                (Weekday::Fri, Weekday::Fri, 1),
            ]
        );
    }

    #[test]
    fn times_of_a_day_are_ordered_whatever_order_they_came_in() {
        let hours = vec![
            h(Weekday::Tue, "08:00", "12:00"),
            h(Weekday::Mon, "13:00", "16:00"),
            h(Weekday::Tue, "13:00", "16:00"),
            h(Weekday::Mon, "08:00", "12:00"),
        ];
        let runs = group_hours(&hours);
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!((runs[0].first, runs[0].last), (Weekday::Mon, Weekday::Tue));
        let opens: Vec<&str> = runs[0].times.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(opens, ["08:00", "13:00"]);
    }

    #[test]
    fn channel_kinds_map_to_xzufi_codes() {
        assert_eq!(ChannelKind::Email.xzufi_code(), "01");
        assert_eq!(ChannelKind::Phone.xzufi_code(), "02");
        assert_eq!(ChannelKind::Fax.xzufi_code(), "04");
        assert_eq!(ChannelKind::Web.xzufi_code(), "09");
    }

    #[test]
    fn help_response_uses_snake_case_enums_on_the_wire() {
        let json = serde_json::to_value(Channel {
            kind: ChannelKind::ContactForm,
            value: "https://example.org".into(),
            label: None,
        })
        .expect("serialises");
        assert_eq!(json["kind"], "contact_form");
        assert!(json.get("label").is_none());
    }
}
