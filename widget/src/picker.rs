//! The region picker, shown when the host page did not say where the citizen lives: a search
//! by PLZ or place name, and a list of candidates to choose from (a PLZ can span several
//! Gemeinden, so the citizen always chooses).

use crate::{encode, fetch_json};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use texts::fill;
use wire::RegionSearch;

/// What the last search gave.
#[derive(Debug, Clone)]
enum Results {
    None,
    Found(RegionSearch),
    Failed,
}

/// Search field plus candidate list; calls `on_pick` with the chosen ARS.
#[component]
pub fn RegionPicker(
    /// Server base URL ending in `/`.
    api_base: String,
    /// Called with the ARS of the region the citizen chose.
    on_pick: Callback<String>,
) -> impl IntoView {
    let t = crate::Env::get().t;
    let results = RwSignal::new(Results::None);
    let error = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The field is uncontrolled: the browser keeps what the citizen typed.
        let q = crate::form_data(&ev)
            .and_then(|data| data.get("q").as_string())
            .unwrap_or_default()
            .trim()
            .to_string();
        if q.chars().count() < 2 {
            error.set(true);
            return;
        }
        error.set(false);
        let url = format!("{api_base}api/v1/regions?q={}&limit=8", encode(&q));
        leptos::task::spawn_local(async move {
            results.set(match fetch_json::<RegionSearch>(&url).await {
                Some(found) => Results::Found(found),
                None => Results::Failed,
            });
        });
    };

    view! {
        <form class="as-picker" role="search" aria-labelledby="as-picker-intro" on:submit=on_submit novalidate>
            <p class="as-intro" id="as-picker-intro">{t.picker_intro}</p>
            <label class="as-label" for="as-place">{t.picker_label}</label>
            <p class="as-hint" id="as-place-hint">{t.picker_hint}</p>
            {move || error.get().then(|| view! {
                <p class="as-error" id="as-place-error">
                    <span aria-hidden="true">"⚠ "</span>
                    {t.picker_too_short}
                </p>
            })}
            <div class="as-row">
                <input
                    id="as-place"
                    name="q"
                    class="as-input"
                    type="text"
                    autocomplete="postal-code"
                    aria-describedby=move || if error.get() { "as-place-hint as-place-error" } else { "as-place-hint" }
                    aria-invalid=move || error.get().then_some("true")
                />
                <button type="submit" class="as-button">{t.picker_search}</button>
            </div>
            <div role="status" class="as-results-status">
                {move || match results.get() {
                    Results::None => String::new(),
                    Results::Failed => t.picker_failed.into(),
                    Results::Found(found) => match found.regions.len() {
                        0 => fill(t.picker_none, &[&found.query]),
                        1 => t.picker_one.into(),
                        n => fill(t.picker_many, &[&n.to_string()]),
                    },
                }}
            </div>
            {move || match results.get() {
                Results::Found(found) if !found.regions.is_empty() => EitherOf3::A(view! {
                    <ul class="as-candidates">
                        {found.regions.into_iter().map(|r| {
                            let ars = r.ars.clone();
                            let detail = match (&r.plz, r.context.is_empty()) {
                                (Some(plz), false) => format!("{plz} · {}", r.context),
                                (Some(plz), true) => plz.clone(),
                                (None, _) => r.context.clone(),
                            };
                            view! {
                                <li>
                                    <button type="button" class="as-candidate"
                                        on:click=move |_| on_pick.run(ars.clone())>
                                        <span class="as-candidate-name">{r.name}</span>
                                        <span class="as-candidate-detail">{detail}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }),
                Results::Found(_) => EitherOf3::B(()),
                _ => EitherOf3::C(()),
            }}
        </form>
    }
}
