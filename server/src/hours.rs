//! Opening-hours evaluation: is a contact reachable at a given instant, and when does that change?
//!
//! All times in the data are civil (wall-clock) times in Europe/Berlin on a calendar day. For one
//! day the ranges in force are, in this order of precedence:
//!
//! 1. the [`DatedHours`] exception for that date, if any (no ranges = closed all day);
//! 2. nothing, if the schedule closes on public holidays and [`holidays::holiday_on`] knows one;
//! 3. the weekly ranges for that weekday.
//!
//! A day may have several ranges (a lunch break), in any order. `closes` is exclusive and may be
//! `24:00` for "until midnight"; a range never crosses midnight, so an overnight service is two
//! ranges on consecutive days. Ranges are turned into instants and merged where they touch, which
//! makes 22:00–24:00 followed by 00:00–06:00 one continuous opening.
//!
//! Civil times are turned into instants with jiff's "compatible" disambiguation (the same as
//! RFC 5545 and `java.time`): a wall-clock time that does not exist on the spring-forward day
//! (02:00–03:00) is moved forward by the gap, so 02:30 becomes 03:30 CEST; a time that occurs
//! twice on the fall-back day (02:00–03:00) means its first occurrence, in CEST. A range that ends
//! up empty by this is skipped.
//!
//! Stored times are validated on import with [`parse_hhmm`]; if an invalid one slips through anyway
//! the range is skipped here rather than failing the request.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::domain::Ars;
use crate::holidays::{self, Holiday};

/// A dated deviation from the weekly hours: closed all day (empty `ranges`) or special hours.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DatedHours {
    /// The calendar day, serialised as `YYYY-MM-DD`.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// The hours on that day; empty means closed all day.
    #[serde(default)]
    pub ranges: Vec<TimeRange>,
    /// Why, for display ("Betriebsausflug").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One opening range on a day, in wall-clock time in Europe/Berlin (`closes` exclusive;
/// `24:00` means until the end of the day). The wire type, so exports and answers share it.
pub use wire::TimeRange;

/// Everything needed to say whether a contact is reachable.
#[derive(Debug, Clone)]
pub struct Schedule<'a> {
    /// The regular hours per weekday.
    pub weekly: &'a [wire::WeeklyHours],
    /// Dated deviations; they win over holidays and the weekly hours.
    pub exceptions: &'a [DatedHours],
    /// Whether the contact is closed on the public holidays of `region`.
    pub closes_on_holidays: bool,
    /// Where the contact is, which decides the public holidays.
    pub region: Ars,
}

/// Result of evaluating a schedule at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    /// Whether the contact is open at the instant asked about.
    pub open_now: bool,
    /// The next instant the state flips (opens if closed, closes if open), within the next 14
    /// days; `None` if it never changes in that window (e.g. no hours at all). In Europe/Berlin.
    pub next_change: Option<Zoned>,
    /// Why it is closed today if a holiday or dated exception closes the whole day, for display:
    /// the exception's note, else the holiday's name. A holiday on a day the contact is closed
    /// anyway (Reformationstag on a Saturday for a Mo–Fr office) gives none. `None` while open.
    pub closed_reason: Option<String>,
}

/// A wall-clock time as written in opening hours, `00:00` to `24:00`.
///
/// `24:00` is not a [`Time`], so it is its own variant; the derived order puts it after every
/// other time of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClockTime {
    /// A time within the day, `00:00` to `23:59`.
    At(Time),
    /// `24:00`: the end of the day, i.e. midnight at the start of the next day.
    EndOfDay,
}

/// How far ahead [`availability`] looks for the next change.
const HORIZON_DAYS: i64 = 14;

/// Europe/Berlin from the bundled tz database.
pub fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").expect("Europe/Berlin is in the bundled tz database")
}

/// Parses `HH:MM` with exactly two digits each, from `00:00` to `24:00` (`24:00` only as a closing
/// time, see [`parse_range`]). Used to validate imported data; the error message is for a person.
pub fn parse_hhmm(s: &str) -> Result<ClockTime, String> {
    let shown: String = s.chars().take(20).collect();
    let bytes = s.as_bytes();
    let well_formed = bytes.len() == 5
        && bytes[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit());
    if !well_formed {
        return Err(format!(
            "`{shown}` is not a time: write it as HH:MM with two digits each, e.g. 08:00."
        ));
    }
    let two = |i: usize| (bytes[i] - b'0') * 10 + (bytes[i + 1] - b'0');
    let (hour, minute) = (two(0), two(3));
    if minute > 59 {
        return Err(format!(
            "`{shown}` is not a time: minutes go from 00 to 59."
        ));
    }
    match hour {
        // Both are below 24 and 60, so they fit an i8 and make a valid time.
        0..=23 => Time::new(hour as i8, minute as i8, 0, 0)
            .map(ClockTime::At)
            .map_err(|e| format!("`{shown}` is not a time: {e}.")),
        24 if minute == 0 => Ok(ClockTime::EndOfDay),
        _ => Err(format!(
            "`{shown}` is not a time: hours go from 00 to 23, or 24:00 for the end of the day."
        )),
    }
}

/// Parses and checks one range: `opens` must be a time within the day and before `closes`.
pub fn parse_range(opens: &str, closes: &str) -> Result<(Time, ClockTime), String> {
    let ClockTime::At(start) = parse_hhmm(opens)? else {
        return Err("A range cannot open at 24:00; use 00:00 on the next day.".to_owned());
    };
    let end = parse_hhmm(closes)?;
    if end <= ClockTime::At(start) {
        return Err(format!(
            "The range {opens}–{closes} closes before it opens; a range cannot cross midnight, \
             so split it at 24:00 / 00:00."
        ));
    }
    Ok((start, end))
}

/// Whether `schedule` is open at `now`, when that changes next, and why today is closed.
pub fn availability(schedule: &Schedule<'_>, now: Timestamp) -> Availability {
    let tz = berlin();
    let today = tz.to_datetime(now).date();
    let mut days = DayRanges::new(schedule);

    // Yesterday is included so that an opening running up to midnight merges with today's; the
    // last day lies beyond the horizon, so an opening cut off there ends after the horizon too.
    let mut intervals = Vec::new();
    let mut date = today.yesterday().unwrap_or(today);
    for _ in 0..=HORIZON_DAYS + 2 {
        intervals.extend(
            days.day(date)
                .ranges
                .into_iter()
                .filter_map(|(start, end)| to_interval(&tz, date, start, end)),
        );
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    let merged = merge(intervals);

    let horizon = now
        .checked_add(SignedDuration::from_hours(24 * HORIZON_DAYS))
        .unwrap_or(Timestamp::MAX);
    let current = merged.iter().find(|(s, e)| *s <= now && now < *e);
    let open_now = current.is_some();
    let flip = match current {
        Some((_, end)) => Some(*end),
        None => merged.iter().map(|(s, _)| *s).find(|s| *s > now),
    };
    let next_change = flip
        .filter(|t| *t <= horizon)
        .map(|t| t.to_zoned(tz.clone()));

    let closed_reason = if open_now {
        None
    } else {
        let today = days.day(today);
        if today.ranges.is_empty() {
            today.note
        } else {
            None
        }
    };

    Availability {
        open_now,
        next_change,
        closed_reason,
    }
}

/// The hours that really apply on each of `days` calendar days starting with today (in
/// Europe/Berlin at `now`): exceptions and holidays applied, invalid ranges dropped, ranges sorted
/// and written as `HH:MM`. A day's note is the exception's note, or the holiday's name when the
/// holiday closes a day that usually has hours.
pub fn week(schedule: &Schedule<'_>, now: Timestamp, days: usize) -> Vec<wire::DayHours> {
    let mut ranges = DayRanges::new(schedule);
    let mut date = berlin().to_datetime(now).date();
    let mut out = Vec::with_capacity(days);
    for _ in 0..days {
        let day = ranges.day(date);
        out.push(wire::DayHours {
            date: date.to_string(),
            day: wire_weekday(date.weekday()),
            ranges: day
                .ranges
                .iter()
                .map(|(opens, closes)| wire::TimeRange {
                    opens: ClockTime::At(*opens).to_string(),
                    closes: closes.to_string(),
                })
                .collect(),
            note: day.note,
        });
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    out
}

impl std::fmt::Display for ClockTime {
    /// `HH:MM`, and `24:00` for the end of the day.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClockTime::At(t) => write!(f, "{:02}:{:02}", t.hour(), t.minute()),
            ClockTime::EndOfDay => f.write_str("24:00"),
        }
    }
}

/// The valid ranges of one day, sorted, and a note when the day deviates from the weekly hours.
#[derive(Debug)]
struct Day {
    ranges: Vec<(Time, ClockTime)>,
    note: Option<String>,
}

/// Works out the ranges of a day, remembering the holidays of the last year asked about so that a
/// two-week window does not recompute them for every day.
#[derive(Debug)]
struct DayRanges<'s, 'a> {
    schedule: &'s Schedule<'a>,
    holidays: Option<(i16, Vec<Holiday>)>,
}

impl<'s, 'a> DayRanges<'s, 'a> {
    fn new(schedule: &'s Schedule<'a>) -> Self {
        Self {
            schedule,
            holidays: None,
        }
    }

    fn holiday_on(&mut self, date: Date) -> Option<Holiday> {
        let year = date.year();
        if self.holidays.as_ref().is_none_or(|(y, _)| *y != year) {
            self.holidays = Some((year, holidays::holidays(&self.schedule.region, year)));
        }
        let (_, list) = self.holidays.as_ref()?;
        list.iter().find(|h| h.date == date).copied()
    }

    fn day(&mut self, date: Date) -> Day {
        fn valid<'r>(pairs: impl Iterator<Item = (&'r str, &'r str)>) -> Vec<(Time, ClockTime)> {
            let mut ranges: Vec<_> = pairs
                .filter_map(|(opens, closes)| parse_range(opens, closes).ok())
                .collect();
            ranges.sort();
            ranges
        }

        if let Some(exception) = self.schedule.exceptions.iter().find(|e| e.date == date) {
            let ranges = valid(
                exception
                    .ranges
                    .iter()
                    .map(|r| (r.opens.as_str(), r.closes.as_str())),
            );
            // A closure without a note on a holiday is explained by the holiday.
            let note = match &exception.note {
                Some(note) => Some(note.clone()),
                None if ranges.is_empty() => self.holiday_on(date).map(|h| h.name.to_owned()),
                None => None,
            };
            return Day { ranges, note };
        }

        let weekday = wire_weekday(date.weekday());
        let weekly = valid(
            self.schedule
                .weekly
                .iter()
                .filter(|h| h.day == weekday)
                .map(|h| (h.opens.as_str(), h.closes.as_str())),
        );
        if self.schedule.closes_on_holidays
            && let Some(holiday) = self.holiday_on(date)
        {
            // Only worth mentioning if the contact would have been open that day.
            let note = (!weekly.is_empty()).then(|| holiday.name.to_owned());
            return Day {
                ranges: Vec::new(),
                note,
            };
        }
        Day {
            ranges: weekly,
            note: None,
        }
    }
}

/// The instants a civil range on `date` covers, or `None` if it is empty after DST adjustment or
/// out of range for jiff.
fn to_interval(
    tz: &TimeZone,
    date: Date,
    opens: Time,
    closes: ClockTime,
) -> Option<(Timestamp, Timestamp)> {
    let instant = |d: Date, t: Time| {
        tz.to_ambiguous_timestamp(d.to_datetime(t))
            .compatible()
            .ok()
    };
    let start = instant(date, opens)?;
    let end = match closes {
        ClockTime::At(t) => instant(date, t)?,
        ClockTime::EndOfDay => instant(date.tomorrow().ok()?, Time::midnight())?,
    };
    (start < end).then_some((start, end))
}

/// Sorts intervals and joins those that overlap or touch.
fn merge(mut intervals: Vec<(Timestamp, Timestamp)>) -> Vec<(Timestamp, Timestamp)> {
    intervals.sort();
    let mut merged: Vec<(Timestamp, Timestamp)> = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn wire_weekday(day: jiff::civil::Weekday) -> wire::Weekday {
    use jiff::civil::Weekday as J;
    match day {
        J::Monday => wire::Weekday::Mon,
        J::Tuesday => wire::Weekday::Tue,
        J::Wednesday => wire::Weekday::Wed,
        J::Thursday => wire::Weekday::Thu,
        J::Friday => wire::Weekday::Fri,
        J::Saturday => wire::Weekday::Sat,
        J::Sunday => wire::Weekday::Sun,
    }
}

/// Serde for a [`Date`] as `YYYY-MM-DD`; jiff's own serde support is not enabled in this crate.
mod iso_date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let s = String::deserialize(deserializer)?;
        // jiff would also accept a full date-time here; a dated exception is a day, nothing more.
        if s.len() != 10 {
            return Err(D::Error::custom(format!(
                "`{s}` is not a date: write it as YYYY-MM-DD"
            )));
        }
        s.parse()
            .map_err(|e| D::Error::custom(format!("`{s}` is not a date: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use wire::{Weekday, WeeklyHours};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp is valid")
    }

    fn land(code: &str) -> Ars {
        format!("{code}0000000000")
            .parse()
            .expect("test ARS is valid")
    }

    fn hours(days: &[Weekday], opens: &str, closes: &str) -> Vec<WeeklyHours> {
        days.iter()
            .map(|&day| WeeklyHours {
                day,
                opens: opens.to_owned(),
                closes: closes.to_owned(),
            })
            .collect()
    }

    const WORKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    const EVERY_DAY: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn schedule<'a>(weekly: &'a [WeeklyHours], exceptions: &'a [DatedHours]) -> Schedule<'a> {
        Schedule {
            weekly,
            exceptions,
            closes_on_holidays: true,
            region: land("05"),
        }
    }

    /// `next_change` as RFC 9557 text, which shows the offset.
    fn next(a: &Availability) -> Option<String> {
        a.next_change.as_ref().map(|z| z.to_string())
    }

    #[test]
    fn open_on_a_winter_monday_morning_until_18_00_cet() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        // Monday 12 January 2026, 10:00 CET.
        let a = availability(&schedule(&weekly, &[]), ts("2026-01-12T09:00:00Z"));
        assert!(a.open_now);
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-01-12T18:00:00+01:00[Europe/Berlin]")
        );
        assert_eq!(a.closed_reason, None);
    }

    #[test]
    fn open_on_a_summer_monday_morning_until_18_00_cest() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        // Monday 13 July 2026, 10:00 CEST.
        let a = availability(&schedule(&weekly, &[]), ts("2026-07-13T08:00:00Z"));
        assert!(a.open_now);
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-07-13T18:00:00+02:00[Europe/Berlin]")
        );
    }

    #[test]
    fn closed_at_closing_time_exactly_and_opens_next_morning() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let a = availability(&schedule(&weekly, &[]), ts("2026-01-12T17:00:00Z"));
        assert!(!a.open_now);
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-01-13T08:00:00+01:00[Europe/Berlin]")
        );
        assert_eq!(a.closed_reason, None);
    }

    #[test]
    fn open_at_opening_time_exactly() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let a = availability(&schedule(&weekly, &[]), ts("2026-01-12T07:00:00Z"));
        assert!(a.open_now);
    }

    #[test]
    fn friday_evening_opens_again_on_monday() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        // Friday 16 January 2026, 19:00 CET.
        let a = availability(&schedule(&weekly, &[]), ts("2026-01-16T18:00:00Z"));
        assert!(!a.open_now);
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-01-19T08:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn lunch_break_is_closed_and_ranges_may_be_unsorted() {
        let mut weekly = hours(&WORKDAYS, "13:00", "16:00");
        weekly.extend(hours(&WORKDAYS, "08:00", "12:00"));
        let s = schedule(&weekly, &[]);

        let morning = availability(&s, ts("2026-01-12T10:00:00Z"));
        assert!(morning.open_now);
        assert_eq!(
            next(&morning).as_deref(),
            Some("2026-01-12T12:00:00+01:00[Europe/Berlin]")
        );

        let lunch = availability(&s, ts("2026-01-12T11:30:00Z"));
        assert!(!lunch.open_now);
        assert_eq!(
            next(&lunch).as_deref(),
            Some("2026-01-12T13:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn tag_der_deutschen_einheit_closes_in_every_land() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        // Friday 3 October 2025, 10:00 CEST.
        let now = ts("2025-10-03T08:00:00Z");
        for code in 1..=16 {
            let mut s = schedule(&weekly, &[]);
            s.region = land(&format!("{code:02}"));
            let a = availability(&s, now);
            assert!(!a.open_now, "Land {code:02}");
            assert_eq!(
                a.closed_reason.as_deref(),
                Some("Tag der Deutschen Einheit"),
                "Land {code:02}"
            );
            assert_eq!(
                next(&a).as_deref(),
                Some("2025-10-06T08:00:00+02:00[Europe/Berlin]"),
                "Land {code:02}"
            );
        }
    }

    #[test]
    fn holidays_do_not_close_a_contact_that_keeps_open_on_holidays() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let mut s = schedule(&weekly, &[]);
        s.closes_on_holidays = false;
        let a = availability(&s, ts("2025-10-03T08:00:00Z"));
        assert!(a.open_now);
        assert_eq!(a.closed_reason, None);
    }

    #[test]
    fn buss_und_bettag_closes_in_sachsen_but_not_in_bayern() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        // Wednesday 19 November 2025, 10:00 CET.
        let now = ts("2025-11-19T09:00:00Z");
        let mut s = schedule(&weekly, &[]);

        s.region = land("14");
        let sachsen = availability(&s, now);
        assert!(!sachsen.open_now);
        assert_eq!(sachsen.closed_reason.as_deref(), Some("Buß- und Bettag"));

        s.region = land("09");
        let bayern = availability(&s, now);
        assert!(bayern.open_now);
        assert_eq!(bayern.closed_reason, None);
    }

    #[test]
    fn a_dated_closure_closes_the_day_and_gives_its_note() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let exceptions = [DatedHours {
            date: date(2026, 1, 14),
            ranges: Vec::new(),
            note: Some("Betriebsausflug".to_owned()),
        }];
        let a = availability(&schedule(&weekly, &exceptions), ts("2026-01-14T09:00:00Z"));
        assert!(!a.open_now);
        assert_eq!(a.closed_reason.as_deref(), Some("Betriebsausflug"));
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-01-15T08:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn dated_special_hours_replace_the_weekly_hours() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let exceptions = [DatedHours {
            date: date(2026, 1, 14),
            ranges: vec![TimeRange {
                opens: "10:00".to_owned(),
                closes: "12:00".to_owned(),
            }],
            note: Some("Personalversammlung".to_owned()),
        }];
        let s = schedule(&weekly, &exceptions);

        let before = availability(&s, ts("2026-01-14T08:00:00Z"));
        assert!(!before.open_now);
        assert_eq!(
            next(&before).as_deref(),
            Some("2026-01-14T10:00:00+01:00[Europe/Berlin]")
        );
        assert_eq!(before.closed_reason, None, "not closed all day");

        let during = availability(&s, ts("2026-01-14T10:00:00Z"));
        assert!(during.open_now);
        assert_eq!(
            next(&during).as_deref(),
            Some("2026-01-14T12:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn a_dated_exception_can_open_on_a_holiday() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let exceptions = [DatedHours {
            date: date(2025, 10, 3),
            ranges: vec![TimeRange {
                opens: "09:00".to_owned(),
                closes: "13:00".to_owned(),
            }],
            note: None,
        }];
        let a = availability(&schedule(&weekly, &exceptions), ts("2025-10-03T08:00:00Z"));
        assert!(a.open_now);
        assert_eq!(
            next(&a).as_deref(),
            Some("2025-10-03T13:00:00+02:00[Europe/Berlin]")
        );
    }

    #[test]
    fn spring_forward_day_closes_at_04_00_cest() {
        let weekly = hours(&EVERY_DAY, "01:00", "04:00");
        let s = schedule(&weekly, &[]);
        // Sunday 29 March 2026, 01:30 CET (clocks jump from 02:00 CET to 03:00 CEST).
        let a = availability(&s, ts("2026-03-29T00:30:00Z"));
        assert!(a.open_now);
        let change = a.next_change.as_ref().map(Zoned::timestamp);
        assert_eq!(change, Some(ts("2026-03-29T02:00:00Z")));
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-03-29T04:00:00+02:00[Europe/Berlin]")
        );
        // Before opening, it opens at 01:00 CET.
        let early = availability(&s, ts("2026-03-28T23:30:00Z"));
        assert!(!early.open_now);
        assert_eq!(
            early.next_change.as_ref().map(Zoned::timestamp),
            Some(ts("2026-03-29T00:00:00Z"))
        );
    }

    #[test]
    fn fall_back_day_closes_at_04_00_cet() {
        let weekly = hours(&EVERY_DAY, "01:00", "04:00");
        let s = schedule(&weekly, &[]);
        // Sunday 25 October 2026, 02:30 CEST (first pass; clocks go from 03:00 CEST to 02:00 CET).
        let first = availability(&s, ts("2026-10-25T00:30:00Z"));
        assert!(first.open_now);
        assert_eq!(
            first.next_change.as_ref().map(Zoned::timestamp),
            Some(ts("2026-10-25T03:00:00Z"))
        );
        assert_eq!(
            next(&first).as_deref(),
            Some("2026-10-25T04:00:00+01:00[Europe/Berlin]")
        );
        // 02:30 CET, the second pass, is still open.
        let second = availability(&s, ts("2026-10-25T01:30:00Z"));
        assert!(second.open_now);
        // 01:00 that day is unambiguous CEST, i.e. 23:00Z the day before.
        let before = availability(&s, ts("2026-10-24T22:30:00Z"));
        assert!(!before.open_now);
        assert_eq!(
            before.next_change.as_ref().map(Zoned::timestamp),
            Some(ts("2026-10-24T23:00:00Z"))
        );
    }

    #[test]
    fn hours_that_fall_into_the_spring_forward_gap_do_not_open_that_day() {
        // 02:00–03:00 does not exist on Sunday 29 March 2026: both ends move forward to 03:00
        // CEST, the range is empty, and the day is skipped rather than opened for an hour.
        let weekly = hours(&EVERY_DAY, "02:00", "03:00");
        let s = schedule(&weekly, &[]);
        // Saturday 28 March, 02:30 CET: open in the ordinary way.
        let saturday = availability(&s, ts("2026-03-28T01:30:00Z"));
        assert!(saturday.open_now);
        assert_eq!(
            next(&saturday).as_deref(),
            Some("2026-03-28T03:00:00+01:00[Europe/Berlin]")
        );
        // After Saturday's hours the next opening is Monday 02:00 CEST, not Sunday.
        let after = availability(&s, ts("2026-03-28T03:00:00Z"));
        assert!(!after.open_now);
        assert_eq!(
            next(&after).as_deref(),
            Some("2026-03-30T02:00:00+02:00[Europe/Berlin]")
        );
        // Sunday 01:59 CET and 03:00 CEST, either side of the gap: closed.
        for now in ["2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z"] {
            let sunday = availability(&s, ts(now));
            assert!(!sunday.open_now, "{now}");
            assert_eq!(
                next(&sunday).as_deref(),
                Some("2026-03-30T02:00:00+02:00[Europe/Berlin]"),
                "{now}"
            );
        }
    }

    #[test]
    fn hours_in_the_repeated_autumn_hour_run_from_its_first_pass_to_the_end_of_its_second() {
        // 02:00–03:00 on Sunday 25 October 2026 opens at the first 02:00 (CEST, 00:00Z) and
        // closes at 03:00 CET (02:00Z), which comes only once: two hours in real time.
        let weekly = hours(&EVERY_DAY, "02:00", "03:00");
        let s = schedule(&weekly, &[]);
        // 01:59 CEST: about to open.
        let before = availability(&s, ts("2026-10-24T23:59:00Z"));
        assert!(!before.open_now);
        assert_eq!(
            next(&before).as_deref(),
            Some("2026-10-25T02:00:00+02:00[Europe/Berlin]")
        );
        // 02:30 CEST (first pass) and 02:30 CET (second pass): open until 03:00 CET.
        for now in ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"] {
            let open = availability(&s, ts(now));
            assert!(open.open_now, "{now}");
            assert_eq!(
                next(&open).as_deref(),
                Some("2026-10-25T03:00:00+01:00[Europe/Berlin]"),
                "{now}"
            );
        }
        // 03:00 CET: closed until Monday 02:00 CET.
        let after = availability(&s, ts("2026-10-25T02:00:00Z"));
        assert!(!after.open_now);
        assert_eq!(
            next(&after).as_deref(),
            Some("2026-10-26T02:00:00+01:00[Europe/Berlin]")
        );
        // The week's listing shows the civil hours as entered, also on the changeover day.
        let days = week(&s, ts("2026-10-25T00:30:00Z"), 1);
        assert_eq!(days[0].date, "2026-10-25");
        assert_eq!(
            (
                days[0].ranges[0].opens.as_str(),
                days[0].ranges[0].closes.as_str()
            ),
            ("02:00", "03:00")
        );
    }

    #[test]
    fn an_opening_across_midnight_changes_only_in_the_morning() {
        let mut weekly = hours(&[Weekday::Mon], "22:00", "24:00");
        weekly.extend(hours(&[Weekday::Tue], "00:00", "06:00"));
        let s = schedule(&weekly, &[]);
        // Monday 12 January 2026, 23:00 CET.
        let late = availability(&s, ts("2026-01-12T22:00:00Z"));
        assert!(late.open_now);
        assert_eq!(
            next(&late).as_deref(),
            Some("2026-01-13T06:00:00+01:00[Europe/Berlin]")
        );
        // Tuesday 03:00 CET, after the seam.
        let night = availability(&s, ts("2026-01-13T02:00:00Z"));
        assert!(night.open_now);
        assert_eq!(
            next(&night).as_deref(),
            Some("2026-01-13T06:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn always_open_has_no_change_within_the_horizon() {
        let weekly = hours(&EVERY_DAY, "00:00", "24:00");
        let mut s = schedule(&weekly, &[]);
        s.closes_on_holidays = false;
        let a = availability(&s, ts("2026-01-12T09:00:00Z"));
        assert!(a.open_now);
        assert_eq!(a.next_change, None);
    }

    #[test]
    fn no_hours_at_all_is_closed_without_a_next_change() {
        let a = availability(&schedule(&[], &[]), ts("2026-01-12T09:00:00Z"));
        assert!(!a.open_now);
        assert_eq!(a.next_change, None);
        assert_eq!(a.closed_reason, None);
    }

    #[test]
    fn invalid_stored_times_are_skipped() {
        let mut weekly = hours(&WORKDAYS, "8:00", "18:00");
        weekly.extend(hours(&WORKDAYS, "18:00", "08:00"));
        weekly.extend(hours(&WORKDAYS, "14:00", "16:00"));
        let a = availability(&schedule(&weekly, &[]), ts("2026-01-12T09:00:00Z"));
        assert!(!a.open_now);
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-01-12T14:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn parse_hhmm_accepts_times_of_day_and_24_00() {
        assert_eq!(parse_hhmm("00:00"), Ok(ClockTime::At(time(0, 0, 0, 0))));
        assert_eq!(parse_hhmm("08:05"), Ok(ClockTime::At(time(8, 5, 0, 0))));
        assert_eq!(parse_hhmm("23:59"), Ok(ClockTime::At(time(23, 59, 0, 0))));
        assert_eq!(parse_hhmm("24:00"), Ok(ClockTime::EndOfDay));
        assert!(ClockTime::At(time(23, 59, 0, 0)) < ClockTime::EndOfDay);
    }

    #[test]
    fn parse_hhmm_rejects_out_of_range_and_sloppy_times() {
        for bad in [
            "25:00",
            "24:01",
            "12:60",
            "8:00",
            "08:0",
            "0800",
            "08.00",
            "",
            " 08:00",
            "０８:00",
        ] {
            let err = parse_hhmm(bad).expect_err(bad);
            assert!(err.contains("is not a time"), "{bad}: {err}");
        }
    }

    #[test]
    fn parse_range_rejects_empty_inverted_and_midnight_opening_ranges() {
        assert_eq!(
            parse_range("22:00", "24:00"),
            Ok((time(22, 0, 0, 0), ClockTime::EndOfDay))
        );
        assert!(parse_range("18:00", "08:00").is_err());
        assert!(parse_range("08:00", "08:00").is_err());
        assert!(parse_range("24:00", "24:00").is_err());
    }

    #[test]
    fn dated_hours_serialise_the_date_as_yyyy_mm_dd() {
        let closed: DatedHours =
            serde_json::from_str(r#"{"date":"2026-12-24"}"#).expect("valid JSON");
        assert_eq!(closed.date, date(2026, 12, 24));
        assert!(closed.ranges.is_empty());
        assert_eq!(closed.note, None);
        assert_eq!(
            serde_json::to_string(&closed).expect("serialisable"),
            r#"{"date":"2026-12-24","ranges":[]}"#
        );
        assert!(serde_json::from_str::<DatedHours>(r#"{"date":"2026-12-24T10:00"}"#).is_err());
        assert!(serde_json::from_str::<DatedHours>(r#"{"date":"2026-02-30"}"#).is_err());
    }

    #[test]
    fn a_holiday_on_a_day_without_hours_gives_no_closed_reason() {
        let weekly = hours(&WORKDAYS, "08:00", "18:00");
        let mut s = schedule(&weekly, &[]);
        s.region = land("03");
        // Saturday 31 October 2026, Reformationstag in Niedersachsen, 10:00 CET.
        let a = availability(&s, ts("2026-10-31T09:00:00Z"));
        assert!(!a.open_now);
        assert_eq!(a.closed_reason, None);
        assert_eq!(
            next(&a).as_deref(),
            Some("2026-11-02T08:00:00+01:00[Europe/Berlin]")
        );
    }

    #[test]
    fn week_lists_the_hours_that_really_apply_from_today() {
        let mut weekly = hours(&WORKDAYS, "13:00", "18:00");
        weekly.extend(hours(&WORKDAYS, "08:00", "12:00"));
        weekly.extend(hours(&[Weekday::Sat], "22:00", "24:00"));
        let exceptions = [DatedHours {
            date: date(2025, 10, 7),
            ranges: Vec::new(),
            note: Some("Betriebsausflug".to_owned()),
        }];
        // Thursday 2 October 2025, 00:30 CEST: in UTC it is still the 1st.
        let days = week(
            &schedule(&weekly, &exceptions),
            ts("2025-10-01T22:30:00Z"),
            7,
        );
        let summary: Vec<(String, Weekday, Vec<String>, Option<String>)> = days
            .into_iter()
            .map(|d| {
                let ranges = d
                    .ranges
                    .iter()
                    .map(|r| format!("{}–{}", r.opens, r.closes))
                    .collect();
                (d.date, d.day, ranges, d.note)
            })
            .collect();
        let workday = || vec!["08:00–12:00".to_owned(), "13:00–18:00".to_owned()];
        assert_eq!(
            summary,
            [
                ("2025-10-02".to_owned(), Weekday::Thu, workday(), None),
                (
                    "2025-10-03".to_owned(),
                    Weekday::Fri,
                    vec![],
                    Some("Tag der Deutschen Einheit".to_owned())
                ),
                (
                    "2025-10-04".to_owned(),
                    Weekday::Sat,
                    vec!["22:00–24:00".to_owned()],
                    None
                ),
                ("2025-10-05".to_owned(), Weekday::Sun, vec![], None),
                ("2025-10-06".to_owned(), Weekday::Mon, workday(), None),
                (
                    "2025-10-07".to_owned(),
                    Weekday::Tue,
                    vec![],
                    Some("Betriebsausflug".to_owned())
                ),
                ("2025-10-08".to_owned(), Weekday::Wed, workday(), None),
            ]
        );
    }
}
