//! Showing contacts: the primary 1st-level contact prominently, alternatives below it, 2nd- and
//! 3rd-level contacts behind a disclosure; each with channels, reachability and hours.

use crate::Env;
use crate::time::{day_phrase, split};
use leptos::either::Either;
use leptos::html::H3;
use leptos::prelude::*;
use texts::{capitalise, fill};
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
    let t = Env::get().t;
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
                <p class="as-subtitle">{t.alternatives_heading}</p>
                {alternatives
                    .into_iter()
                    .map(|resolved| view! { <ContactCard resolved heading=NodeRef::new() /> })
                    .collect_view()}
            </div>
        })}
        {(!further.is_empty()).then(|| view! {
            <details class="as-more">
                <summary>{t.further_summary}</summary>
                <p class="as-hint">{t.further_hint}</p>
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
    let t = Env::get().t;
    let contact = resolved.contact;
    let level = match contact.level {
        SupportLevel::First => None,
        SupportLevel::SecondFachlich => Some(t.level_fachlich),
        SupportLevel::SecondTechnisch => Some(t.level_technisch),
        SupportLevel::Third => Some(t.level_third),
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
    let t = Env::get().t;
    let today = availability
        .week
        .first()
        .map(|d| d.date.clone())
        .unwrap_or_default();
    let change = availability.next_change.as_deref().and_then(split);
    let text = if availability.open_now {
        Some(match change {
            Some((date, time)) if date == today => fill(t.open_until_today, &[time]),
            Some((date, time)) => fill(t.open_until_day, &[&day_phrase(date, &today, t).0, time]),
            None => t.open_now.to_string(),
        })
    } else if has_hours || availability.closed_reason.is_some() {
        let mut text = t.closed_now.to_string();
        if let Some(reason) = &availability.closed_reason {
            text.push_str(&fill(t.closed_reason, &[reason]));
        }
        if let Some((date, time)) = change {
            let (phrase, near) = day_phrase(date, &today, t);
            let again = if near { t.again_near } else { t.again_later };
            text.push_str(&fill(again, &[&phrase, time]));
        }
        Some(text)
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
    let t = Env::get().t;
    let kind = match channel.kind {
        ChannelKind::Phone => t.channel_phone,
        ChannelKind::Mobile => t.channel_mobile,
        ChannelKind::Fax => t.channel_fax,
        ChannelKind::Email => t.channel_email,
        ChannelKind::Web => t.channel_web,
        ChannelKind::ContactForm => t.channel_form,
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
    let t = Env::get().t;
    let today = availability
        .week
        .first()
        .map(|d| d.date.clone())
        .unwrap_or_default();
    let times = move |ranges: &mut dyn Iterator<Item = (&str, &str)>| {
        let list: Vec<String> = ranges
            .map(|(opens, closes)| fill(t.time_range, &[opens, closes]))
            .collect();
        fill(t.times, &[&list.join(t.time_separator)])
    };
    let deviations: Vec<String> = availability
        .week
        .iter()
        .filter_map(|day| {
            let note = day.note.as_ref()?;
            let hours = if day.ranges.is_empty() {
                t.closed_day.to_string()
            } else {
                times(&mut day.ranges.iter().map(|r| (&*r.opens, &*r.closes)))
            };
            let (when, _) = day_phrase(&day.date, &today, t);
            Some(capitalise(&fill(t.day_deviation, &[&when, &hours, note])))
        })
        .collect();
    view! {
        <div class="as-hours">
            <h4 class="as-subtitle">{t.hours_heading}</h4>
            <dl>
                {runs
                    .into_iter()
                    .map(|run| {
                        let (first, last) = (run.first as usize, run.last as usize);
                        let (short, long) = if first == last {
                            (t.weekdays_short[first].to_string(), t.weekdays_long[first].to_string())
                        } else {
                            (
                                fill(t.day_range_short, &[t.weekdays_short[first], t.weekdays_short[last]]),
                                fill(t.day_range_long, &[t.weekdays_long[first], t.weekdays_long[last]]),
                            )
                        };
                        let hours = times(&mut run.times.iter().map(|(o, c)| (&**o, &**c)));
                        // Spelled-out days (Leichte Sprache) need no abbreviation.
                        let day = if short == long {
                            Either::Left(short)
                        } else {
                            Either::Right(view! { <abbr title=long>{short}</abbr> })
                        };
                        view! {
                            <dt>{day}</dt>
                            <dd>{hours}</dd>
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

/// Built-in contact shown when the server cannot be reached: the 115 is always right, plus the
/// alternative the host configured (`data-fallback-name`, `-phone`, `-email`, `-url`).
#[component]
pub fn Fallback() -> impl IntoView {
    let env = Env::get();
    let t = env.t;
    let channel = |kind, value: Option<String>| {
        value.map(|value| Channel {
            kind,
            value,
            label: None,
        })
    };
    let alternative: Vec<Channel> = [
        channel(ChannelKind::Phone, env.host_data("fallbackPhone")),
        channel(ChannelKind::Email, env.host_data("fallbackEmail")),
        channel(ChannelKind::Web, env.host_data("fallbackUrl")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let alternative_name = env.host_data("fallbackName");
    view! {
        <div class="as-contact as-fallback">
            <p class="as-status" role="status">{t.fallback_status}</p>
            <h3 class="as-name">{t.fallback_name}</h3>
            <ul class="as-channels">
                <li><span class="as-kind">{t.channel_phone}</span><a class="as-link" href="tel:115">"115"</a></li>
            </ul>
            <div class="as-hours">
                <h4 class="as-subtitle">{t.hours_heading}</h4>
                <dl>
                    <dt><abbr title=fill(t.day_range_long, &[t.weekdays_long[0], t.weekdays_long[4]])>
                        {fill(t.day_range_short, &[t.weekdays_short[0], t.weekdays_short[4]])}
                    </abbr></dt>
                    <dd>{fill(t.times, &[&fill(t.time_range, &["08:00", "18:00"])])}</dd>
                </dl>
            </div>
            {(!alternative.is_empty()).then(|| view! {
                <div class="as-alternatives">
                    <p class="as-subtitle">{t.fallback_alternative}</p>
                    {alternative_name.map(|name| view! { <h3 class="as-name">{name}</h3> })}
                    <ul class="as-channels">
                        {alternative
                            .into_iter()
                            .map(|channel| view! { <li><ChannelLink channel /></li> })
                            .collect_view()}
                    </ul>
                </div>
            })}
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
