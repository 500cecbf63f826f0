//! A visit of the booking page made by the operator's fixtures (the demo's abandoned
//! bookings): the same steps a visitor's form posts take, stamped at a past instant, so that
//! what the demo shows is what the page records.

use chrono::{NaiveDate, NaiveTime, TimeZone};
use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind, Status};

use super::steps::{Answers, Place, Problem};
use super::token_hash;
use crate::online_booking::store::{self, VisitRow};
use crate::online_booking::visit::Collected;
use crate::online_booking::wire::{PreferredDay, PreferredTime, Step};
use crate::setting::service::wire::ServiceItemType;

/// What a visit answers, step by step; it stops after `until`.
#[derive(Debug, Clone)]
pub struct Walk {
    pub phone: String,
    pub email: String,
    pub care: ServiceItemType,
    /// The customer's pets, by ID (an existing client's).
    pub pets: Vec<i64>,
    /// A new pet: name, type (`DOG`...), breed.
    pub new_pet: Option<(String, String, String)>,
    pub service_id: Option<i64>,
    /// The groomer; `None`: anyone.
    pub staff_id: Option<i64>,
    pub date: Option<NaiveDate>,
    /// The first time offered at or after this one is chosen.
    pub time: Option<NaiveTime>,
    pub first_name: String,
    pub last_name: String,
    pub preference: Option<(PreferredDay, PreferredTime)>,
    pub until: Step,
}

fn refused(step: Step, problem: Problem) -> Status {
    match problem {
        Problem::Invalid(message) => {
            Status::invalid_argument(format!("step {}: {message}", step.name()))
        }
        Problem::Closed => Status::invalid_argument(format!("step {}: visit closed", step.name())),
        Problem::Failed(err) => Status::internal(err),
    }
}

/// Walks a new visit of the business through the steps up to `walk.until` at `at`
/// (SUBMIT_APPT books); answers the visit as it stands after.
pub async fn walk(
    state: &AppState,
    db: &mut Conn,
    business_id: i64,
    walk: &Walk,
    at: i64,
) -> Result<VisitRow, Status> {
    let conn = db.get().await?;
    let business = crate::business::store::find(conn, business_id)
        .await?
        .ok_or_else(|| Status::not_found("business not found"))?;
    let place = Place::load(conn, business).await?;
    let token = format!("walk-{}-{}", business_id, rand::random::<u64>());
    let data = Collected::default().to_json();
    let mut visit = {
        let _gate = db.write_gate().await;
        store::insert(
            db.get().await?,
            (place.business.company_id, business_id),
            &token_hash(&token),
            &data,
            at,
        )
        .await?
    };
    let encode = |kind: IdKind, id: i64| state.ids.encode(kind, id);
    for step in super::steps::order(walk.care).iter().skip(1) {
        if *step == Step::SubmitAppt {
            place
                .submit(state, db, &visit, at)
                .await
                .map_err(|problem| refused(*step, problem))?;
        } else {
            let mut fields: Vec<(&str, String)> = Vec::new();
            match step {
                Step::BasicInfo => {
                    fields.push(("phone", walk.phone.clone()));
                    fields.push(("email", walk.email.clone()));
                }
                Step::SelectCareType => fields.push(("care", walk.care.name().to_string())),
                Step::SelectPet => {
                    for pet in &walk.pets {
                        fields.push(("pet", encode(IdKind::Pet, *pet)));
                    }
                    if let Some((name, pet_type, breed)) = &walk.new_pet {
                        fields.push(("new_pet_name", name.clone()));
                        fields.push(("new_pet_type", pet_type.clone()));
                        fields.push(("new_pet_breed", breed.clone()));
                    }
                }
                Step::SelectService => fields.push((
                    "service",
                    walk.service_id
                        .map(|id| encode(IdKind::Service, id))
                        .unwrap_or_default(),
                )),
                Step::SelectGroomer => fields.push((
                    "staff",
                    walk.staff_id
                        .map(|id| encode(IdKind::Staff, id))
                        .unwrap_or_else(|| "any".into()),
                )),
                Step::SelectDate => fields.push((
                    "date",
                    walk.date.map(|date| date.to_string()).unwrap_or_default(),
                )),
                Step::SelectTime => {
                    let conn = db.get().await?;
                    let slots = place
                        .slots(state, conn, &Collected::of(&visit), at)
                        .await
                        .map_err(|problem| refused(*step, problem))?;
                    let wanted = match (walk.date, walk.time) {
                        (Some(date), Some(time)) => place
                            .zone
                            .from_local_datetime(&date.and_time(time))
                            .earliest()
                            .map(|local| local.timestamp_micros())
                            .unwrap_or_default(),
                        _ => 0,
                    };
                    let slot = slots
                        .iter()
                        .find(|slot| slot.start >= wanted)
                        .ok_or_else(|| {
                            Status::invalid_argument("step SELECT_TIME: no time free then")
                        })?;
                    fields.push(("slot", super::steps::slot_value(state, slot)));
                }
                Step::PersonalInfo => {
                    fields.push(("first_name", walk.first_name.clone()));
                    fields.push(("last_name", walk.last_name.clone()));
                    fields.push(("phone", walk.phone.clone()));
                    fields.push(("email", walk.email.clone()));
                }
                _ => {}
            }
            let answers = Answers(
                fields
                    .into_iter()
                    .map(|(name, value)| (name.to_string(), value))
                    .collect(),
            );
            place
                .record(state, db, &visit, *step, &answers, at)
                .await
                .map_err(|problem| refused(*step, problem))?;
        }
        visit = reread(db, visit.id).await?;
        if *step == walk.until {
            break;
        }
    }
    if let Some((day, time)) = walk.preference {
        let answers = Answers(vec![
            ("preferred_day".to_string(), day.name().to_string()),
            ("preferred_time".to_string(), time.name().to_string()),
        ]);
        visit = place
            .prefer(db, &visit, &answers, at)
            .await
            .map_err(|problem| refused(Step::SelectDate, problem))?;
    }
    Ok(visit)
}

async fn reread(db: &mut Conn, id: i64) -> Result<VisitRow, Status> {
    store::find(db.get().await?, id)
        .await?
        .ok_or_else(|| Status::internal("a walked visit is gone"))
}
