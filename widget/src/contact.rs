//! Showing one contact: name, channels as links, opening hours.

use leptos::prelude::*;
use wire::{Channel, ChannelKind, HoursRun, ResolvedContact, group_hours};

/// A contact with its channels and weekly hours.
#[component]
pub fn ContactCard(
    /// The contact and the region it was found for.
    resolved: ResolvedContact,
) -> impl IntoView {
    let contact = resolved.contact;
    let runs = group_hours(&contact.hours);
    view! {
        <div class="as-contact">
            <h3 class="as-name">{contact.name}</h3>
            <ul class="as-channels">
                {contact
                    .channels
                    .into_iter()
                    .map(|channel| view! { <li><ChannelLink channel /></li> })
                    .collect_view()}
            </ul>
            {(!runs.is_empty()).then(|| view! { <Hours runs /> })}
        </div>
    }
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
        ChannelKind::ContactForm => "Kontaktformular",
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
    view! {
        <span class="as-kind">{kind}</span>
        {match href {
            Some(href) => leptos::either::Either::Left(view! { <a class="as-link" href=href>{text}</a> }),
            None => leptos::either::Either::Right(view! { <span class="as-value">{text}</span> }),
        }}
    }
}

/// Weekly opening hours, consecutive days with equal hours grouped ("Mo–Fr").
#[component]
fn Hours(
    /// Grouped hours.
    runs: Vec<HoursRun>,
) -> impl IntoView {
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
