//! Domain keys that can only hold valid values: [`Ars`] and [`LeikaKey`].
//!
//! Requests and imports parse strings into these at the edge; everything behind works with
//! keys that are known to be well-formed.

use std::fmt;
use std::str::FromStr;

/// Amtlicher Regionalschlüssel: 12 digits — Land (2), Regierungsbezirk (1), Kreis (2),
/// Gemeindeverband (4), Gemeinde (3). Higher levels are zero-padded: Bund is `000000000000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ars([u8; 12]);

/// Why a string is not an ARS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid ARS (Amtlicher Regionalschlüssel): {reason}.")]
pub struct ArsError {
    value: String,
    reason: &'static str,
}

/// Digit ranges of the ARS parts, from the most specific (Gemeinde) to the Land.
const PARTS_BOTTOM_UP: [std::ops::Range<usize>; 5] = [9..12, 5..9, 3..5, 2..3, 0..2];

impl Ars {
    /// The Federation, root of the hierarchy.
    pub const BUND: Ars = Ars([b'0'; 12]);

    /// The key as its 12-digit string.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("only ASCII digits are stored")
    }

    /// This region followed by every region above it, most specific first, ending with the
    /// Bund: Gemeinde → Gemeindeverband → Kreis → Regierungsbezirk → Land → Bund. Levels that
    /// are already zero in this key are skipped, so no key appears twice.
    pub fn ancestors(&self) -> impl Iterator<Item = Ars> {
        let mut chain = vec![*self];
        let mut current = *self;
        for part in PARTS_BOTTOM_UP {
            current.0[part].fill(b'0');
            if chain.last() != Some(&current) {
                chain.push(current);
            }
        }
        chain.into_iter()
    }

    /// The Land this region lies in (`None` for the Bund).
    pub fn land(&self) -> Option<Ars> {
        let mut land = Ars::BUND;
        land.0[0..2].copy_from_slice(&self.0[0..2]);
        (land != Ars::BUND).then_some(land)
    }
}

/// An ARS prefix as filters and scopes use it: 2 to 12 digits (`04` the Land Bremen,
/// `09184` a Kreis, a whole 12-digit ARS one place). Returned as given.
pub fn ars_prefix(value: &str) -> Result<String, ArsError> {
    let reason = if !(2..=12).contains(&value.len()) {
        Some("an ARS prefix has 2 to 12 digits, e.g. 04 for the Land Bremen")
    } else if !value.bytes().all(|b| b.is_ascii_digit()) {
        Some("an ARS prefix has digits only")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(ArsError {
            value: value.chars().take(20).collect(),
            reason,
        }),
        // The Land part must exist: padded with zeros it is a valid ARS.
        None => format!("{value:0<12}")
            .parse::<Ars>()
            .map(|_| value.to_string()),
    }
}

impl FromStr for Ars {
    type Err = ArsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| ArsError {
            value: s.chars().take(40).collect(),
            reason,
        };
        let bytes: [u8; 12] = s
            .as_bytes()
            .try_into()
            .map_err(|_| err("it must have exactly 12 digits"))?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(err("it may contain digits only"));
        }
        let land = (bytes[0] - b'0') * 10 + (bytes[1] - b'0');
        if land > 16 {
            return Err(err("the first two digits name a Land and must be 01 to 16"));
        }
        if land == 0 && bytes.iter().any(|b| *b != b'0') {
            return Err(err("a region below the Bund needs a Land (01 to 16)"));
        }
        Ok(Ars(bytes))
    }
}

impl fmt::Display for Ars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Leistungsschlüssel of the LeiKa (Leistungskatalog): 14 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeikaKey([u8; 14]);

/// Why a string is not a LeiKa key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid LeiKa key (Leistungsschlüssel): it must have exactly 14 digits.")]
pub struct LeikaError {
    value: String,
}

impl LeikaKey {
    /// The key as its 14-digit string.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("only ASCII digits are stored")
    }
}

impl FromStr for LeikaKey {
    type Err = LeikaError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes: Option<[u8; 14]> = s.as_bytes().try_into().ok();
        match bytes {
            Some(bytes) if bytes.iter().all(u8::is_ascii_digit) => Ok(LeikaKey(bytes)),
            _ => Err(LeikaError {
                value: s.chars().take(40).collect(),
            }),
        }
    }
}

impl fmt::Display for LeikaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ars(s: &str) -> Ars {
        s.parse().expect("valid ARS in test")
    }

    #[test]
    fn gemeinde_walks_up_through_every_level_to_the_bund() {
        let chain: Vec<String> = ars("010515163003")
            .ancestors()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(
            chain,
            [
                "010515163003",
                "010515163000",
                "010510000000",
                "010000000000",
                "000000000000"
            ]
        );
    }

    #[test]
    fn levels_that_are_already_zero_are_not_repeated() {
        let chain: Vec<String> = ars("040110000000")
            .ancestors()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(chain, ["040110000000", "040000000000", "000000000000"]);
        assert_eq!(Ars::BUND.ancestors().count(), 1);
    }

    #[test]
    fn regierungsbezirk_is_its_own_level() {
        let chain: Vec<String> = ars("091620000000")
            .ancestors()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(
            chain,
            [
                "091620000000",
                "091000000000",
                "090000000000",
                "000000000000"
            ]
        );
    }

    #[test]
    fn malformed_keys_are_rejected_with_a_reason() {
        for (input, reason) in [
            ("04011000000", "exactly 12 digits"),
            ("0401100000000", "exactly 12 digits"),
            ("04011000000x", "digits only"),
            ("170000000000", "01 to 16"),
            ("000110000000", "needs a Land"),
            ("", "exactly 12 digits"),
        ] {
            let err = input.parse::<Ars>().expect_err(input).to_string();
            assert!(err.contains(reason), "{input}: {err}");
        }
    }

    #[test]
    fn land_is_taken_from_the_first_two_digits() {
        assert_eq!(ars("040110000000").land(), Some(ars("040000000000")));
        assert_eq!(Ars::BUND.land(), None);
    }

    #[test]
    fn leika_keys_have_fourteen_digits() {
        assert_eq!(
            "99041006017000".parse::<LeikaKey>().map(|k| k.to_string()),
            Ok("99041006017000".to_string())
        );
        assert!("9904100601700".parse::<LeikaKey>().is_err());
        assert!("99041006017a00".parse::<LeikaKey>().is_err());
        // Multi-byte input of the right byte length must not slip through.
        assert!("ä9041006017000".parse::<LeikaKey>().is_err());
    }
}
