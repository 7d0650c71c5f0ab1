//! Public holidays (gesetzliche Feiertage) per Land, computed rather than stored, so that opening
//! hours can say "closed today: Reformationstag" without anyone maintaining a calendar.
//!
//! The rules follow the current Feiertagsgesetze of the Länder. Holidays that were introduced
//! later only count from their first year; earlier years are computed with the current rules
//! otherwise (for example Buß- und Bettag is not a holiday outside Sachsen before 1995 either).
//!
//! | Holiday                          | Date                      | Where                                         | Supported |
//! |----------------------------------|---------------------------|-----------------------------------------------|-----------|
//! | Neujahr                          | 1 Jan                     | everywhere                                    | yes |
//! | Heilige Drei Könige              | 6 Jan                     | BW, BY, ST                                    | yes |
//! | Internationaler Frauentag        | 8 Mar                     | BE (since 2019), MV (since 2023)              | yes |
//! | Karfreitag                       | Easter − 2                | everywhere                                    | yes |
//! | Ostersonntag                     | Easter                    | BB                                            | yes |
//! | Ostermontag                      | Easter + 1                | everywhere                                    | yes |
//! | Tag der Arbeit                   | 1 May                     | everywhere                                    | yes |
//! | Tag der Befreiung                | 8 May                     | BE, one-off in 2020 and 2025                  | yes |
//! | Christi Himmelfahrt              | Easter + 39               | everywhere                                    | yes |
//! | Pfingstsonntag                   | Easter + 49               | BB                                            | yes |
//! | Pfingstmontag                    | Easter + 50               | everywhere                                    | yes |
//! | Fronleichnam                     | Easter + 60               | BW, BY, HE, NW, RP, SL                        | yes |
//! | Fronleichnam                     | Easter + 60               | some Gemeinden in SN and TH                   | **no** |
//! | Augsburger Friedensfest          | 8 Aug                     | city of Augsburg (ARS prefix `09761`)         | yes |
//! | Mariä Himmelfahrt                | 15 Aug                    | SL                                            | yes |
//! | Mariä Himmelfahrt                | 15 Aug                    | predominantly Catholic Gemeinden in BY        | **no** |
//! | Weltkindertag                    | 20 Sep                    | TH (since 2019)                               | yes |
//! | Tag der Deutschen Einheit        | 3 Oct                     | everywhere (since 1990)                       | yes |
//! | Reformationstag                  | 31 Oct                    | BB, MV, SN, ST, TH; HB, HH, NI, SH since 2018; everywhere in 2017 (one-off) | yes |
//! | Allerheiligen                    | 1 Nov                     | BW, BY, NW, RP, SL                            | yes |
//! | Buß- und Bettag                  | last Wednesday before 23 Nov | SN                                         | yes |
//! | 1. and 2. Weihnachtstag          | 25 and 26 Dec             | everywhere                                    | yes |
//!
//! The unsupported ones apply to individual Gemeinden that no key in this module can identify
//! reliably (the lists change with the religious make-up of the population), so a contact in such
//! a Gemeinde that closes on that day needs a dated exception instead.
//!
//! Easter Sunday comes from the anonymous Gregorian computus (Meeus/Jones/Butcher), which is exact
//! for every Gregorian year.

use jiff::civil::Date;

use crate::domain::Ars;

/// A public holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// The calendar day.
    pub date: Date,
    /// The German name, as shown to people ("Tag der Deutschen Einheit").
    pub name: &'static str,
}

/// The Länder by their two-digit code in the ARS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Land {
    SH,
    HH,
    NI,
    HB,
    NW,
    HE,
    RP,
    BW,
    BY,
    SL,
    BE,
    BB,
    MV,
    SN,
    ST,
    TH,
}

impl Land {
    /// The Land of `region`, or `None` for the Bund.
    fn of(region: &Ars) -> Option<Land> {
        use Land::*;
        let land = match region.as_str().get(0..2)? {
            "01" => SH,
            "02" => HH,
            "03" => NI,
            "04" => HB,
            "05" => NW,
            "06" => HE,
            "07" => RP,
            "08" => BW,
            "09" => BY,
            "10" => SL,
            "11" => BE,
            "12" => BB,
            "13" => MV,
            "14" => SN,
            "15" => ST,
            "16" => TH,
            _ => return None,
        };
        Some(land)
    }
}

/// ARS prefix of the kreisfreie Stadt Augsburg (Land 09, Regierungsbezirk 7 Schwaben, Kreis 61):
/// the only place where the Augsburger Friedensfest is a public holiday.
const AUGSBURG_PREFIX: &str = "09761";

/// Easter Sunday of `year` in the Gregorian calendar, or `None` if the year lies outside the range
/// a [`Date`] can hold.
pub fn easter_sunday(year: i16) -> Option<Date> {
    // Anonymous Gregorian computus (Meeus/Jones/Butcher). Euclidean division keeps it total for
    // every year jiff can represent, although only Gregorian years are meaningful.
    let y = i32::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // `n / 31` is 3 or 4 and `n % 31 + 1` at most 31, so both fit an i8.
    let month = i8::try_from(n / 31).ok()?;
    let day = i8::try_from(n % 31 + 1).ok()?;
    Date::new(year, month, day).ok()
}

/// Buß- und Bettag of `year`: the last Wednesday strictly before 23 November.
fn buss_und_bettag(year: i16) -> Option<Date> {
    let nov_22 = Date::new(year, 11, 22).ok()?;
    // Monday is 1 … Sunday is 7; Wednesday is 3. Step back to the nearest Wednesday on or
    // before 22 November.
    let back = (i64::from(nov_22.weekday().to_monday_one_offset()) - 3).rem_euclid(7);
    nov_22.checked_sub(jiff::Span::new().days(back)).ok()
}

/// All statutory public holidays that apply to the whole of `region`'s Land in `year`, sorted by
/// date, plus the region-local ones this module supports (Augsburger Friedensfest, 8 August, only
/// in the city of Augsburg: ARS prefix `09761`). The Bund (`000000000000`) gets only the
/// nationwide holidays.
///
/// Years a [`Date`] cannot hold yield an empty list. When two holidays fall on the same day (for
/// example Christi Himmelfahrt on 1 May), both are listed.
pub fn holidays(region: &Ars, year: i16) -> Vec<Holiday> {
    use Land::*;

    let Some(easter) = easter_sunday(year) else {
        return Vec::new();
    };
    let land = Land::of(region);
    let in_any = |lands: &[Land]| land.is_some_and(|l| lands.contains(&l));

    let mut out = Vec::new();
    let mut fixed = |month: i8, day: i8, name: &'static str| {
        if let Ok(date) = Date::new(year, month, day) {
            out.push(Holiday { date, name });
        }
    };

    fixed(1, 1, "Neujahr");
    if in_any(&[BW, BY, ST]) {
        fixed(1, 6, "Heilige Drei Könige");
    }
    if (land == Some(BE) && year >= 2019) || (land == Some(MV) && year >= 2023) {
        fixed(3, 8, "Internationaler Frauentag");
    }
    fixed(5, 1, "Tag der Arbeit");
    // 75th and 80th anniversary of the end of the war in Europe; Berlin made each a one-off holiday.
    if land == Some(BE) && (year == 2020 || year == 2025) {
        fixed(5, 8, "Tag der Befreiung");
    }
    if region.as_str().starts_with(AUGSBURG_PREFIX) {
        fixed(8, 8, "Augsburger Friedensfest");
    }
    if land == Some(SL) {
        fixed(8, 15, "Mariä Himmelfahrt");
    }
    if land == Some(TH) && year >= 2019 {
        fixed(9, 20, "Weltkindertag");
    }
    if year >= 1990 {
        fixed(10, 3, "Tag der Deutschen Einheit");
    }
    // The 500th anniversary of the Reformation in 2017 was a holiday in every Land; the four
    // northern Länder then made it permanent from 2018.
    if in_any(&[BB, MV, SN, ST, TH]) || (in_any(&[HB, HH, NI, SH]) && year >= 2018) || year == 2017
    {
        fixed(10, 31, "Reformationstag");
    }
    if in_any(&[BW, BY, NW, RP, SL]) {
        fixed(11, 1, "Allerheiligen");
    }
    fixed(12, 25, "1. Weihnachtstag");
    fixed(12, 26, "2. Weihnachtstag");

    let mut movable = |days_after_easter: i64, name: &'static str| {
        if let Ok(date) = easter.checked_add(jiff::Span::new().days(days_after_easter)) {
            out.push(Holiday { date, name });
        }
    };
    movable(-2, "Karfreitag");
    if land == Some(BB) {
        movable(0, "Ostersonntag");
    }
    movable(1, "Ostermontag");
    movable(39, "Christi Himmelfahrt");
    if land == Some(BB) {
        movable(49, "Pfingstsonntag");
    }
    movable(50, "Pfingstmontag");
    if in_any(&[BW, BY, HE, NW, RP, SL]) {
        movable(60, "Fronleichnam");
    }

    if land == Some(SN)
        && let Some(date) = buss_und_bettag(year)
    {
        out.push(Holiday {
            date,
            name: "Buß- und Bettag",
        });
    }

    // Stable sort: holidays on the same day keep the order above (fixed before movable).
    out.sort_by_key(|h| h.date);
    out
}

/// The holiday on `date` in `region`, if any. If two holidays coincide, the one listed first by
/// [`holidays`] is returned.
pub fn holiday_on(region: &Ars, date: Date) -> Option<Holiday> {
    holidays(region, date.year())
        .into_iter()
        .find(|h| h.date == date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ars(s: &str) -> Ars {
        s.parse().expect("test ARS is valid")
    }

    /// The Land-level ARS for a two-digit Land code.
    fn land(code: &str) -> Ars {
        ars(&format!("{code}0000000000"))
    }

    fn names_on(region: &Ars, d: Date) -> Option<&'static str> {
        holiday_on(region, d).map(|h| h.name)
    }

    #[test]
    fn easter_sunday_matches_known_dates() {
        for (year, expected) in [
            (2024, date(2024, 3, 31)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 5)),
            (2027, date(2027, 3, 28)),
            (2000, date(2000, 4, 23)),
            (2038, date(2038, 4, 25)),
            (2008, date(2008, 3, 23)),
            (1818, date(1818, 3, 22)),
        ] {
            assert_eq!(easter_sunday(year), Some(expected), "Easter {year}");
        }
    }

    #[test]
    fn movable_feasts_follow_easter() {
        let nw = land("05");
        assert_eq!(names_on(&nw, date(2026, 4, 3)), Some("Karfreitag"));
        assert_eq!(names_on(&nw, date(2026, 4, 6)), Some("Ostermontag"));
        assert_eq!(
            names_on(&nw, date(2026, 5, 14)),
            Some("Christi Himmelfahrt")
        );
        assert_eq!(names_on(&nw, date(2026, 5, 25)), Some("Pfingstmontag"));
        assert_eq!(names_on(&nw, date(2026, 6, 4)), Some("Fronleichnam"));
        assert_eq!(
            names_on(&nw, date(2026, 4, 5)),
            None,
            "Ostersonntag only in BB"
        );
    }

    #[test]
    fn brandenburg_has_easter_and_whit_sunday() {
        let bb = land("12");
        assert_eq!(names_on(&bb, date(2026, 4, 5)), Some("Ostersonntag"));
        assert_eq!(names_on(&bb, date(2026, 5, 24)), Some("Pfingstsonntag"));
    }

    #[test]
    fn buss_und_bettag_is_the_last_wednesday_before_23_november_in_sachsen_only() {
        let sn = land("14");
        let be = land("11");
        assert_eq!(names_on(&sn, date(2025, 11, 19)), Some("Buß- und Bettag"));
        assert_eq!(names_on(&sn, date(2026, 11, 18)), Some("Buß- und Bettag"));
        // 22 November 2023 is itself a Wednesday, so it is the day.
        assert_eq!(names_on(&sn, date(2023, 11, 22)), Some("Buß- und Bettag"));
        // 23 November 2022 is a Wednesday, but "before 23 November" is strict.
        assert_eq!(names_on(&sn, date(2022, 11, 16)), Some("Buß- und Bettag"));
        assert_eq!(names_on(&sn, date(2022, 11, 23)), None);
        assert_eq!(names_on(&be, date(2025, 11, 19)), None);
    }

    #[test]
    fn reformationstag_is_a_holiday_in_the_north_since_2018() {
        let ni = land("03");
        assert_eq!(names_on(&ni, date(2016, 10, 31)), None);
        assert_eq!(names_on(&ni, date(2018, 10, 31)), Some("Reformationstag"));
        assert_eq!(names_on(&ni, date(2026, 10, 31)), Some("Reformationstag"));
        assert_eq!(
            names_on(&land("14"), date(2016, 10, 31)),
            Some("Reformationstag")
        );
    }

    #[test]
    fn reformationstag_2017_was_a_holiday_everywhere() {
        assert_eq!(
            names_on(&land("09"), date(2017, 10, 31)),
            Some("Reformationstag")
        );
        assert_eq!(
            names_on(&Ars::BUND, date(2017, 10, 31)),
            Some("Reformationstag")
        );
        assert_eq!(names_on(&land("09"), date(2018, 10, 31)), None);
    }

    #[test]
    fn frauentag_is_a_holiday_in_berlin_since_2019_and_in_mecklenburg_vorpommern_since_2023() {
        let be = land("11");
        let mv = land("13");
        assert_eq!(names_on(&be, date(2018, 3, 8)), None);
        assert_eq!(
            names_on(&be, date(2019, 3, 8)),
            Some("Internationaler Frauentag")
        );
        assert_eq!(names_on(&mv, date(2022, 3, 8)), None);
        assert_eq!(
            names_on(&mv, date(2023, 3, 8)),
            Some("Internationaler Frauentag")
        );
        assert_eq!(names_on(&land("12"), date(2023, 3, 8)), None);
    }

    #[test]
    fn tag_der_befreiung_was_a_one_off_in_berlin_in_2020_and_2025() {
        let be = land("11");
        assert_eq!(names_on(&be, date(2020, 5, 8)), Some("Tag der Befreiung"));
        assert_eq!(names_on(&be, date(2025, 5, 8)), Some("Tag der Befreiung"));
        assert_eq!(names_on(&be, date(2026, 5, 8)), None);
        assert_eq!(names_on(&land("12"), date(2025, 5, 8)), None);
    }

    #[test]
    fn weltkindertag_is_a_holiday_in_thueringen_since_2019() {
        let th = land("16");
        assert_eq!(names_on(&th, date(2018, 9, 20)), None);
        assert_eq!(names_on(&th, date(2019, 9, 20)), Some("Weltkindertag"));
        assert_eq!(names_on(&land("14"), date(2019, 9, 20)), None);
    }

    #[test]
    fn fronleichnam_is_a_holiday_in_nordrhein_westfalen_but_not_in_bremen() {
        assert_eq!(
            names_on(&land("05"), date(2025, 6, 19)),
            Some("Fronleichnam")
        );
        assert_eq!(names_on(&land("04"), date(2025, 6, 19)), None);
        // Only in some Gemeinden there, which is not supported.
        assert_eq!(names_on(&land("14"), date(2025, 6, 19)), None);
    }

    #[test]
    fn augsburg_has_the_friedensfest_but_muenchen_does_not() {
        let augsburg = ars("097610000000");
        let muenchen = ars("091620000000");
        assert_eq!(
            names_on(&augsburg, date(2026, 8, 8)),
            Some("Augsburger Friedensfest")
        );
        assert_eq!(names_on(&muenchen, date(2026, 8, 8)), None);
        assert_eq!(names_on(&land("09"), date(2026, 8, 8)), None);
        // Mariä Himmelfahrt is only supported statewide in the Saarland.
        assert_eq!(names_on(&muenchen, date(2026, 8, 15)), None);
        assert_eq!(
            names_on(&land("10"), date(2026, 8, 15)),
            Some("Mariä Himmelfahrt")
        );
    }

    #[test]
    fn the_bund_has_exactly_the_nine_nationwide_holidays_in_2026() {
        let names: Vec<_> = holidays(&Ars::BUND, 2026).iter().map(|h| h.name).collect();
        assert_eq!(
            names,
            [
                "Neujahr",
                "Karfreitag",
                "Ostermontag",
                "Tag der Arbeit",
                "Christi Himmelfahrt",
                "Pfingstmontag",
                "Tag der Deutschen Einheit",
                "1. Weihnachtstag",
                "2. Weihnachtstag",
            ]
        );
    }

    #[test]
    fn each_land_has_its_number_of_holidays_in_2026() {
        for (code, expected) in [
            ("01", 10), // SH: + Reformationstag
            ("02", 10), // HH: + Reformationstag
            ("03", 10), // NI: + Reformationstag
            ("04", 10), // HB: + Reformationstag
            ("05", 11), // NW: + Fronleichnam, Allerheiligen
            ("06", 10), // HE: + Fronleichnam
            ("07", 11), // RP: + Fronleichnam, Allerheiligen
            ("08", 12), // BW: + Hl. Drei Könige, Fronleichnam, Allerheiligen
            ("09", 12), // BY: + Hl. Drei Könige, Fronleichnam, Allerheiligen
            ("10", 12), // SL: + Fronleichnam, Mariä Himmelfahrt, Allerheiligen
            ("11", 10), // BE: + Frauentag
            ("12", 12), // BB: + Ostersonntag, Pfingstsonntag, Reformationstag
            ("13", 11), // MV: + Frauentag, Reformationstag
            ("14", 11), // SN: + Reformationstag, Buß- und Bettag
            ("15", 11), // ST: + Hl. Drei Könige, Reformationstag
            ("16", 11), // TH: + Weltkindertag, Reformationstag
        ] {
            assert_eq!(holidays(&land(code), 2026).len(), expected, "Land {code}");
        }
        assert_eq!(holidays(&ars("097610000000"), 2026).len(), 13, "Augsburg");
        assert_eq!(holidays(&land("11"), 2025).len(), 11, "Berlin 2025");
    }

    #[test]
    fn holidays_are_sorted_by_date() {
        let list = holidays(&land("12"), 2026);
        assert!(list.windows(2).all(|w| w[0].date <= w[1].date));
        assert_eq!(list.first().map(|h| h.name), Some("Neujahr"));
        assert_eq!(list.last().map(|h| h.name), Some("2. Weihnachtstag"));
    }

    #[test]
    fn a_gemeinde_gets_the_holidays_of_its_land() {
        // Leipzig, Stadt (Sachsen).
        let leipzig = ars("147130000000");
        assert_eq!(holidays(&leipzig, 2026), holidays(&land("14"), 2026));
    }
}
