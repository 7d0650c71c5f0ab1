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

// Pure functions of the digits: they run natively (`cargo test -p widget --lib`), no browser.
#[cfg(test)]
mod tests {
    use super::*;

    const T: &Texts = &texts::DE;

    fn phrase(date: &str, today: &str) -> (String, bool) {
        day_phrase(date, today, T)
    }

    #[test]
    fn the_same_day_is_today_and_the_next_one_tomorrow() {
        assert_eq!(phrase("2026-03-10", "2026-03-10"), ("heute".into(), true));
        assert_eq!(phrase("2026-03-11", "2026-03-10"), ("morgen".into(), true));
    }

    #[test]
    fn tomorrow_crosses_month_and_year_ends_and_leap_days() {
        for (today, tomorrow) in [
            ("2026-01-31", "2026-02-01"),
            ("2026-02-28", "2026-03-01"),
            ("2026-04-30", "2026-05-01"),
            ("2026-12-31", "2027-01-01"),
            ("2028-02-28", "2028-02-29"),
            ("2028-02-29", "2028-03-01"),
            ("2000-02-28", "2000-02-29"),
            ("2100-02-28", "2100-03-01"),
        ] {
            assert_eq!(
                phrase(tomorrow, today),
                ("morgen".into(), true),
                "{today} → {tomorrow}"
            );
        }
    }

    #[test]
    fn other_days_are_named_by_weekday_and_date() {
        // Two days on, across the end of a February without a leap day.
        assert_eq!(
            phrase("2026-03-01", "2026-02-27"),
            ("So, 01.03.".into(), false)
        );
        // The day after tomorrow, across the end of the year.
        assert_eq!(
            phrase("2027-01-02", "2026-12-31"),
            ("Sa, 02.01.".into(), false)
        );
        // Yesterday is not "tomorrow" backwards, and the same day a month later is not today.
        assert_eq!(
            phrase("2026-12-30", "2026-12-31"),
            ("Mi, 30.12.".into(), false)
        );
        assert_eq!(
            phrase("2026-11-30", "2026-10-30"),
            ("Mo, 30.11.".into(), false)
        );
        // The same day and month a year later.
        assert_eq!(
            phrase("2027-03-10", "2026-03-10"),
            ("Mi, 10.03.".into(), false)
        );
    }

    #[test]
    fn weekdays_are_right_across_leap_rules_and_before_1970() {
        use Weekday::*;
        for (date, day) in [
            ("1970-01-01", Thu),
            ("1969-12-31", Wed),
            ("2000-02-29", Tue),
            ("2026-03-29", Sun),
            ("2026-12-02", Wed),
            ("2100-03-01", Mon),
        ] {
            assert_eq!(weekday(date), Some(day), "{date}");
        }
    }

    #[test]
    fn a_date_that_is_not_one_is_shown_as_it_came() {
        assert_eq!(phrase("bald", "2026-03-10"), ("bald".into(), false));
        assert_eq!(weekday("2026-xx-01"), None);
    }

    #[test]
    fn split_reads_date_and_minutes_from_rfc_3339() {
        assert_eq!(
            split("2026-11-23T18:00:00+01:00"),
            Some(("2026-11-23", "18:00"))
        );
        assert_eq!(split("2026-11-23"), None);
    }
}
