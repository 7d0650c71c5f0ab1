//! Showing contacts: the primary 1st-level contact prominently, alternatives below it, 2nd- and
//! 3rd-level contacts behind a disclosure; each with channels, reachability and hours.

use crate::time::{day_phrase, split};
use leptos::either::Either;
use leptos::html::H3;
use leptos::prelude::*;
use wire::{
    Availability, Channel, ChannelKind, HelpResponse, HoursRun, ResolvedContact, SupportLevel,
    group_hours,
};

/// All levels of an answer.
#[component]
pub fn Levels(
    /// The resolved contacts.
    help: HelpResponse,
    /// Move keyboard focus to the primary contact once shown (after the citizen picked a
    /// place, so screen readers continue there).
    focus: bool,
) -> impl IntoView {
    let heading = NodeRef::<H3>::new();
    if focus {
        Effect::new(move |_| {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        });
    }
    let mut first = help.first_level.into_iter();
    let primary = first.next();
    let alternatives: Vec<ResolvedContact> = first.collect();
    let further: Vec<ResolvedContact> = help
        .second_fachlich
        .into_iter()
        .chain(help.second_technisch)
        .chain(help.third)
        .collect();

    view! {
        {match primary {
            Some(resolved) => Either::Left(view! { <ContactCard resolved heading /> }),
            None => Either::Right(view! { <Fallback /> }),
        }}
        {(!alternatives.is_empty()).then(|| view! {
            <div class="as-alternatives">
                <p class="as-subtitle">"Ebenfalls für Sie da"</p>
                {alternatives
                    .into_iter()
                    .map(|resolved| view! { <ContactCard resolved heading=NodeRef::new() /> })
                    .collect_view()}
            </div>
        })}
        {(!further.is_empty()).then(|| view! {
            <details class="as-more">
                <summary>"Fachliche und technische Ansprechpartner"</summary>
                <p class="as-hint">"Wenn die erste Anlaufstelle Ihre Frage nicht beantworten kann."</p>
                {further
                    .into_iter()
                    .map(|resolved| view! { <ContactCard resolved heading=NodeRef::new() /> })
                    .collect_view()}
            </details>
        })}
    }
}

/// One contact with its channels, reachability and hours.
#[component]
pub fn ContactCard(
    /// The contact and how it was found.
    resolved: ResolvedContact,
    /// Reference to the name heading, for moving focus to it.
    heading: NodeRef<H3>,
) -> impl IntoView {
    let contact = resolved.contact;
    let level = match contact.level {
        SupportLevel::First => None,
        SupportLevel::SecondFachlich => Some("Fachliche Fragen"),
        SupportLevel::SecondTechnisch => Some("Technische Probleme"),
        SupportLevel::Third => Some("Betrieb des Online-Dienstes"),
    };
    let runs = group_hours(&contact.hours);
    let availability = resolved.availability;
    view! {
        <div class="as-contact">
            {level.map(|l| view! { <p class="as-level">{l}</p> })}
            <h3 class="as-name" tabindex="-1" node_ref=heading>{contact.name}</h3>
            <Reachability availability=availability.clone() has_hours=!runs.is_empty() />
            <ul class="as-channels">
                {contact
                    .channels
                    .into_iter()
                    .map(|channel| view! { <li><ChannelLink channel /></li> })
                    .collect_view()}
            </ul>
            {(!runs.is_empty()).then(|| view! { <Hours runs availability /> })}
        </div>
    }
}

/// "Jetzt erreichbar – bis 18:00 Uhr" or "Zurzeit nicht erreichbar – wieder morgen ab 08:00 Uhr".
/// Says it in words and with a symbol, never by colour alone.
#[component]
fn Reachability(
    /// Reachability from the server.
    availability: Availability,
    /// Whether the contact publishes hours at all (without, nothing is claimed).
    has_hours: bool,
) -> impl IntoView {
    let today = availability
        .week
        .first()
        .map(|d| d.date.clone())
        .unwrap_or_default();
    let change = availability.next_change.as_deref().and_then(split);
    let text = if availability.open_now {
        Some(match change {
            Some((date, time)) if date == today => format!("Jetzt erreichbar – bis {time} Uhr"),
            Some((date, time)) => format!(
                "Jetzt erreichbar – bis {} {time} Uhr",
                day_phrase(date, &today)
            ),
            None => "Jetzt erreichbar".to_string(),
        })
    } else if has_hours || availability.closed_reason.is_some() {
        let reason = availability
            .closed_reason
            .as_ref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let again = match change {
            Some((date, time)) => match day_phrase(date, &today).as_str() {
                phrase @ ("heute" | "morgen") => format!(" – wieder {phrase} ab {time} Uhr"),
                phrase => format!(" – wieder ab {phrase}, {time} Uhr"),
            },
            None => String::new(),
        };
        Some(format!("Zurzeit nicht erreichbar{reason}{again}"))
    } else {
        None
    };
    let class = if availability.open_now {
        "as-state as-open"
    } else {
        "as-state as-closed"
    };
    let symbol = if availability.open_now {
        "● "
    } else {
        "○ "
    };
    text.map(|text| {
        view! {
            <p class=class><span aria-hidden="true">{symbol}</span>{text}</p>
        }
    })
}

/// One channel as a labelled link (`tel:`, `mailto:` or web).
#[component]
fn ChannelLink(
    /// The channel to show.
    channel: Channel,
) -> impl IntoView {
    let kind = match channel.kind {
        ChannelKind::Phone => "Telefon",
        ChannelKind::Mobile => "Mobil",
        ChannelKind::Fax => "Fax",
        ChannelKind::Email => "E-Mail",
        ChannelKind::Web => "Internet",
        ChannelKind::ContactForm => "Formular",
    };
    let href = match channel.kind {
        ChannelKind::Phone | ChannelKind::Mobile => {
            Some(format!("tel:{}", dial_string(&channel.value)))
        }
        ChannelKind::Fax => None,
        ChannelKind::Email => Some(format!("mailto:{}", channel.value)),
        ChannelKind::Web | ChannelKind::ContactForm => Some(channel.value.clone()),
    };
    // Web links show their label; numbers and addresses show themselves.
    let text = match channel.kind {
        ChannelKind::Web | ChannelKind::ContactForm => channel.label.unwrap_or(channel.value),
        _ => channel.value,
    };
    // Long e-mail addresses may break after the "@" rather than anywhere.
    let (head, tail) = match text.split_once('@') {
        Some((local, domain)) => (format!("{local}@"), domain.to_string()),
        None => (text, String::new()),
    };
    view! {
        <span class="as-kind">{kind}</span>
        {match href {
            Some(href) => Either::Left(view! {
                <a class="as-link" href=href>{head}<wbr />{tail}</a>
            }),
            None => Either::Right(view! {
                <span class="as-value">{head}<wbr />{tail}</span>
            }),
        }}
    }
}

/// Weekly opening hours, consecutive days with equal hours grouped ("Mo–Fr"), followed by this
/// week's deviations (holidays, closures, special hours).
#[component]
fn Hours(
    /// Grouped hours.
    runs: Vec<HoursRun>,
    /// This week's real hours, for the deviations.
    availability: Availability,
) -> impl IntoView {
    let today = availability
        .week
        .first()
        .map(|d| d.date.clone())
        .unwrap_or_default();
    let deviations: Vec<String> = availability
        .week
        .iter()
        .filter_map(|day| {
            let note = day.note.as_ref()?;
            let hours = if day.ranges.is_empty() {
                "geschlossen".to_string()
            } else {
                let times: Vec<String> = day
                    .ranges
                    .iter()
                    .map(|r| format!("{}–{} Uhr", r.opens, r.closes))
                    .collect();
                times.join(", ")
            };
            let when = day_phrase(&day.date, &today);
            let mut when_cap = when.clone();
            if let Some(first) = when_cap.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            Some(format!("{when_cap}: {hours} ({note})"))
        })
        .collect();
    view! {
        <div class="as-hours">
            <h4 class="as-subtitle">"Erreichbarkeit"</h4>
            <dl>
                {runs
                    .into_iter()
                    .map(|run| {
                        let (short, long) = if run.first == run.last {
                            (run.first.short_de().to_string(), run.first.long_de().to_string())
                        } else {
                            (
                                format!("{}–{}", run.first.short_de(), run.last.short_de()),
                                format!("{} bis {}", run.first.long_de(), run.last.long_de()),
                            )
                        };
                        let times: Vec<String> = run
                            .times
                            .iter()
                            .map(|(opens, closes)| format!("{opens}–{closes}"))
                            .collect();
                        view! {
                            <dt><abbr title=long>{short}</abbr></dt>
                            <dd>{times.join(", ")}" Uhr"</dd>
                        }
                    })
                    .collect_view()}
            </dl>
            {(!deviations.is_empty()).then(|| view! {
                <ul class="as-deviations">
                    {deviations.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// Built-in contact shown when the server cannot be reached: the 115 is always right.
#[component]
pub fn Fallback() -> impl IntoView {
    view! {
        <div class="as-contact as-fallback">
            <p class="as-status" role="status">
                "Die Kontaktdaten für Ihre Region sind gerade nicht abrufbar. Die Behördennummer 115 hilft Ihnen weiter."
            </p>
            <h3 class="as-name">"Behördennummer 115"</h3>
            <ul class="as-channels">
                <li><span class="as-kind">"Telefon"</span><a class="as-link" href="tel:115">"115"</a></li>
            </ul>
            <div class="as-hours">
                <h4 class="as-subtitle">"Erreichbarkeit"</h4>
                <dl>
                    <dt><abbr title="Montag bis Freitag">"Mo–Fr"</abbr></dt>
                    <dd>"08:00–18:00 Uhr"</dd>
                </dl>
            </div>
        </div>
    }
}

/// Turns a displayed number ("+49 711 9999 0115", "0421 361-0") into what `tel:` dials.
fn dial_string(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}
