//! What a booking page visit collected, kept as JSON on its row, and how an abandoned one
//! reads on the wire. The pets and the service are kept as the visitor saw them (names,
//! price, duration), so an abandoned booking shows what was chosen even after the catalog
//! changed.

use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind};
use serde::{Deserialize, Serialize};

use super::store::VisitRow;
use super::wire::{
    AbandonPreference, AbandonStatus, AbandonedBooking, AbandonedBookingCustomer,
    AbandonedBookingPet, PreferredDay, PreferredTime, RecoverType,
};
use crate::appointment::wire::{PetServiceDetail, ServiceDetail};
use crate::money::Money;
use crate::pet::input::PetValues;
use crate::pet::store::values_to_wire;
use crate::pet::wire::{PetType, WeightUnit};
use crate::setting::service::wire::{ServiceItemType, ServiceType};
use crate::wire::Interval;

/// The answers of a visit so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Collected {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub pets: Vec<ChosenPet>,
    #[serde(default)]
    pub service: Option<ChosenService>,
    /// The groomer asked for; `None`: anyone (or care without a groomer).
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// The day chosen, `YYYY-MM-DD` in the company's time zone.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub slot: Option<Slot>,
    #[serde(default)]
    pub preference: Option<Preference>,
}

/// A pet of the visit: the customer's (`id`) or one described to be created on submitting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ChosenPet {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub pet_type: PetType,
    #[serde(default)]
    pub breed: String,
    #[serde(default)]
    pub weight: Option<(u32, WeightUnit)>,
}

/// The service chosen, as the page offered it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChosenService {
    pub id: i64,
    pub name: String,
    pub item_type: ServiceItemType,
    pub service_type: ServiceType,
    #[serde(default)]
    pub category: String,
    pub price: Money,
    pub minutes: i32,
}

/// The time chosen: `[start, end)` in microseconds, with the staff member it was offered
/// with (none for boarding and daycare).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Slot {
    pub start: i64,
    pub end: i64,
    #[serde(default)]
    pub staff_id: Option<i64>,
}

/// When the visitor would like to come, told when no time suited them.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Preference {
    pub day: PreferredDay,
    pub time: PreferredTime,
    pub submitted_at: i64,
}

impl Collected {
    pub fn of(visit: &VisitRow) -> Collected {
        // Written by this module only; an unreadable one (none exists) reads as empty.
        serde_json::from_str(&visit.data).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("collected answers serialize")
    }
}

impl ChosenPet {
    fn to_wire(&self, ids: &IdCodec) -> crate::pet::wire::Pet {
        let mut pet = values_to_wire(&PetValues {
            name: self.name.clone(),
            birthday: None,
            status: Default::default(),
            pet_type: self.pet_type,
            breed: self.breed.clone(),
            gender: Default::default(),
            weight: self.weight,
            fixed: String::new(),
            coat: String::new(),
            behavior: String::new(),
            vaccinations: Vec::new(),
            vet: None,
            evaluation_status: Default::default(),
            photo: String::new(),
        });
        if let Some(id) = self.id {
            pet.id = ids.encode(IdKind::Pet, id);
        }
        pet
    }
}

/// An abandoned booking as `GetAbandonedBooking` and `ListAbandonedBookings` answer it.
pub fn abandoned_booking(
    ids: &IdCodec,
    visit: &VisitRow,
    status: AbandonStatus,
) -> AbandonedBooking {
    let collected = Collected::of(visit);
    let staff_id = collected
        .slot
        .and_then(|slot| slot.staff_id)
        .or(collected.staff_id);
    let service_details: Vec<ServiceDetail> = collected
        .service
        .iter()
        .map(|service| ServiceDetail {
            id: ids.encode(IdKind::Service, service.id),
            name: service.name.clone(),
            service_item_type: service.item_type,
            category: service.category.clone(),
            price: Some(service.price.clone()),
            duration: collected
                .slot
                .map(|slot| Interval::from_micros(Some(slot.start), Some(slot.end)))
                .unwrap_or_default(),
            staff_ids: staff_id
                .map(|staff| ids.encode(IdKind::Staff, staff))
                .into_iter()
                .collect(),
            service_type: service.service_type,
            service_time: service.minutes,
            pet_service_detail_id: String::new(),
            lodging_id: String::new(),
            lodging_unit_name: String::new(),
            lodging_type_name: String::new(),
        })
        .collect();
    AbandonedBooking {
        id: ids.encode(IdKind::AbandonedBooking, visit.id),
        business_id: ids.encode(IdKind::Business, visit.business_id),
        customer: AbandonedBookingCustomer {
            customer_id: visit
                .customer_id
                .map(|id| ids.encode(IdKind::Customer, id))
                .unwrap_or_default(),
            email: visit.email.clone(),
            first_name: collected.first_name.clone(),
            last_name: collected.last_name.clone(),
            phone_number: visit.phone.clone(),
            preferred_groomer_id: collected
                .staff_id
                .map(|staff| ids.encode(IdKind::Staff, staff))
                .unwrap_or_default(),
        },
        pets: collected
            .pets
            .iter()
            .map(|pet| AbandonedBookingPet {
                pet_service_detail: PetServiceDetail {
                    pet: pet.to_wire(ids),
                    service_details: service_details.clone(),
                },
            })
            .collect(),
        abandon_step: visit.step(),
        abandon_time: protojson_timestamp(visit.last_active_at),
        abandon_status: status,
        recovery_type: RecoverType::from_name(&visit.recovery_type),
        recovery_time: visit.recovered_at.map(protojson_timestamp),
        appointment_id: visit
            .appointment_id
            .map(|id| ids.encode(IdKind::Appointment, id))
            .unwrap_or_default(),
        appointment_time: visit.appointment_at.map(protojson_timestamp),
        lead_type: visit.lead_type(),
        created_time: protojson_timestamp(visit.created_at),
        last_updated_time: protojson_timestamp(visit.updated_at),
        additional_note: visit.contact_note.clone(),
        care_type: ServiceItemType::from_name(&visit.care_type),
        abandon_preference: collected.preference.map(|preference| AbandonPreference {
            preferred_day: preference.day,
            preferred_time: preference.time,
            preference_submitted_at: protojson_timestamp(preference.submitted_at),
        }),
    }
}
