//! Contact details as MoeGo resources store them: phone numbers in E.164 (`+12125551234`), so
//! that a number matches however it was typed, and checked email addresses. Customers, leads
//! and lookups share these rules.
//!
//! A number written with `+` (or an international call prefix, `00` / `011` from North
//! America) is international; any other number is read in the company's country. The country
//! table covers the calling codes and trunk prefixes of the countries MoeGo serves and their
//! neighbours; numbers of other countries are accepted in international form.

/// Why a phone number was refused; the message completes "phone: ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPhone(pub String);

impl std::fmt::Display for InvalidPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Calling code and national trunk prefix of a country (ISO 3166-1 alpha-2).
struct Dialing {
    iso: &'static str,
    calling_code: &'static str,
    /// The digit dialled before a national number inside the country ("0"), if any.
    trunk_prefix: Option<char>,
}

const fn d(iso: &'static str, calling_code: &'static str, trunk: Option<char>) -> Dialing {
    Dialing {
        iso,
        calling_code,
        trunk_prefix: trunk,
    }
}

/// North America first: it is the default when a company's country is unknown.
const COUNTRIES: &[Dialing] = &[
    d("US", "1", Some('1')),
    d("CA", "1", Some('1')),
    d("PR", "1", Some('1')),
    d("GB", "44", Some('0')),
    d("IE", "353", Some('0')),
    d("AU", "61", Some('0')),
    d("NZ", "64", Some('0')),
    d("DE", "49", Some('0')),
    d("FR", "33", Some('0')),
    d("ES", "34", None),
    d("IT", "39", None),
    d("PT", "351", None),
    d("NL", "31", Some('0')),
    d("BE", "32", Some('0')),
    d("CH", "41", Some('0')),
    d("AT", "43", Some('0')),
    d("SE", "46", Some('0')),
    d("NO", "47", None),
    d("DK", "45", None),
    d("FI", "358", Some('0')),
    d("PL", "48", None),
    d("MX", "52", None),
    d("BR", "55", Some('0')),
    d("AR", "54", Some('0')),
    d("JP", "81", Some('0')),
    d("KR", "82", Some('0')),
    d("CN", "86", Some('0')),
    d("HK", "852", None),
    d("SG", "65", None),
    d("IN", "91", Some('0')),
    d("ZA", "27", Some('0')),
    d("AE", "971", Some('0')),
    d("IL", "972", Some('0')),
    d("PH", "63", Some('0')),
];

fn dialing_for(country: &str) -> &'static Dialing {
    let country = country.trim();
    let iso = match country.to_ascii_uppercase().as_str() {
        "USA" | "UNITED STATES" | "UNITED STATES OF AMERICA" => "US",
        "CAN" | "CANADA" => "CA",
        "GBR" | "UK" | "UNITED KINGDOM" => "GB",
        "AUS" | "AUSTRALIA" => "AU",
        other => {
            return COUNTRIES
                .iter()
                .find(|c| c.iso == other)
                .unwrap_or(&COUNTRIES[0])
        }
    };
    COUNTRIES
        .iter()
        .find(|c| c.iso == iso)
        .unwrap_or(&COUNTRIES[0])
}

/// Normalises a phone number to E.164, reading a national number in `default_country`
/// (ISO alpha-2 or alpha-3, or the English name; unknown means the US).
pub fn normalize_phone(input: &str, default_country: &str) -> Result<String, InvalidPhone> {
    let text = input.trim();
    if text.is_empty() {
        return Err(InvalidPhone("value is required".into()));
    }
    let international = text.starts_with('+');
    let mut digits = String::with_capacity(text.len());
    for (index, ch) in text.chars().enumerate() {
        match ch {
            '0'..='9' => digits.push(ch),
            '+' if index == 0 => {}
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => {
                return Err(InvalidPhone(format!(
                    "{input:?} is not a phone number (unexpected {ch:?})"
                )))
            }
        }
    }
    let dialing = dialing_for(default_country);
    let full = if international {
        digits
    } else if dialing.calling_code == "1" && digits.starts_with("011") {
        digits[3..].to_string()
    } else if dialing.calling_code != "1" && digits.starts_with("00") {
        digits[2..].to_string()
    } else {
        let national = match dialing.trunk_prefix {
            // North America: a leading 1 is the country code dialled nationally.
            Some('1') if digits.len() == 11 && digits.starts_with('1') => &digits[1..],
            Some(trunk) if trunk != '1' && digits.starts_with(trunk) => &digits[1..],
            _ => digits.as_str(),
        };
        format!("{}{}", dialing.calling_code, national)
    };
    validate_e164(&full).map_err(|reason| InvalidPhone(format!("{input:?} {reason}")))?;
    Ok(format!("+{full}"))
}

/// Checks the digits of an E.164 number (without `+`): 8 to 15 digits, no leading zero, and
/// the North American plan's shape for +1 numbers.
fn validate_e164(digits: &str) -> Result<(), &'static str> {
    if !(8..=15).contains(&digits.len()) {
        return Err(
            "is not a valid phone number (E.164 numbers have 8 to 15 digits with the country code)",
        );
    }
    if digits.starts_with('0') {
        return Err("is not a valid phone number (a country code never starts with 0)");
    }
    if let Some(national) = digits.strip_prefix('1') {
        let bytes = national.as_bytes();
        let valid = bytes.len() == 10 && bytes[0] >= b'2' && bytes[3] >= b'2';
        if !valid {
            return Err("is not a valid North American number (10 digits, area code and exchange starting with 2-9)");
        }
    }
    Ok(())
}

/// Why an email address was refused; the message completes "email: ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidEmail(pub String);

impl std::fmt::Display for InvalidEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks an email address (the common subset of RFC 5321 mailboxes: a dot-atom local part
/// and a domain name with a top-level domain) and returns it trimmed, with the domain in
/// lower case.
pub fn normalize_email(input: &str) -> Result<String, InvalidEmail> {
    let text = input.trim();
    let invalid =
        |why: &str| InvalidEmail(format!("{input:?} is not a valid email address ({why})"));
    if text.len() > 254 {
        return Err(invalid("longer than 254 characters"));
    }
    let (local, domain) = text.rsplit_once('@').ok_or_else(|| invalid("no @"))?;
    if local.is_empty() || local.len() > 64 {
        return Err(invalid("the part before @ must have 1 to 64 characters"));
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    if local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local.chars().all(|c| c == '.' || atext(c))
    {
        return Err(invalid("unexpected characters before @"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid("the domain needs a top-level domain"));
    }
    for label in &labels {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok {
            return Err(invalid("the domain is not a host name"));
        }
    }
    let tld = labels[labels.len() - 1];
    if tld.len() < 2 || tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("the top-level domain is not valid"));
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_however_typed() {
        for typed in [
            "+1 212 555 1234",
            "(212) 555-1234",
            "212.555.1234",
            "1-212-555-1234",
            "+12125551234",
            "011 1 212 555 1234",
        ] {
            assert_eq!(
                normalize_phone(typed, "US").as_deref(),
                Ok("+12125551234"),
                "{typed}"
            );
        }
        assert_eq!(
            normalize_phone("020 7946 0958", "GB").as_deref(),
            Ok("+442079460958")
        );
        assert_eq!(
            normalize_phone("0044 20 7946 0958", "GB").as_deref(),
            Ok("+442079460958")
        );
        assert_eq!(
            normalize_phone("416-555-0199", "Canada").as_deref(),
            Ok("+14165550199")
        );
        assert_eq!(
            normalize_phone("(212) 555-1234", "").as_deref(),
            Ok("+12125551234"),
            "unknown country reads North American"
        );
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for bad in [
            "",
            "call me",
            "555-1234",
            "+1 012 555 1234",
            "+0 123 456 789",
            "+1234567890123456",
            "212-555-1234 ext 5",
        ] {
            assert!(normalize_phone(bad, "US").is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Ana.Smith+pets@Example.COM ").as_deref(),
            Ok("Ana.Smith+pets@example.com")
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "ana..b@example.com",
            "ana@-example.com",
            "ana@example.c",
            "ana smith@example.com",
            "ana@exa_mple.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
