//! Money: `google.type.Money` on the wire, exact decimals (`rust_decimal`) in arithmetic and
//! decimal text (`"12.50"`) in the database, so no amount ever passes through floating point.

use std::str::FromStr;

use moapi_core::Status;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Nanos per unit: google.type.Money carries the fraction as an int32 of nanos.
const NANOS_PER_UNIT: i64 = 1_000_000_000;

/// `google.type.Money`: `units` is an int64 (a string in protojson), `nanos` the fraction in
/// billionths with the same sign as `units`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(as = typeMoney)]
pub struct Money {
    #[serde(
        default,
        alias = "currency_code",
        skip_serializing_if = "String::is_empty"
    )]
    pub currency_code: String,
    #[serde(
        default,
        with = "moapi_core::wire::int64",
        skip_serializing_if = "crate::wire::is_zero_i64"
    )]
    #[schema(value_type = String)]
    pub units: i64,
    #[serde(
        default,
        deserialize_with = "crate::wire::int32_or_zero",
        skip_serializing_if = "crate::wire::is_zero_i32"
    )]
    pub nanos: i32,
}

/// An exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub currency: Currency,
    pub value: Decimal,
}

/// An ISO 4217 code: three upper-case ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a currency code is ASCII")
    }

    /// Digits after the decimal point in everyday amounts (ISO 4217 minor units); amounts
    /// are rounded to these when taxes or rates produce finer fractions.
    pub fn minor_units(&self) -> u32 {
        match self.as_str() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF"
            | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            _ => 2,
        }
    }
}

impl Amount {
    pub fn zero(currency: Currency) -> Amount {
        Amount {
            currency,
            value: Decimal::ZERO,
        }
    }

    /// Reads a stored amount (decimal text) in a stored currency.
    pub fn from_stored(currency: &str, value: &str) -> Option<Amount> {
        Some(Amount {
            currency: Currency::parse(currency)?,
            value: Decimal::from_str(value).ok()?,
        })
    }

    /// The decimal text the database keeps.
    pub fn stored(&self) -> String {
        self.value.normalize().to_string()
    }

    /// As people read it: `USD 45.00`, with the currency's minor units.
    pub fn display(&self) -> String {
        let digits = self.currency.minor_units() as usize;
        format!("{} {:.digits$}", self.currency.as_str(), self.value)
    }

    /// Rounded half away from zero to the currency's minor units (tax, percentages).
    pub fn rounded(self) -> Amount {
        Amount {
            currency: self.currency,
            value: self.value.round_dp_with_strategy(
                self.currency.minor_units(),
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            ),
        }
    }

    /// A wire Money. Amounts beyond google.type.Money's int64 units cannot be stored, since
    /// `from_wire` refuses them.
    pub fn to_wire(&self) -> Money {
        let scaled = (self.value * Decimal::from(NANOS_PER_UNIT)).trunc();
        let total = i128::try_from(scaled).unwrap_or_default();
        Money {
            currency_code: self.currency.as_str().to_string(),
            units: (total / i128::from(NANOS_PER_UNIT)) as i64,
            nanos: (total % i128::from(NANOS_PER_UNIT)) as i32,
        }
    }

    /// A wire Money as an amount; `field` names the error. The currency must be given, and
    /// `units` and `nanos` must agree in sign, as google.type.Money requires.
    pub fn from_wire(field: &str, money: &Money) -> Result<Amount, Status> {
        let invalid = |message: &str| Status::invalid_argument(format!("{field}: {message}"));
        let currency = Currency::parse(&money.currency_code).ok_or_else(|| {
            invalid("currencyCode must be an ISO 4217 code of three upper-case letters")
        })?;
        if money.nanos.unsigned_abs() >= NANOS_PER_UNIT as u32 {
            return Err(invalid("nanos must be between -999999999 and 999999999"));
        }
        if (money.units > 0 && money.nanos < 0) || (money.units < 0 && money.nanos > 0) {
            return Err(invalid("units and nanos must have the same sign"));
        }
        let value = Decimal::from(money.units) + Decimal::new(i64::from(money.nanos), 9);
        Ok(Amount { currency, value })
    }

    /// The sum of two amounts of the same currency (callers keep one currency per order).
    pub fn plus(self, other: Amount) -> Amount {
        debug_assert_eq!(self.currency, other.currency);
        Amount {
            currency: self.currency,
            value: self.value + other.value,
        }
    }

    pub fn minus(self, other: Amount) -> Amount {
        debug_assert_eq!(self.currency, other.currency);
        Amount {
            currency: self.currency,
            value: self.value - other.value,
        }
    }

    pub fn times(self, factor: Decimal) -> Amount {
        Amount {
            currency: self.currency,
            value: self.value * factor,
        }
    }
}

/// `google.type.Decimal` (`{"value":"8.25"}`), e.g. a tax rate in percent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(as = typeDecimal)]
pub struct DecimalValue {
    #[serde(default)]
    pub value: String,
}

impl DecimalValue {
    pub fn of(value: Decimal) -> DecimalValue {
        DecimalValue {
            value: value.normalize().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(value: &str) -> Amount {
        Amount::from_stored("USD", value).unwrap()
    }

    #[test]
    fn wire_money_round_trips_exactly() {
        for (text, units, nanos) in [
            ("12.5", 12, 500_000_000),
            ("-0.75", 0, -750_000_000),
            ("-3.01", -3, -10_000_000),
            ("0", 0, 0),
        ] {
            let wire = usd(text).to_wire();
            assert_eq!((wire.units, wire.nanos), (units, nanos), "{text}");
            assert_eq!(Amount::from_wire("m", &wire).unwrap(), usd(text));
        }
        let json = serde_json::to_value(usd("1234.05").to_wire()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"currencyCode":"USD","units":"1234","nanos":50000000})
        );
    }

    #[test]
    fn malformed_money_is_refused() {
        let money = |code: &str, units, nanos| Money {
            currency_code: code.into(),
            units,
            nanos,
        };
        for bad in [
            money("usd", 1, 0),
            money("", 1, 0),
            money("USD", 1, -5),
            money("USD", -1, 5),
            money("USD", 0, 1_000_000_000),
        ] {
            assert!(Amount::from_wire("price", &bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sums_are_exact_and_rounding_follows_the_currency() {
        let mut total = usd("0");
        for _ in 0..10 {
            total = total.plus(usd("0.1"));
        }
        assert_eq!(total.stored(), "1");
        let tax = usd("19.99").times(Decimal::from_str("0.0825").unwrap());
        assert_eq!(tax.rounded().stored(), "1.65");
        let yen = Amount::from_stored("JPY", "100.5").unwrap().rounded();
        assert_eq!(yen.stored(), "101");
    }
}
