//! Membership discount benefits on a new appointment's order: for each subscription of the
//! booking customer active at the booking's instant, each discount of its membership goes on
//! the eligible lines (the services it lists, or all; pets passing its breed, size and coat
//! filters) as an ITEM discount through the order ledger. A line never gets more off than its
//! price: a second benefit takes at most what the first left.

use moapi_core::{IdCodec, Status};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use super::store::{raw_ids, StoredBreed};
use crate::money::Amount;
use crate::order::benefits::BookedOrder;
use crate::order::ledger::{self, DiscountValue, NewDiscount};
use crate::pet::profile::PetProfiles;

/// A discount of a membership the customer holds, with the membership's pet filters.
#[derive(Debug, sqlx::FromRow)]
struct Benefit {
    kind: String,
    value: String,
    service_ids: String,
    breed_filter: i64,
    customized_breeds: String,
    pet_size_filter: i64,
    customized_pet_sizes: String,
    coat_filter: i64,
    customized_coats: String,
}

impl Benefit {
    fn filters_pets(&self) -> bool {
        self.breed_filter != 0 || self.pet_size_filter != 0 || self.coat_filter != 0
    }
}

/// One indexed statement (subscriptions by customer): all a customer without a subscription
/// costs a booking.
const BENEFITS: &str = "SELECT d.kind, d.value, d.service_ids, m.breed_filter, \
     m.customized_breeds, m.pet_size_filter, m.customized_pet_sizes, m.coat_filter, \
     m.customized_coats \
     FROM moego_subscriptions s \
     JOIN moego_memberships m ON m.id = s.membership_id \
     JOIN moego_membership_discounts d ON d.membership_id = m.id \
     WHERE s.customer_id = $1 AND s.deleted_at IS NULL AND s.start_at <= $2 \
     AND (s.ends_at IS NULL OR s.ends_at > $2) AND m.status <> 'DELETED' \
     ORDER BY s.id, d.id";

/// Applies the discount benefits of the customer's active memberships to a booked order at
/// `at`; answers whether anything was applied (the order's total then changed).
pub async fn at_booking(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    order: &BookedOrder,
    at: i64,
) -> Result<bool, Status> {
    let benefits: Vec<Benefit> = sqlx::query_as(BENEFITS)
        .bind(order.customer_id)
        .bind(at)
        .fetch_all(&mut *conn)
        .await?;
    if benefits.is_empty() {
        return Ok(false);
    }
    let pets = if benefits.iter().any(Benefit::filters_pets) {
        let pet_ids: Vec<i64> = order.lines.iter().map(|line| line.pet_id).collect();
        PetProfiles::load(conn, order.company_id, &pet_ids).await?
    } else {
        PetProfiles::default()
    };
    let mut left: Vec<Amount> = order.lines.iter().map(|line| line.price).collect();
    let mut applied = false;
    for benefit in &benefits {
        let services = raw_ids(&benefit.service_ids)?;
        for (line, left) in order.lines.iter().zip(left.iter_mut()) {
            if !services.is_empty() && !services.contains(&line.service_id) {
                continue;
            }
            if left.value <= Decimal::ZERO || !eligible(&pets, benefit, line.pet_id)? {
                continue;
            }
            let (value, taken) = match benefit.kind.as_str() {
                "PERCENTAGE" => {
                    let rate: Decimal = benefit
                        .value
                        .parse()
                        .map_err(|_| Status::internal("a membership discount is damaged"))?;
                    let taken = line.price.times(rate).rounded();
                    if taken.value <= left.value {
                        (DiscountValue::Percentage(rate), taken)
                    } else {
                        (DiscountValue::Amount(*left), *left)
                    }
                }
                _ => {
                    let amount = Amount::from_stored(line.price.currency.as_str(), &benefit.value)
                        .ok_or_else(|| Status::internal("a membership discount is damaged"))?;
                    let taken = if amount.value <= left.value {
                        amount
                    } else {
                        *left
                    };
                    (DiscountValue::Amount(taken), taken)
                }
            };
            if taken.value <= Decimal::ZERO {
                continue;
            }
            ledger::apply_discount(
                conn,
                ids,
                &NewDiscount {
                    order_id: order.order_id,
                    order_item_id: Some(line.item_id),
                    value,
                    apply_by: "",
                    discount_code_id: "",
                },
                at,
            )
            .await?;
            *left = left.minus(taken);
            applied = true;
        }
    }
    Ok(applied)
}

/// Whether the pet passes the benefit's membership's filters: its type and breed among the
/// breeds listed, its weight within one of the sizes listed, its coat one of the coat types
/// listed.
fn eligible(pets: &PetProfiles, benefit: &Benefit, pet_id: i64) -> Result<bool, Status> {
    if !benefit.filters_pets() {
        return Ok(true);
    }
    let Some(pet) = pets.pet(pet_id) else {
        return Ok(false);
    };
    if benefit.breed_filter != 0 {
        let breeds: Vec<StoredBreed> =
            serde_json::from_str(&benefit.customized_breeds).map_err(Status::internal)?;
        let entries = breeds.iter().map(|entry| {
            (
                entry.pet_type_name.as_str(),
                entry.is_all,
                entry.breeds.as_slice(),
            )
        });
        if !PetProfiles::breed_listed(pet, entries) {
            return Ok(false);
        }
    }
    if benefit.pet_size_filter != 0
        && !pets.fits_size(pet, &raw_ids(&benefit.customized_pet_sizes)?)
    {
        return Ok(false);
    }
    if benefit.coat_filter != 0 && !pets.coat_listed(pet, &raw_ids(&benefit.customized_coats)?) {
        return Ok(false);
    }
    Ok(true)
}
