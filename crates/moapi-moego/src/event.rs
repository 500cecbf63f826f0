//! MoeGo webhook events as the outbox stores them: the vendor's envelope
//! `{"id","type","timestamp","companyId", <payload key>: {...}}`, appended in the writer's
//! transaction through the core outbox.

use moapi_core::outbox::{self, NewEvent};
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind};
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// The vendor's event types (moego.business.event.v1.Event.Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    HealthCheck,
    AppointmentCreated,
    AppointmentUpdated,
    AppointmentFinished,
    AppointmentCanceled,
    AppointmentDeleted,
    AppointmentFullyPaid,
    OnlineBookingReceived,
    CustomerCreated,
    CustomerUpdated,
    CustomerDeleted,
    CustomerComplianceChanged,
    PetCreated,
    PetUpdated,
    PetDeleted,
}

impl EventType {
    /// Every `v1EventType` moapi emits, in the vendor's order: all but TYPE_UNSPECIFIED.
    pub const ALL: [EventType; 15] = [
        EventType::HealthCheck,
        EventType::AppointmentCreated,
        EventType::AppointmentUpdated,
        EventType::AppointmentFinished,
        EventType::AppointmentCanceled,
        EventType::AppointmentDeleted,
        EventType::AppointmentFullyPaid,
        EventType::OnlineBookingReceived,
        EventType::CustomerCreated,
        EventType::CustomerUpdated,
        EventType::CustomerDeleted,
        EventType::CustomerComplianceChanged,
        EventType::PetCreated,
        EventType::PetUpdated,
        EventType::PetDeleted,
    ];

    /// The event type a `v1EventType` name names (TYPE_UNSPECIFIED names none).
    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL
            .into_iter()
            .find(|event_type| event_type.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            EventType::HealthCheck => "HEALTH_CHECK",
            EventType::AppointmentCreated => "APPOINTMENT_CREATED",
            EventType::AppointmentUpdated => "APPOINTMENT_UPDATED",
            EventType::AppointmentFinished => "APPOINTMENT_FINISHED",
            EventType::AppointmentCanceled => "APPOINTMENT_CANCELED",
            EventType::AppointmentDeleted => "APPOINTMENT_DELETED",
            EventType::AppointmentFullyPaid => "APPOINTMENT_FULLY_PAID",
            EventType::OnlineBookingReceived => "ONLINE_BOOKING_RECEIVED",
            EventType::CustomerCreated => "CUSTOMER_CREATED",
            EventType::CustomerUpdated => "CUSTOMER_UPDATED",
            EventType::CustomerDeleted => "CUSTOMER_DELETED",
            EventType::CustomerComplianceChanged => "CUSTOMER_COMPLIANCE_CHANGED",
            EventType::PetCreated => "PET_CREATED",
            EventType::PetUpdated => "PET_UPDATED",
            EventType::PetDeleted => "PET_DELETED",
        }
    }
}

/// Builds the envelope receivers get. The event ID is an `evt_` ID like every other.
pub fn envelope(
    ids: &IdCodec,
    event_number: i64,
    company_id: i64,
    event_type: EventType,
    payload_key: &str,
    payload: Value,
) -> Value {
    let mut body = json!({
        "id": ids.encode(IdKind::Event, event_number),
        "type": event_type.name(),
        "timestamp": protojson_timestamp(now_micros()),
        "companyId": ids.encode(IdKind::Company, company_id),
    });
    body[payload_key] = payload;
    body
}

/// An event to append: its company, type and payload (under `payload_key`).
pub struct NewMoegoEvent<'a> {
    pub company_id: i64,
    pub event_type: EventType,
    pub payload_key: &'a str,
    pub payload: Value,
}

/// Appends a MoeGo event inside the caller's transaction.
pub async fn emit(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
    event_type: EventType,
    payload_key: &str,
    payload: Value,
) -> Result<String, sqlx::Error> {
    let event = NewMoegoEvent {
        company_id,
        event_type,
        payload_key,
        payload,
    };
    Ok(emit_all(conn, ids, vec![event]).await?.remove(0))
}

/// Appends MoeGo events (one statement) inside the caller's transaction.
pub async fn emit_all(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    events: Vec<NewMoegoEvent<'_>>,
) -> Result<Vec<String>, sqlx::Error> {
    let numbers = event_numbers(events.len());
    let bodies: Vec<(i64, EventType, Value)> = events
        .into_iter()
        .zip(numbers)
        .map(|(event, number)| {
            let body = envelope(
                ids,
                number,
                event.company_id,
                event.event_type,
                event.payload_key,
                event.payload,
            );
            (event.company_id, event.event_type, body)
        })
        .collect();
    let rows: Vec<NewEvent> = bodies
        .iter()
        .map(|(company_id, event_type, body)| NewEvent {
            product: "moego",
            tenant_id: *company_id,
            event_type: event_type.name(),
            payload: body,
        })
        .collect();
    outbox::append_all(conn, &rows).await
}

/// Event numbers only need to be unique: the clock in microseconds plus a random byte keeps
/// nodes apart, and the events appended together take distinct bytes (a further microsecond
/// per 256 of them).
fn event_numbers(count: usize) -> Vec<i64> {
    let now = now_micros();
    let mut rng = rand::thread_rng();
    (0..count)
        .step_by(256)
        .enumerate()
        .flat_map(|(tick, first)| {
            let bytes = rand::seq::index::sample(&mut rng, 256, (count - first).min(256));
            bytes
                .into_iter()
                .map(move |byte| ((now + tick as i64) << 8) | byte as i64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_appended_together_get_distinct_numbers() {
        for count in [1, 64, 256, 700] {
            let numbers = event_numbers(count);
            let distinct: std::collections::BTreeSet<i64> = numbers.iter().copied().collect();
            assert_eq!((numbers.len(), distinct.len()), (count, count));
        }
    }

    #[test]
    fn envelope_has_the_vendor_shape() {
        let ids = IdCodec::new(b"k");
        let body = envelope(
            &ids,
            7,
            3,
            EventType::PetDeleted,
            "pet",
            json!({"id": "pet_x", "deleted": true}),
        );
        assert_eq!(body["type"], "PET_DELETED");
        assert!(body["id"].as_str().unwrap().starts_with("evt_"));
        assert_eq!(body["companyId"], ids.encode(IdKind::Company, 3));
        assert_eq!(body["pet"]["deleted"], true);
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    }
}
