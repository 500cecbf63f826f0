//! The rules a service's values follow, whoever sets them (the API or an operator).

use moapi_core::Status;

use super::wire::ServiceItemType;
use crate::money::{Amount, Money};

/// Longest service name moapi keeps.
pub const MAX_NAME: usize = 150;
/// Longest service time: a day, in minutes.
pub const MAX_SERVICE_MINUTES: i32 = 24 * 60;

/// A required name: trimmed, 1 to [`MAX_NAME`] characters.
pub fn name(field: &str, value: Option<&str>) -> Result<String, Status> {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}: value is required"
        )));
    }
    if value.chars().count() > MAX_NAME {
        return Err(Status::invalid_argument(format!(
            "{field}: at most {MAX_NAME} characters"
        )));
    }
    Ok(value.to_string())
}

/// A price: a google.type.Money of at least zero, no finer than its currency's minor unit.
pub fn price(field: &str, money: Option<&Money>) -> Result<Amount, Status> {
    let money =
        money.ok_or_else(|| Status::invalid_argument(format!("{field}: value is required")))?;
    checked_price(field, Amount::from_wire(field, money)?)
}

/// The amount rules of [`price`] for an amount already read.
pub fn checked_price(field: &str, amount: Amount) -> Result<Amount, Status> {
    if amount.value.is_sign_negative() && !amount.value.is_zero() {
        return Err(Status::invalid_argument(format!(
            "{field}: must not be negative"
        )));
    }
    if amount.rounded() != amount {
        return Err(Status::invalid_argument(format!(
            "{field}: {} amounts have at most {} decimal places",
            amount.currency.as_str(),
            amount.currency.minor_units()
        )));
    }
    Ok(amount)
}

/// Service time in minutes: at most a day, and more than zero for grooming, which takes the
/// groomer's calendar for that long.
pub fn service_time(item_type: ServiceItemType, minutes: i32) -> Result<i32, Status> {
    let least = if item_type == ServiceItemType::Grooming {
        1
    } else {
        0
    };
    if !(least..=MAX_SERVICE_MINUTES).contains(&minutes) {
        return Err(Status::invalid_argument(format!(
            "serviceTime: {} services take {least} to {MAX_SERVICE_MINUTES} minutes, got {minutes}",
            item_type.name()
        )));
    }
    Ok(minutes)
}

/// Who may use a service: everyone, or those listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub all: bool,
    pub listed: Vec<i64>,
}

impl Availability {
    pub const EVERYONE: Availability = Availability {
        all: true,
        listed: Vec::new(),
    };

    /// Applies a body's flag and list to the current availability. An absent list keeps the
    /// current one; an absent flag follows a list that was sent (all when it is empty) and
    /// otherwise keeps its value. Nobody at all is refused: `field` names the list.
    pub fn patched(
        self,
        field: &str,
        all: Option<bool>,
        listed: Option<Vec<i64>>,
    ) -> Result<Availability, Status> {
        let sent_list = listed.is_some();
        let listed = listed.unwrap_or(self.listed);
        let all = all.unwrap_or(if sent_list {
            listed.is_empty()
        } else {
            self.all
        });
        if !all && listed.is_empty() {
            return Err(Status::invalid_argument(format!(
                "{field}: required when the service is not available to all"
            )));
        }
        Ok(Availability { all, listed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(units: i64, nanos: i32) -> Money {
        Money {
            currency_code: "USD".into(),
            units,
            nanos,
        }
    }

    #[test]
    fn prices_are_whole_cents_and_not_negative() {
        assert_eq!(
            price("price", Some(&usd(12, 500_000_000)))
                .unwrap()
                .stored(),
            "12.5"
        );
        assert!(price("price", Some(&usd(0, 0))).is_ok());
        assert!(price("price", Some(&usd(-1, 0))).is_err());
        assert!(price("price", Some(&usd(0, -10_000_000))).is_err());
        assert!(price("price", Some(&usd(1, 5_000_000))).is_err());
        assert!(price("price", None).is_err());
    }

    #[test]
    fn grooming_takes_time_and_nothing_takes_more_than_a_day() {
        assert!(service_time(ServiceItemType::Grooming, 0).is_err());
        assert!(service_time(ServiceItemType::Grooming, 60).is_ok());
        assert!(service_time(ServiceItemType::Boarding, 0).is_ok());
        assert!(service_time(ServiceItemType::Daycare, 1441).is_err());
        assert!(service_time(ServiceItemType::Training, -5).is_err());
    }

    #[test]
    fn availability_follows_the_list_sent_unless_the_flag_says_otherwise() {
        let everyone = Availability::EVERYONE;
        let listed = everyone.clone().patched("l", None, Some(vec![3])).unwrap();
        assert_eq!(
            listed,
            Availability {
                all: false,
                listed: vec![3]
            }
        );
        assert_eq!(listed.clone().patched("l", None, None).unwrap(), listed);
        assert!(listed.clone().patched("l", Some(true), None).unwrap().all);
        assert!(everyone.clone().patched("l", Some(false), None).is_err());
        assert_eq!(listed.patched("l", None, Some(vec![])).unwrap(), everyone);
    }
}
