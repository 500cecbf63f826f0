//! The booking page's steps: the order they come in, what each offers (read from the catalog
//! and GetBookingAvailability at each showing), how each answer is checked against what was
//! offered, and the submission that books.

use chrono::{Days, NaiveDate, TimeZone};
use moapi_core::auth::{MoegoPrincipal, MoegoRestriction};
use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind, Status};
use serde_json::json;
use sqlx::AnyConnection;

use super::html::{self, Choice, Frame};
use crate::access::{self, BusinessScope};
use crate::appointment;
use crate::appointment::booking::OnlineBooker;
use crate::appointment::wire::{CreateAppointmentRequest, PetServiceInput, ServiceInput};
use crate::business::hours;
use crate::business::store::BusinessRow;
use crate::company;
use crate::customer::{self, input as customer_input, store::NewCustomer};
use crate::event::{self, EventType};
use crate::money::{Amount, Money};
use crate::offering::services::lets_in;
use crate::offering::store as lodgings;
use crate::online_booking::availability::{self, ALL_UNITS};
use crate::online_booking::store::{self, VisitRow};
use crate::online_booking::visit::{ChosenPet, ChosenService, Collected, Preference, Slot};
use crate::online_booking::wire::{
    AvailabilityFilter, LeadType, PetParam, PreferredDay, PreferredTime, Step,
};
use crate::pet::profile::{PetProfile, PetProfiles};
use crate::pet::wire::{PetInput, PetType, WeightInput, WeightUnit};
use crate::pet::{self, CustomerRef, CustomerScope};
use crate::setting::service::store::{self as services, ServiceRecord};
use crate::setting::service::wire::{ServiceItemType, ServiceType};
use crate::wire::{Date, Interval};

/// Days ahead the date step offers, today included.
const DAYS_OFFERED: u64 = 14;
/// Pets one visit may bring.
const MAX_PETS: usize = 4;
const MICROS_PER_MINUTE: i64 = 60_000_000;
/// Drop-off hours offered for boarding and daycare at a business without working hours.
const DEFAULT_DROP_OFF_HOURS: std::ops::RangeInclusive<u32> = 8..=18;

const GROOMING_STEPS: [Step; 10] = [
    Step::WelcomePage,
    Step::BasicInfo,
    Step::SelectCareType,
    Step::SelectPet,
    Step::SelectService,
    Step::SelectGroomer,
    Step::SelectDate,
    Step::SelectTime,
    Step::PersonalInfo,
    Step::SubmitAppt,
];

/// Boarding and daycare: no groomer to choose.
const LODGING_STEPS: [Step; 9] = [
    Step::WelcomePage,
    Step::BasicInfo,
    Step::SelectCareType,
    Step::SelectPet,
    Step::SelectService,
    Step::SelectDate,
    Step::SelectTime,
    Step::PersonalInfo,
    Step::SubmitAppt,
];

fn care(visit: &VisitRow) -> ServiceItemType {
    ServiceItemType::from_name(&visit.care_type)
}

pub(super) fn order(care: ServiceItemType) -> &'static [Step] {
    match care {
        ServiceItemType::Boarding | ServiceItemType::Daycare => &LODGING_STEPS,
        _ => &GROOMING_STEPS,
    }
}

fn position(care: ServiceItemType, step: Step) -> Option<usize> {
    order(care).iter().position(|each| *each == step)
}

/// The step to show next: the one after the last completed.
pub fn next_step(visit: &VisitRow) -> Step {
    let steps = order(care(visit));
    let done = position(care(visit), visit.step()).unwrap_or(0);
    steps[(done + 1).min(steps.len() - 1)]
}

/// Whether a visit may show or answer `step`: one it completed, or the next.
pub fn reachable(visit: &VisitRow, step: Step) -> bool {
    if step == Step::WelcomePage {
        return false;
    }
    let next = next_step(visit);
    match (position(care(visit), step), position(care(visit), next)) {
        (Some(asked), Some(next)) => asked <= next,
        _ => false,
    }
}

fn previous(care: ServiceItemType, step: Step) -> Option<Step> {
    position(care, step)
        .filter(|at| *at > 1)
        .map(|at| order(care)[at - 1])
}

/// A posted form's fields, in order (checkboxes repeat their name).
pub struct Answers(pub Vec<(String, String)>);

impl Answers {
    /// The first value of `name`, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.trim())
            .unwrap_or_default()
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(field, _)| field == name)
            .map(|(_, value)| value.trim())
    }
}

/// Why an answer was not recorded.
pub enum Problem {
    /// Something to fix, said to the visitor.
    Invalid(String),
    /// The visit stopped being open meanwhile.
    Closed,
    Failed(String),
}

impl Problem {
    /// The page for a problem met while showing a step.
    pub fn page(self) -> axum::response::Response {
        match self {
            Problem::Invalid(message) => crate::customer::pages::refusal(
                axum::http::StatusCode::CONFLICT,
                "This step cannot go on",
                &format!("{message} Use your browser's back button to change an earlier answer."),
            ),
            Problem::Closed => crate::customer::pages::refusal(
                axum::http::StatusCode::GONE,
                "This booking is closed",
                "The business already followed up on this visit.",
            ),
            Problem::Failed(err) => crate::customer::pages::failure(err),
        }
    }
}

impl From<sqlx::Error> for Problem {
    fn from(err: sqlx::Error) -> Problem {
        Problem::Failed(err.to_string())
    }
}

impl From<Status> for Problem {
    fn from(status: Status) -> Problem {
        match status.code() {
            moapi_core::Code::Internal | moapi_core::Code::Unavailable => {
                Problem::Failed(status.message().to_string())
            }
            _ => Problem::Invalid(status.message().to_string()),
        }
    }
}

fn invalid<T>(message: &str) -> Result<T, Problem> {
    Err(Problem::Invalid(message.to_string()))
}

/// A business with what its pages need of its company.
pub struct Place {
    pub business: BusinessRow,
    pub zone: chrono_tz::Tz,
    pub country: String,
}

impl Place {
    pub async fn load(conn: &mut AnyConnection, business: BusinessRow) -> Result<Place, Status> {
        let zone = company::zone_of(conn, business.company_id).await?;
        let country = customer::company_country(conn, business.company_id).await?;
        Ok(Place {
            business,
            zone,
            country,
        })
    }

    fn scope(&self) -> BusinessScope {
        BusinessScope {
            company_id: self.business.company_id,
            business_id: self.business.id,
        }
    }

    fn today(&self, now: i64) -> NaiveDate {
        company::local_time(now, self.zone).date_naive()
    }

    fn when(&self, micros: i64) -> String {
        company::local_time(micros, self.zone)
            .format("%a %-d %b %Y, %H:%M")
            .to_string()
    }

    /// The page of `step` for the visit, offering what can be chosen now.
    pub async fn render(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        visit: &VisitRow,
        step: Step,
        (action, problem, notice): (&str, Option<&str>, Option<&str>),
    ) -> Result<String, Problem> {
        let collected = Collected::of(visit);
        let care = care(visit);
        let frame = Frame {
            business_name: &self.business.name,
            action,
            progress: (position(care, step).unwrap_or(0), order(care).len() - 1),
            problem,
            notice,
            back: previous(care, step),
        };
        let now = moapi_core::time::now_micros();
        let page = |texts: (&str, &str), fields: &str, button: &str| {
            html::step_page(&frame, step, texts, fields, (button, ""))
        };
        Ok(match step {
            Step::BasicInfo => page(
                (
                    "Your contact details",
                    "Returning client? Use the phone and email the business has for you.",
                ),
                &contact_inputs(visit),
                "Continue",
            ),
            Step::SelectCareType => {
                let offered = self.care_types(conn).await?;
                if offered.is_empty() {
                    return invalid("This business takes no online bookings at the moment.");
                }
                let options: Vec<Choice> = offered
                    .iter()
                    .map(|kind| Choice {
                        value: kind.name().to_string(),
                        label: care_label(*kind).to_string(),
                        detail: String::new(),
                        checked: *kind == care,
                    })
                    .collect();
                page(
                    (
                        "What care do you need?",
                        "Choose one; you can book more later.",
                    ),
                    &html::choices("care", "Care", &options, false),
                    "Continue",
                )
            }
            Step::SelectPet => {
                let mut fields = String::new();
                if let Some(customer_id) = visit.customer_id {
                    let pets =
                        crate::pet::store::list_of_customer(conn, customer_id, false).await?;
                    let options: Vec<Choice> = pets
                        .iter()
                        .map(|pet| Choice {
                            value: state.ids.encode(IdKind::Pet, pet.id),
                            label: pet.name.clone(),
                            detail: pet.breed.clone(),
                            checked: collected
                                .pets
                                .iter()
                                .any(|chosen| chosen.id == Some(pet.id)),
                        })
                        .collect();
                    if !options.is_empty() {
                        fields.push_str(&html::choices("pet", "Your pets", &options, true));
                    }
                }
                let described = collected.pets.iter().find(|pet| pet.id.is_none());
                let types: Vec<(&str, &str)> = PET_TYPES
                    .iter()
                    .map(|(kind, label)| (kind.name(), *label))
                    .collect();
                let weight = described
                    .and_then(|pet| pet.weight)
                    .map(|(value, _)| value.to_string())
                    .unwrap_or_default();
                fields.push_str(&format!(
                    "<h2 style=\"font-size:1.05rem;margin:1.5rem 0 0\">{}</h2>{}{}{}{}{}",
                    if visit.customer_id.is_some() {
                        "Or a new pet"
                    } else {
                        "Your pet"
                    },
                    html::input(
                        "new_pet_name",
                        "Name",
                        described.map(|pet| pet.name.as_str()).unwrap_or_default(),
                        ("text", "")
                    ),
                    html::select(
                        "new_pet_type",
                        "Type",
                        &types,
                        described.map(|pet| pet.pet_type.name()).unwrap_or("DOG")
                    ),
                    html::input(
                        "new_pet_breed",
                        "Breed",
                        described.map(|pet| pet.breed.as_str()).unwrap_or_default(),
                        ("text", "")
                    ),
                    html::input(
                        "new_pet_weight",
                        "Weight",
                        &weight,
                        ("number", " min=\"1\" max=\"400\"")
                    ),
                    html::select(
                        "new_pet_weight_unit",
                        "Unit",
                        &[("POUND", "lb"), ("KILOGRAM", "kg")],
                        described
                            .and_then(|pet| pet.weight)
                            .map(|(_, unit)| unit.name())
                            .unwrap_or("POUND")
                    ),
                ));
                page(
                    (
                        "Who is coming?",
                        "Choose your pets or tell us about a new one.",
                    ),
                    &fields,
                    "Continue",
                )
            }
            Step::SelectService => {
                let offered = self.services_for(state, conn, visit, &collected).await?;
                if offered.is_empty() {
                    return invalid("No service of this care is offered online for these pets; go back and change the care or the pets.");
                }
                let options: Vec<Choice> = offered
                    .iter()
                    .map(|service| Choice {
                        value: state.ids.encode(IdKind::Service, service.id),
                        label: service.values.name.clone(),
                        detail: format!(
                            "{} · {} min",
                            service.values.price.display(),
                            service.values.duration_minutes
                        ),
                        checked: collected
                            .service
                            .as_ref()
                            .is_some_and(|chosen| chosen.id == service.id),
                    })
                    .collect();
                page(
                    ("Choose a service", "Prices are per pet."),
                    &html::choices("service", "Service", &options, false),
                    "Continue",
                )
            }
            Step::SelectGroomer => {
                let staff = self.groomers(conn, &collected).await?;
                let mut options = vec![Choice {
                    value: "any".to_string(),
                    label: "Anyone available".to_string(),
                    detail: String::new(),
                    checked: collected.staff_id.is_none(),
                }];
                options.extend(staff.iter().map(|(id, name)| Choice {
                    value: state.ids.encode(IdKind::Staff, *id),
                    label: name.clone(),
                    detail: String::new(),
                    checked: collected.staff_id == Some(*id),
                }));
                page(
                    ("Choose a groomer", "Or let the business choose."),
                    &html::choices("staff", "Groomer", &options, false),
                    "Continue",
                )
            }
            Step::SelectDate => {
                let dates = self.dates(state, conn, &collected, now).await?;
                let options: Vec<Choice> = dates
                    .iter()
                    .map(|date| Choice {
                        value: date.to_string(),
                        label: date.format("%A %-d %B").to_string(),
                        detail: String::new(),
                        checked: collected.date.as_deref() == Some(date.to_string().as_str()),
                    })
                    .collect();
                let fields = match options.is_empty() {
                    true => "<p class=\"muted\">No day in the next two weeks has room for this booking.</p>".to_string(),
                    false => html::choices("date", "Day", &options, false),
                };
                html::step_page(
                    &frame,
                    step,
                    (
                        "Choose a day",
                        "The days with a free time in the next two weeks.",
                    ),
                    &fields,
                    ("Continue", &html::preference_form(action, step)),
                )
            }
            Step::SelectTime => {
                let slots = self.slots(state, conn, &collected, now).await?;
                let staff_names = availability::business_staff(conn, self.business.id).await?;
                let options: Vec<Choice> = slots
                    .iter()
                    .map(|slot| Choice {
                        value: slot_value(state, slot),
                        label: self.when(slot.start),
                        detail: slot
                            .staff_id
                            .and_then(|id| staff_names.iter().find(|(staff, _)| *staff == id))
                            .map(|(_, name)| format!("with {name}"))
                            .unwrap_or_default(),
                        checked: collected.slot == Some(*slot),
                    })
                    .collect();
                let fields = match options.is_empty() {
                    true => "<p class=\"muted\">No time is free on this day any more; go back and choose another day.</p>".to_string(),
                    false => html::choices("slot", "Time", &options, false),
                };
                html::step_page(
                    &frame,
                    step,
                    ("Choose a time", "The times free on the day you chose."),
                    &fields,
                    ("Continue", &html::preference_form(action, step)),
                )
            }
            Step::PersonalInfo => page(
                ("About you", "So the business knows who is coming."),
                &format!(
                    "{}{}{}",
                    html::input(
                        "first_name",
                        "First name",
                        &collected.first_name,
                        ("text", " required autocomplete=\"given-name\"")
                    ),
                    html::input(
                        "last_name",
                        "Last name",
                        &collected.last_name,
                        ("text", " required autocomplete=\"family-name\"")
                    ),
                    contact_inputs(visit),
                ),
                "Continue",
            ),
            // The summary; a step the visit cannot be at (the welcome page) shows it too.
            _ => {
                let pets: Vec<&str> = collected.pets.iter().map(|pet| pet.name.as_str()).collect();
                let mut rows = vec![
                    ("Care", care_label(care).to_string()),
                    ("Pets", pets.join(", ")),
                ];
                if let Some(service) = &collected.service {
                    rows.push((
                        "Service",
                        format!("{} · {} per pet", service.name, money_text(&service.price)),
                    ));
                }
                if let Some(slot) = collected.slot {
                    rows.push(("When", self.when(slot.start)));
                }
                rows.push((
                    "Name",
                    format!("{} {}", collected.first_name, collected.last_name),
                ));
                rows.push(("Phone", visit.phone.clone()));
                html::step_page(
                    &Frame {
                        progress: (order(care).len() - 1, order(care).len() - 1),
                        ..frame
                    },
                    Step::SubmitAppt,
                    ("Check and send", "The business confirms your request."),
                    &html::summary(&rows),
                    ("Request booking", ""),
                )
            }
        })
    }

    /// Checks a step's answers against what the step offers now and records them, with the
    /// step as the visit's last completed one; answers of later steps are dropped, as a
    /// changed answer may change what they can be.
    pub async fn record(
        &self,
        state: &AppState,
        db: &mut Conn,
        visit: &VisitRow,
        step: Step,
        answers: &Answers,
        now: i64,
    ) -> Result<(), Problem> {
        let conn = db.get().await?;
        let mut visit = visit.clone();
        let mut collected = Collected::of(&visit);
        forget_after(&mut collected, step);
        match step {
            Step::BasicInfo => {
                let phone =
                    customer_input::phone("Mobile phone", answers.get("phone"), &self.country)?;
                if phone.is_empty() {
                    return invalid("Mobile phone: enter your number.");
                }
                let email = customer_input::email("Email", answers.get("email"))?;
                let client = self.existing_client(conn, &phone, &email).await?;
                visit.lead_type = match client {
                    Some(_) => LeadType::ExistingClient,
                    None => LeadType::NewVisitor,
                }
                .name()
                .to_string();
                if let Some((id, first, last)) = client {
                    collected.first_name = first;
                    collected.last_name = last;
                    visit.customer_id = Some(id);
                } else {
                    visit.customer_id = None;
                }
                visit.phone = phone;
                visit.email = email;
            }
            Step::SelectCareType => {
                let chosen = ServiceItemType::from_name(answers.get("care"));
                if !self.care_types(conn).await?.contains(&chosen) {
                    return invalid("Care: choose one of those offered.");
                }
                visit.care_type = chosen.name().to_string();
            }
            Step::SelectPet => {
                collected.pets = self.chosen_pets(state, conn, &visit, answers).await?
            }
            Step::SelectService => {
                let offered = self.services_for(state, conn, &visit, &collected).await?;
                let chosen = state
                    .ids
                    .decode(IdKind::Service, answers.get("service"))
                    .ok();
                let Some(service) = offered
                    .into_iter()
                    .find(|service| Some(service.id) == chosen)
                else {
                    return invalid("Service: choose one of those offered.");
                };
                collected.service = Some(ChosenService {
                    id: service.id,
                    name: service.values.name.clone(),
                    item_type: service.values.item_type,
                    service_type: service.values.service_type,
                    category: service.values.category.clone(),
                    price: service.values.price.to_wire(),
                    minutes: service.values.duration_minutes,
                });
            }
            Step::SelectGroomer => {
                collected.staff_id = match answers.get("staff") {
                    "any" => None,
                    reference => {
                        let chosen = state.ids.decode(IdKind::Staff, reference).ok();
                        let offered = self.groomers(conn, &collected).await?;
                        match offered.iter().find(|(id, _)| Some(*id) == chosen) {
                            Some((id, _)) => Some(*id),
                            None => return invalid("Groomer: choose one of those offered."),
                        }
                    }
                }
            }
            Step::SelectDate => {
                let chosen = NaiveDate::parse_from_str(answers.get("date"), "%Y-%m-%d").ok();
                let dates = self.dates(state, conn, &collected, now).await?;
                match chosen.filter(|date| dates.contains(date)) {
                    Some(date) => collected.date = Some(date.to_string()),
                    None => return invalid("Day: choose one of the days offered."),
                }
            }
            Step::SelectTime => {
                let slots = self.slots(state, conn, &collected, now).await?;
                let chosen = answers.get("slot");
                match slots
                    .into_iter()
                    .find(|slot| slot_value(state, slot) == chosen)
                {
                    Some(slot) => collected.slot = Some(slot),
                    None => {
                        return invalid(
                            "Time: that time is no longer free; choose one of those offered.",
                        )
                    }
                }
            }
            Step::PersonalInfo => {
                collected.first_name =
                    customer_input::name("First name", Some(answers.get("first_name")))?;
                collected.last_name =
                    customer_input::name("Last name", Some(answers.get("last_name")))?;
                let phone =
                    customer_input::phone("Mobile phone", answers.get("phone"), &self.country)?;
                if phone.is_empty() {
                    return invalid("Mobile phone: enter your number.");
                }
                let email = customer_input::email("Email", answers.get("email"))?;
                // A recognised client books as that client: their contact is theirs.
                if visit.customer_id.is_some() && (phone != visit.phone || email != visit.email) {
                    return invalid(
                        "Your phone and email are those the business has for you; to book as someone else, start a new booking.",
                    );
                }
                visit.phone = phone;
                visit.email = email;
            }
            _ => return invalid("That step cannot be answered."),
        }
        visit.step = step.name().to_string();
        visit.data = collected.to_json();
        let _gate = db.write_gate().await;
        match store::advance(db.get().await?, &visit, now).await? {
            Some(_) => Ok(()),
            None => Err(Problem::Closed),
        }
    }

    /// Records when the visitor would like to come (`abandonPreference`), keeping the step.
    pub async fn prefer(
        &self,
        db: &mut Conn,
        visit: &VisitRow,
        answers: &Answers,
        now: i64,
    ) -> Result<VisitRow, Problem> {
        let day = PreferredDay::from_name(answers.get("preferred_day"));
        let time = PreferredTime::from_name(answers.get("preferred_time"));
        if day.is_unspecified() || time.is_unspecified() {
            return invalid("Choose a preferred day and time.");
        }
        let mut visit = visit.clone();
        let mut collected = Collected::of(&visit);
        collected.preference = Some(Preference {
            day,
            time,
            submitted_at: now,
        });
        visit.data = collected.to_json();
        let _gate = db.write_gate().await;
        store::advance(db.get().await?, &visit, now)
            .await?
            .ok_or(Problem::Closed)
    }

    /// Books the visit, if what it chose is still offered: in one transaction, creates the
    /// customer and new pets, books an UNCONFIRMED appointment with the checks of
    /// CreateAppointment (conflicts included), emits ONLINE_BOOKING_RECEIVED and marks the
    /// visit SUBMITTED, last (so a visit books once, and the staff locks come first as in
    /// every booking).
    pub async fn submit(
        &self,
        state: &AppState,
        db: &mut Conn,
        visit: &VisitRow,
        now: i64,
    ) -> Result<(), Problem> {
        let collected = Collected::of(visit);
        let (Some(service), Some(slot)) = (&collected.service, collected.slot) else {
            return invalid("Choose a service and a time first.");
        };
        if collected.pets.is_empty() || collected.first_name.is_empty() {
            return invalid("Tell us about your pets and yourself first.");
        }
        // What was offered may have changed since it was chosen: the time passed or was taken,
        // the day closed, the service changed. Only what is still offered, at the price shown,
        // is booked.
        let conn = db.get().await?;
        let offered = self.services_for(state, conn, visit, &collected).await?;
        match offered.iter().find(|offer| offer.id == service.id) {
            Some(offer) if offer.values.price.to_wire() == service.price => {}
            Some(_) => {
                return invalid("The price of the service changed: go back and choose it again.")
            }
            None => {
                return invalid("The service is no longer offered: go back and choose another.")
            }
        }
        if !self
            .slots(state, conn, &collected, now)
            .await?
            .contains(&slot)
        {
            return invalid("That time is no longer free: go back and choose another.");
        }
        let owner = access::owner_of(conn, self.business.company_id).await?;
        let _gate = db.write_gate().await;
        let mut tx = db.begin().await?;
        let customer_id = match visit.customer_id {
            Some(id) => id,
            None => {
                self.create_customer(state, &mut tx, visit, &collected)
                    .await?
            }
        };
        let scope = CustomerScope {
            customer: CustomerRef {
                id: customer_id,
                company_id: self.business.company_id,
                deleted: false,
            },
            country: self.country.clone(),
        };
        let mut pet_ids = Vec::with_capacity(collected.pets.len());
        for pet in &collected.pets {
            pet_ids.push(match pet.id {
                Some(id) => id,
                None => {
                    let input = PetInput {
                        name: pet.name.clone(),
                        pet_type: pet.pet_type,
                        breed: pet.breed.clone(),
                        weight: pet.weight.map(|(value, unit)| WeightInput {
                            value: Some(json!(value)),
                            unit,
                        }),
                        ..PetInput::default()
                    };
                    let created = pet::create_in(state, &mut tx, &scope, "pet", &input).await?;
                    state
                        .ids
                        .decode(IdKind::Pet, &created.id)
                        .map_err(|_| Problem::Failed("a created pet's ID".into()))?
                }
            });
        }
        let lodging = match service.item_type {
            ServiceItemType::Boarding | ServiceItemType::Daycare => {
                match self
                    .unit_with_room(&mut tx, (slot.start, slot.end), pet_ids.len())
                    .await?
                {
                    Some(unit) => Some(state.ids.encode(IdKind::LodgingUnit, unit)),
                    None => {
                        return invalid("That stay is full now; go back and choose another day.")
                    }
                }
            }
            _ => None,
        };
        let request = CreateAppointmentRequest {
            business_id: state.ids.encode(IdKind::Business, self.business.id),
            customer_id: state.ids.encode(IdKind::Customer, customer_id),
            pet_services: pet_ids
                .iter()
                .map(|pet_id| PetServiceInput {
                    pet_id: state.ids.encode(IdKind::Pet, *pet_id),
                    services: vec![ServiceInput {
                        id: state.ids.encode(IdKind::Service, service.id),
                        duration: Some(Interval::from_micros(Some(slot.start), None)),
                        staff_ids: slot
                            .staff_id
                            .map(|id| state.ids.encode(IdKind::Staff, id))
                            .into_iter()
                            .collect(),
                        lodging_id: lodging.clone(),
                        price: None,
                    }],
                })
                .collect(),
            ignore_conflict: Some(false),
            appointment_notes: Vec::new(),
            auto_message_methods: Vec::new(),
        };
        // The page acts for the company, as the operator's seed does; the principal never
        // leaves this process.
        let principal = MoegoPrincipal {
            key_id: "online-booking".into(),
            client_id: owner.client_id,
            restriction: MoegoRestriction::Company(self.business.company_id),
            scopes: vec![appointment::WRITE_SCOPE.to_string()],
        };
        let checked = appointment::booking::check_create(&mut tx, state, &principal, &request)
            .await
            .map_err(|status| {
                Problem::Invalid(format!(
                    "That time can no longer be booked ({}); go back and choose another.",
                    status.message()
                ))
            })?;
        let booked = appointment::booking::book_in(
            state,
            &mut tx,
            &checked,
            Some(&OnlineBooker {
                phone: &visit.phone,
                email: &visit.email,
                visit_id: visit.id,
            }),
            now,
        )
        .await
        .map_err(|status| match status.code() {
            moapi_core::Code::Internal | moapi_core::Code::Unavailable => {
                Problem::Failed(status.message().to_string())
            }
            _ => Problem::Invalid(format!(
                "That time was just taken ({}); go back and choose another.",
                status.message()
            )),
        })?;
        let appointment_id = state
            .ids
            .decode(IdKind::Appointment, &booked.id)
            .map_err(|_| Problem::Failed("a booked appointment's ID".into()))?;
        let payload = json!({
            "id": state.ids.encode(IdKind::OnlineBooking, visit.id),
            "businessId": booked.business_id,
            "customerId": booked.customer_id,
            "duration": booked.duration,
            "petServiceDetails": booked.pet_service_details,
            "status": "NORMAL",
            "createdTime": moapi_core::time::protojson_timestamp(now),
        });
        event::emit(
            &mut tx,
            &state.ids,
            self.business.company_id,
            EventType::OnlineBookingReceived,
            "onlineBooking",
            payload,
        )
        .await?;
        let at = (appointment_id, checked.start_at);
        if !store::submit(&mut tx, visit, customer_id, at, now).await? {
            // Submitted (or changed) meanwhile: dropping the transaction undoes this booking.
            return Err(Problem::Closed);
        }
        tx.commit().await?;
        Ok(())
    }

    /// The page of a submitted visit.
    pub fn submitted_page(&self, visit: &VisitRow) -> String {
        let collected = Collected::of(visit);
        let when = visit
            .appointment_at
            .map(|at| self.when(at))
            .unwrap_or_default();
        let service = collected
            .service
            .map(|service| service.name)
            .unwrap_or_default();
        html::submitted(&self.business.name, &when, &service)
    }

    async fn create_customer(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        visit: &VisitRow,
        collected: &Collected,
    ) -> Result<i64, Problem> {
        let mut customer = NewCustomer::new(self.business.company_id);
        customer.first_name = collected.first_name.clone();
        customer.last_name = collected.last_name.clone();
        customer.phone = visit.phone.clone();
        customer.email = visit.email.clone();
        customer.preferred_business_id = Some(self.business.id);
        let created = customer::create_in(conn, state, &customer, &[], &[]).await?;
        state
            .ids
            .decode(IdKind::Customer, &created.id)
            .map_err(|_| Problem::Failed("a created customer's ID".into()))
    }

    /// The live customer of the company with this phone and email: a visitor is recognised
    /// only by both (the vendor sends a code; the sandbox asks for what only the client
    /// knows together).
    async fn existing_client(
        &self,
        conn: &mut AnyConnection,
        phone: &str,
        email: &str,
    ) -> Result<Option<(i64, String, String)>, sqlx::Error> {
        if email.is_empty() {
            return Ok(None);
        }
        sqlx::query_as(
            "SELECT id, first_name, last_name FROM moego_customers WHERE company_id = $1 \
             AND deleted = 0 AND phone = $2 AND LOWER(email) = LOWER($3) ORDER BY id LIMIT 1",
        )
        .bind(self.business.company_id)
        .bind(phone)
        .bind(email)
        .fetch_optional(conn)
        .await
    }

    /// The active services of the company offered at the business, standalone ones (no
    /// add-ons), by ID.
    async fn offered_services(
        &self,
        conn: &mut AnyConnection,
    ) -> Result<Vec<ServiceRecord>, sqlx::Error> {
        let query = services::ListQuery {
            company_id: self.business.company_id,
            business_ids: Some(vec![self.business.id]),
            item_types: Vec::new(),
        };
        Ok(
            services::list(conn, &query, crate::offering::services::ALL_SERVICES)
                .await?
                .into_iter()
                .filter(|service| service.values.service_type != ServiceType::Addon)
                .collect(),
        )
    }

    /// The cares of the business's online services, in the vendor's order.
    async fn care_types(
        &self,
        conn: &mut AnyConnection,
    ) -> Result<Vec<ServiceItemType>, sqlx::Error> {
        let offered = self.offered_services(conn).await?;
        Ok([
            ServiceItemType::Grooming,
            ServiceItemType::Boarding,
            ServiceItemType::Daycare,
        ]
        .into_iter()
        .filter(|kind| {
            offered
                .iter()
                .any(|service| service.values.item_type == *kind)
        })
        .collect())
    }

    /// The services of the visit's care that let in every pet of the visit.
    async fn services_for(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        visit: &VisitRow,
        collected: &Collected,
    ) -> Result<Vec<ServiceRecord>, Problem> {
        let care = care(visit);
        let existing: Vec<i64> = collected.pets.iter().filter_map(|pet| pet.id).collect();
        let catalogs = PetProfiles::load(conn, self.business.company_id, &existing).await?;
        let profiles: Vec<PetProfile> = collected
            .pets
            .iter()
            .map(|pet| match pet.id.and_then(|id| catalogs.pet(id)) {
                Some(profile) => profile.clone(),
                None => PetProfile::described(pet.pet_type, &pet.breed, pet.weight),
            })
            .collect();
        Ok(self
            .offered_services(conn)
            .await?
            .into_iter()
            .filter(|service| service.values.item_type == care)
            .filter(|service| {
                profiles
                    .iter()
                    .all(|pet| lets_in(&state.ids, &catalogs, &service.values.filters, pet))
            })
            .collect())
    }

    /// The staff who may give the chosen service.
    async fn groomers(
        &self,
        conn: &mut AnyConnection,
        collected: &Collected,
    ) -> Result<Vec<(i64, String)>, Problem> {
        let Some(chosen) = &collected.service else {
            return Ok(Vec::new());
        };
        let Some(service) = services::find(conn, chosen.id).await? else {
            return Ok(Vec::new());
        };
        Ok(availability::business_staff(conn, self.business.id)
            .await?
            .into_iter()
            .filter(|(id, _)| service.values.gives(*id))
            .collect())
    }

    /// What GetBookingAvailability answers for the visit's pets, service and groomer over
    /// `days`.
    async fn availability(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        collected: &Collected,
        (first, last): (NaiveDate, NaiveDate),
        now: i64,
    ) -> Result<crate::online_booking::wire::GetBookingAvailabilityResponse, Problem> {
        let Some(service) = &collected.service else {
            return invalid("Choose a service first.");
        };
        let filter = AvailabilityFilter {
            start_date: Some(Date::from(first)),
            end_date: Some(Date::from(last)),
            service_ids: vec![state.ids.encode(IdKind::Service, service.id)],
            staff_ids: collected
                .staff_id
                .map(|id| state.ids.encode(IdKind::Staff, id))
                .into_iter()
                .collect(),
            pets: collected
                .pets
                .iter()
                .map(|pet| PetParam {
                    id: pet.id.map(|id| state.ids.encode(IdKind::Pet, id)),
                    pet_type: pet.pet_type,
                    breed: pet.breed.clone(),
                    weight: pet.weight.map(|(value, unit)| WeightInput {
                        value: Some(json!(value)),
                        unit,
                    }),
                    ..PetParam::default()
                })
                .collect(),
        };
        Ok(availability::compute(state, conn, self.scope(), &filter, now).await?)
    }

    /// The days of the next two weeks with a free time for the visit.
    async fn dates(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        collected: &Collected,
        now: i64,
    ) -> Result<Vec<NaiveDate>, Problem> {
        let today = self.today(now);
        let last = today + Days::new(DAYS_OFFERED - 1);
        let answer = self
            .availability(state, conn, collected, (today, last), now)
            .await?;
        Ok(answer
            .available_dates
            .iter()
            .filter_map(|date| date.calendar_day("date").ok())
            .collect())
    }

    /// The times free on the chosen day: each staff member's slots for grooming (the first
    /// staff member's at a time when anyone may do), drop-off times within the working hours
    /// for boarding and daycare.
    pub(super) async fn slots(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        collected: &Collected,
        now: i64,
    ) -> Result<Vec<Slot>, Problem> {
        let (Some(date), Some(service)) = (&collected.date, &collected.service) else {
            return invalid("Choose a day first.");
        };
        let Ok(day) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
            return invalid("Choose a day first.");
        };
        let answer = self
            .availability(state, conn, collected, (day, day), now)
            .await?;
        let Some(by_date) = answer.availability.first() else {
            return Ok(Vec::new());
        };
        let mut slots: Vec<Slot> = Vec::new();
        for staff in &by_date.staff {
            let staff_id = state.ids.decode(IdKind::Staff, &staff.staff_id).ok();
            for interval in &staff.available_slots {
                let (Some(start), Some(end)) = crate::wire::interval("slot", interval)? else {
                    continue;
                };
                if !slots.iter().any(|slot| slot.start == start) {
                    slots.push(Slot {
                        start,
                        end,
                        staff_id,
                    });
                }
            }
        }
        if by_date.staff.is_empty() {
            // Boarding and daycare take no staff time: drop-off on the hour.
            let minutes = i64::from(service.minutes);
            let hours = hours::of_business(conn, self.business.id).await?;
            for hour in 0..24 {
                let Some(start) = day
                    .and_hms_opt(hour, 0, 0)
                    .and_then(|local| self.zone.from_local_datetime(&local).earliest())
                    .map(|at| at.timestamp_micros())
                else {
                    continue;
                };
                let open = match &hours {
                    Some(hours) => hours.covers(start, start + MICROS_PER_MINUTE),
                    None => DEFAULT_DROP_OFF_HOURS.contains(&hour),
                };
                if open && start > now {
                    slots.push(Slot {
                        start,
                        end: start + minutes * MICROS_PER_MINUTE,
                        staff_id: None,
                    });
                }
            }
        }
        slots.sort_by_key(|slot| slot.start);
        Ok(slots)
    }

    /// A lodging unit of the business with room for `pets` more over the stay.
    async fn unit_with_room(
        &self,
        conn: &mut AnyConnection,
        stay: (i64, i64),
        pets: usize,
    ) -> Result<Option<i64>, sqlx::Error> {
        let units = lodgings::units(
            conn,
            self.business.company_id,
            Some(&[self.business.id]),
            ALL_UNITS,
        )
        .await?;
        availability::unit_with_room(conn, &units, stay, pets as i64).await
    }

    /// The pets a pet step chose: the customer's ticked (live, theirs) and one described.
    async fn chosen_pets(
        &self,
        state: &AppState,
        conn: &mut AnyConnection,
        visit: &VisitRow,
        answers: &Answers,
    ) -> Result<Vec<ChosenPet>, Problem> {
        let mut chosen = Vec::new();
        if let Some(customer_id) = visit.customer_id {
            let theirs = crate::pet::store::list_of_customer(conn, customer_id, false).await?;
            for reference in answers.all("pet") {
                let id = state.ids.decode(IdKind::Pet, reference).ok();
                let Some(pet) = theirs.iter().find(|pet| Some(pet.id) == id) else {
                    return invalid("Pets: choose among your pets.");
                };
                if !chosen
                    .iter()
                    .any(|seen: &ChosenPet| seen.id == Some(pet.id))
                {
                    chosen.push(ChosenPet {
                        id: Some(pet.id),
                        name: pet.name.clone(),
                        pet_type: PetType::from_name(&pet.pet_type),
                        breed: pet.breed.clone(),
                        weight: pet
                            .weight_value
                            .and_then(|value| u32::try_from(value).ok())
                            .map(|value| (value, WeightUnit::from_name(&pet.weight_unit))),
                    });
                }
            }
        }
        let name = answers.get("new_pet_name");
        if !name.is_empty() {
            let pet_type = PetType::from_name(answers.get("new_pet_type"));
            if !PET_TYPES.iter().any(|(kind, _)| *kind == pet_type) {
                return invalid("Type: choose one of those listed.");
            }
            let weight = match answers.get("new_pet_weight") {
                "" => None,
                text => match text.parse::<u32>() {
                    Ok(value) if (1..=400).contains(&value) => {
                        let unit = match answers.get("new_pet_weight_unit") {
                            "KILOGRAM" => WeightUnit::Kilogram,
                            _ => WeightUnit::Pound,
                        };
                        Some((value, unit))
                    }
                    _ => return invalid("Weight: a whole number from 1 to 400."),
                },
            };
            if answers.get("new_pet_breed").is_empty() {
                return invalid("Breed: tell us the breed (or \"Mixed\").");
            }
            if name.chars().count() > 100 || answers.get("new_pet_breed").chars().count() > 100 {
                return invalid("Name and breed: at most 100 characters each.");
            }
            chosen.push(ChosenPet {
                id: None,
                name: name.to_string(),
                pet_type,
                breed: answers.get("new_pet_breed").to_string(),
                weight,
            });
        }
        if chosen.is_empty() {
            return invalid("Pets: choose a pet or tell us about a new one.");
        }
        if chosen.len() > MAX_PETS {
            return invalid("Pets: at most four in one booking.");
        }
        Ok(chosen)
    }
}

/// The pet types the page offers for a new pet.
const PET_TYPES: [(PetType, &str); 5] = [
    (PetType::Dog, "Dog"),
    (PetType::Cat, "Cat"),
    (PetType::Rabbit, "Rabbit"),
    (PetType::Bird, "Bird"),
    (PetType::Other, "Other"),
];

fn care_label(care: ServiceItemType) -> &'static str {
    match care {
        ServiceItemType::Grooming => "Grooming",
        ServiceItemType::Boarding => "Boarding",
        ServiceItemType::Daycare => "Daycare",
        _ => "",
    }
}

/// The phone and email fields, as the visit last gave them.
fn contact_inputs(visit: &VisitRow) -> String {
    format!(
        "{}{}",
        html::input(
            "phone",
            "Mobile phone",
            &visit.phone,
            ("tel", " required autocomplete=\"tel\"")
        ),
        html::input(
            "email",
            "Email",
            &visit.email,
            ("email", " autocomplete=\"email\"")
        ),
    )
}

/// A time's form value: its start and its staff member.
pub(super) fn slot_value(state: &AppState, slot: &Slot) -> String {
    format!(
        "{}|{}",
        slot.start,
        slot.staff_id
            .map(|id| state.ids.encode(IdKind::Staff, id))
            .unwrap_or_default()
    )
}

fn money_text(price: &Money) -> String {
    Amount::from_wire("price", price)
        .map(|amount| amount.display())
        .unwrap_or_default()
}

/// Drops the answers of the steps after `step`.
fn forget_after(collected: &mut Collected, step: Step) {
    let rank = |each: Step| GROOMING_STEPS.iter().position(|s| *s == each).unwrap_or(0);
    let at = rank(step);
    if at <= rank(Step::BasicInfo) {
        collected.pets.clear();
    }
    if at < rank(Step::SelectService) {
        collected.service = None;
    }
    if at < rank(Step::SelectGroomer) {
        collected.staff_id = None;
    }
    if at < rank(Step::SelectDate) {
        collected.date = None;
    }
    if at < rank(Step::SelectTime) {
        collected.slot = None;
    }
}
