//! Turning the server's RFC 3339 instants (always Europe/Berlin wall time with offset) into
//! phrases in the widget's language. The server already did the time-zone work; the widget only reads the
//! digits, so it needs no time-zone data of its own.

use texts::Texts;
use wire::Weekday;

/// `YYYY-MM-DD` and `HH:MM` of an RFC 3339 string such as `2026-11-23T18:00:00+01:00`.
pub fn split(instant: &str) -> Option<(&str, &str)> {
    Some((instant.get(..10)?, instant.get(11..16)?))
}

/// "heute", "morgen" or "Mo, 06.10." (in the widget's language) for `date` relative to
/// `today` (both `YYYY-MM-DD`); the flag says whether it is today or tomorrow.
pub fn day_phrase(date: &str, today: &str, t: &Texts) -> (String, bool) {
    if date == today {
        return (t.today.into(), true);
    }
    if let (Some(d), Some(n)) = (day_number(date), day_number(today))
        && d == n + 1
    {
        return (t.tomorrow.into(), true);
    }
    let phrase = match (weekday(date), date.get(8..10), date.get(5..7)) {
        (Some(day), Some(dd), Some(mm)) => t.date(day as usize, dd, mm),
        _ => date.to_string(),
    };
    (phrase, false)
}

/// Days since 1970-01-01 for a `YYYY-MM-DD` date (proleptic Gregorian).
fn day_number(date: &str) -> Option<i64> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    // Days-from-civil: shift the year to start in March so leap days fall at its end.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The weekday of a `YYYY-MM-DD` date.
pub fn weekday(date: &str) -> Option<Weekday> {
    use Weekday::*;
    // 1970-01-01 was a Thursday.
    const DAYS: [Weekday; 7] = [Thu, Fri, Sat, Sun, Mon, Tue, Wed];
    let n = day_number(date)?;
    Some(DAYS[n.rem_euclid(7) as usize])
}
