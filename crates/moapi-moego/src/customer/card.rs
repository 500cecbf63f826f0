//! Card details typed into the card-on-file page. moapi is a sandbox: any number that passes
//! the Luhn check is accepted (the payment processors' published test numbers among them), and
//! only what a receipt shows is kept — brand, last four digits, expiry. The full number and
//! the security code are checked, then dropped.

/// A card as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCard {
    pub brand: &'static str,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

/// Which form field is wrong, and why (shown next to the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardError {
    pub field: &'static str,
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> CardError {
    CardError {
        field,
        message: message.into(),
    }
}

/// The card form's fields as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CardForm {
    pub cardholder: String,
    pub number: String,
    pub exp_month: String,
    pub exp_year: String,
    pub cvc: String,
}

/// Checks a typed card at `(year, month)` of today and returns what is kept of it.
pub fn check(form: &CardForm, today: (i64, i64)) -> Result<SavedCard, CardError> {
    if form.cardholder.trim().is_empty() {
        return Err(error("cardholder", "Enter the name on the card."));
    }
    let digits: String = form
        .number
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error("number", "A card number has 12 to 19 digits."));
    }
    if !luhn_valid(&digits) {
        return Err(error(
            "number",
            "This card number is not valid; check the digits.",
        ));
    }
    let brand = brand_of(&digits);
    let exp_month: i64 = form
        .exp_month
        .trim()
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| error("exp_month", "The expiry month is 1 to 12."))?;
    let exp_year: i64 = match form.exp_year.trim().parse::<i64>() {
        Ok(year @ 0..=99) => 2000 + year,
        Ok(year) => year,
        Err(_) => return Err(error("exp_year", "Enter the expiry year, e.g. 2030.")),
    };
    if (exp_year, exp_month) < today {
        return Err(error("exp_year", "This card has expired."));
    }
    if exp_year > today.0 + 20 {
        return Err(error("exp_year", "The expiry year is too far away."));
    }
    let cvc_len = if brand == "American Express" { 4 } else { 3 };
    let cvc = form.cvc.trim();
    if cvc.len() != cvc_len || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(
            "cvc",
            format!("The security code has {cvc_len} digits."),
        ));
    }
    Ok(SavedCard {
        brand,
        last4: digits[digits.len() - 4..].to_string(),
        exp_month,
        exp_year,
    })
}

/// The Luhn (mod 10) checksum every card number carries.
pub fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, byte)| {
            let digit = u32::from(byte - b'0');
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The card network, from the number's leading digits (issuer identification ranges).
pub fn brand_of(digits: &str) -> &'static str {
    let prefix = |n: usize| {
        digits
            .get(..n)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    };
    match () {
        _ if digits.starts_with('4') => "Visa",
        _ if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) => "Mastercard",
        _ if matches!(prefix(2), 34 | 37) => "American Express",
        _ if prefix(4) == 6011 || prefix(2) == 65 || (644..=649).contains(&prefix(3)) => "Discover",
        _ if (3528..=3589).contains(&prefix(4)) => "JCB",
        _ if matches!(prefix(2), 36 | 38 | 39) || (300..=305).contains(&prefix(3)) => "Diners Club",
        _ if prefix(2) == 62 => "UnionPay",
        _ => "Card",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(number: &str, month: &str, year: &str, cvc: &str) -> CardForm {
        CardForm {
            cardholder: "Ana Smith".into(),
            number: number.into(),
            exp_month: month.into(),
            exp_year: year.into(),
            cvc: cvc.into(),
        }
    }

    #[test]
    fn sandbox_test_numbers_are_accepted_and_only_the_receipt_part_kept() {
        for (number, brand, cvc) in [
            ("4242 4242 4242 4242", "Visa", "123"),
            ("5555-5555-5555-4444", "Mastercard", "123"),
            ("2223003122003222", "Mastercard", "123"),
            ("378282246310005", "American Express", "1234"),
            ("6011111111111117", "Discover", "123"),
            ("3566002020360505", "JCB", "123"),
        ] {
            let card = check(&form(number, "12", "2030", cvc), (2026, 11)).unwrap();
            assert_eq!(card.brand, brand, "{number}");
            assert_eq!(
                card.last4,
                number.replace([' ', '-'], "")[number.replace([' ', '-'], "").len() - 4..]
            );
            assert_eq!((card.exp_month, card.exp_year), (12, 2030));
        }
        assert_eq!(
            check(&form("4242424242424242", "11", "26", "123"), (2026, 11))
                .unwrap()
                .exp_year,
            2026,
            "two-digit years and the current month are fine"
        );
    }

    #[test]
    fn bad_cards_name_their_field() {
        let today = (2026, 11);
        let field = |f: CardForm| check(&f, today).unwrap_err().field;
        assert_eq!(
            field(form("4242424242424241", "12", "2030", "123")),
            "number"
        );
        assert_eq!(field(form("4242", "12", "2030", "123")), "number");
        assert_eq!(
            field(form("4242x42424242424", "12", "2030", "123")),
            "number"
        );
        assert_eq!(
            field(form("4242424242424242", "13", "2030", "123")),
            "exp_month"
        );
        assert_eq!(
            field(form("4242424242424242", "10", "2026", "123")),
            "exp_year"
        );
        assert_eq!(
            field(form("4242424242424242", "12", "soon", "123")),
            "exp_year"
        );
        assert_eq!(field(form("378282246310005", "12", "2030", "123")), "cvc");
        let mut nameless = form("4242424242424242", "12", "2030", "123");
        nameless.cardholder = " ".into();
        assert_eq!(field(nameless), "cardholder");
    }
}
