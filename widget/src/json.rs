//! JSON without serde: the browser parses, the widget reads fields with `Reflect`.
//!
//! serde's generic visitors cost the widget about 15 KB of wasm (TOOLCHAIN.md measured it);
//! `JSON.parse` is already in every browser. Decoding here is lenient, like a reader who skips
//! what they do not know: a missing field reads as empty, an unknown enum value makes the
//! surrounding item invalid (`None`), and the caller treats that like any other failed request.
//! The shapes are still the `wire` crate's types, so a field added there fails to compile here
//! until it is decoded too.

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wire::*;

/// A parsed JSON value, read field by field.
pub struct Obj(JsValue);

impl Obj {
    /// Parses `text`; `None` unless it is a JSON object.
    pub fn parse(text: &str) -> Option<Obj> {
        JSON::parse(text).ok().filter(JsValue::is_object).map(Obj)
    }

    fn get(&self, key: &str) -> JsValue {
        if !self.0.is_object() {
            return JsValue::UNDEFINED;
        }
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// A string field, `""` when missing.
    pub fn str(&self, key: &str) -> String {
        self.opt(key).unwrap_or_default()
    }

    /// An optional string field.
    pub fn opt(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    /// A boolean field, `false` when missing.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).as_bool().unwrap_or(false)
    }

    /// A non-negative integer field, 0 when missing.
    pub fn uint(&self, key: &str) -> u64 {
        self.get(key).as_f64().map_or(0, |n| n as u64)
    }

    /// A nested object (reads as all-empty when missing).
    pub fn obj(&self, key: &str) -> Obj {
        Obj(self.get(key))
    }

    /// An enum field by its wire name.
    pub fn named<T: Named>(&self, key: &str) -> Option<T> {
        T::from_name(&self.opt(key)?)
    }

    /// A list of items; `None` if any item does not decode.
    pub fn list<T: Decode>(&self, key: &str) -> Option<Vec<T>> {
        // A plain loop: it is instantiated once per item type, and an iterator chain collecting
        // into `Option<Vec<_>>` costs several times its code.
        let list = self.array(key);
        let mut items = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            items.push(T::decode(&Obj(list.get(i)))?);
        }
        Some(items)
    }

    /// A list of strings (anything else in the list is skipped).
    pub fn strs(&self, key: &str) -> Vec<String> {
        let list = self.array(key);
        (0..list.length())
            .filter_map(|i| list.get(i).as_string())
            .collect()
    }

    fn array(&self, key: &str) -> Array {
        self.get(key).dyn_into::<Array>().unwrap_or_default()
    }
}

/// Building a JSON object to send.
pub struct Out(Object);

impl Out {
    pub fn new() -> Self {
        Self(Object::new())
    }

    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    /// Sets `key` only when there is a value (the server treats absent as "not given").
    pub fn maybe(self, key: &str, value: Option<String>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub fn nest(self, key: &str, inner: Out) -> Self {
        self.set(key, inner.0)
    }

    /// The object itself, e.g. as an event's `detail`.
    pub fn into_value(self) -> JsValue {
        self.0.into()
    }

    /// The JSON text.
    pub fn text(&self) -> String {
        JSON::stringify(&self.0)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}

/// A wire type that can be read from a parsed JSON object.
pub trait Decode: Sized {
    fn decode(o: &Obj) -> Option<Self>;
}

impl Decode for HelpResponse {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            ars: o.str("ars"),
            region: RegionRef::decode(&o.obj("region"))?,
            leika: o.opt("leika"),
            service_name: o.opt("service_name"),
            leika_unknown: o.flag("leika_unknown"),
            in_115: o.flag("in_115"),
            first_level: o.list("first_level")?,
            second_fachlich: o.list("second_fachlich")?,
            second_technisch: o.list("second_technisch")?,
            third: o.list("third")?,
        })
    }
}

impl Decode for RegionRef {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            ars: o.str("ars"),
            name: o.str("name"),
            level: o.named("level")?,
        })
    }
}

impl Decode for ResolvedContact {
    fn decode(o: &Obj) -> Option<Self> {
        let a = o.obj("availability");
        Some(Self {
            contact: Contact::decode(&o.obj("contact"))?,
            resolved_from: RegionRef::decode(&o.obj("resolved_from"))?,
            service_specific: o.flag("service_specific"),
            role: o.named("role")?,
            availability: Availability {
                open_now: a.flag("open_now"),
                next_change: a.opt("next_change"),
                closed_reason: a.opt("closed_reason"),
                week: a.list("week")?,
            },
        })
    }
}

impl Decode for DayHours {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            date: o.str("date"),
            day: o.named("day")?,
            ranges: o.list("ranges")?,
            note: o.opt("note"),
        })
    }
}

impl Decode for TimeRange {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            opens: o.str("opens"),
            closes: o.str("closes"),
        })
    }
}

impl Decode for Contact {
    fn decode(o: &Obj) -> Option<Self> {
        let address = o.obj("address");
        Some(Self {
            id: o.str("id"),
            name: o.str("name"),
            level: o.named("level")?,
            is_115: o.flag("is_115"),
            channels: o.list("channels")?,
            hours: o.list("hours")?,
            closes_on_holidays: o.flag("closes_on_holidays"),
            address: address.0.is_object().then(|| Address {
                street: address.str("street"),
                postcode: address.str("postcode"),
                city: address.str("city"),
            }),
            languages: o.strs("languages"),
        })
    }
}

impl Decode for Channel {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            kind: o.named("kind")?,
            value: o.str("value"),
            label: o.opt("label"),
        })
    }
}

impl Decode for WeeklyHours {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            day: o.named("day")?,
            opens: o.str("opens"),
            closes: o.str("closes"),
        })
    }
}

impl Decode for RegionSearch {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            query: o.str("query"),
            regions: o.list("regions")?,
        })
    }
}

impl Decode for RegionHit {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            ars: o.str("ars"),
            name: o.str("name"),
            level: o.named("level")?,
            context: o.str("context"),
            plz: o.opt("plz"),
        })
    }
}

impl Decode for NoticeList {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            notices: o.list("notices")?,
        })
    }
}

impl Decode for Notice {
    fn decode(o: &Obj) -> Option<Self> {
        let c = o.obj("content");
        Some(Self {
            id: o.str("id"),
            kind: o.named("kind")?,
            state: o.named("state")?,
            impact: o.named("impact")?,
            services: o.strs("services"),
            regions: o.strs("regions"),
            starts_at: o.opt("starts_at"),
            ends_at: o.opt("ends_at"),
            created_at: o.str("created_at"),
            updated_at: o.str("updated_at"),
            content: NoticeContent {
                title: c.str("title"),
                body: c.str("body"),
                still_works: c.opt("still_works"),
                answers_kept: c.named("answers_kept").unwrap_or(AnswersKept::Unknown),
                alternative: c.opt("alternative"),
                alternative_url: c.opt("alternative_url"),
            },
            lang: o.str("lang"),
            updates: o.list("updates")?,
        })
    }
}

impl Decode for NoticeUpdate {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            at: o.str("at"),
            state: o.named("state")?,
            message: o.str("message"),
        })
    }
}

impl Decode for FormToken {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            token: o.str("token"),
            min_fill_seconds: o.uint("min_fill_seconds"),
            max_length: o.uint("max_length") as usize,
            privacy_url: o.str("privacy_url"),
        })
    }
}

impl Decode for MessageAccepted {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            reference: o.str("reference"),
            received_at: o.str("received_at"),
            recipient: o.str("recipient"),
        })
    }
}

impl Decode for FieldError {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            field: o.str("field"),
            error: o.str("error"),
            message: o.str("message"),
        })
    }
}

impl Decode for ErrorBody {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self {
            error: o.str("error"),
            message: o.str("message"),
            fields: o.list("fields")?,
        })
    }
}

/// The one removal event the notice stream sends: `{"id": …}`.
pub struct Removed {
    pub id: String,
}

impl Decode for Removed {
    fn decode(o: &Obj) -> Option<Self> {
        Some(Self { id: o.str("id") })
    }
}

/// The JSON body of a message as `POST /api/v1/messages` expects it.
pub fn message_body(r: &MessageRequest) -> String {
    let c = &r.context;
    Out::new()
        .set("token", r.token.as_str())
        .set("idempotency_key", r.idempotency_key.as_str())
        .set("category", r.category.as_str())
        .set("message", r.message.as_str())
        .maybe("reply_email", r.reply_email.clone())
        .maybe("name", r.name.clone())
        .set("consent", r.consent)
        .set("website", r.website.as_str())
        .set("wants_confirmation", r.wants_confirmation)
        .nest(
            "context",
            Out::new()
                .maybe("leika", c.leika.clone())
                .maybe("ars", c.ars.clone())
                .maybe("form_step", c.form_step.clone())
                .maybe("error_code", c.error_code.clone())
                .maybe("page_path", c.page_path.clone()),
        )
        .set("lang", r.lang.as_str())
        .text()
}
