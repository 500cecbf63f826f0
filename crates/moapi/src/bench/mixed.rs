//! `moapi bench-mixed`: the demo set seeded many times over (each copy under its own names),
//! with bulk customers, appointments and trips added to every tenant; the server on loopback
//! (with its webhook engine and AI worker); and connections that each send a weighted mix of
//! the reads and writes of every resource of both APIs, with the keys of many tenants. It
//! reports requests/s and latency overall and per operation group, and every answer that was
//! not 2xx: each request is well-formed for the rows it names, so any such answer is a bug. A
//! measurement, not a test: figures go to docs/performance.md.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate, TimeZone, Weekday};
use moapi_core::time::{iso_millis, now_micros, protojson_timestamp};
use moapi_core::{AppState, IdKind};
use moapi_mogu::trip::store as trip_store;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use super::appointments::{random_start, seed_appointments, seed_catalog};
use super::moego::{progress, seed_customers, seeded_phone, Tenant, DAY};
use super::webhooks::{node_config, start_receiver, Arrivals};
use super::{
    bench_database, bench_trip, load_client, print_results, remove_scratch_database, settle,
    start_server, summarize, ScenarioResult, CITIES, KINDS,
};
use crate::fixtures::Fixtures;
use crate::operator;

pub struct MixedBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    /// Copies of the demo set.
    pub scale: usize,
    pub connections: usize,
    pub duration: Duration,
}

/// Bulk rows added to every company and every account of each copy.
const CUSTOMERS_PER_COMPANY: usize = 1_000;
const APPOINTMENTS_PER_COMPANY: usize = 1_000;
const TRIPS_PER_ACCOUNT: usize = 1_000;
/// A connection remembers at most this many rows of each kind it created.
const OWN_ROWS: usize = 32;
/// Distinct failures (operation and status) printed.
const FAILURES_SHOWN: usize = 8;
const HOUR: i64 = 3_600_000_000;

/// How the bench books in one demo company without ever asking for staff time another
/// booking holds: each booking staff member has a run of one-hour slots on the plan's
/// weekdays, from four weeks ahead, within the business's working hours (so that reschedules
/// pass too), and each slot is taken once. Blocks go on Thursdays, which no plan books.
struct Plan {
    company: &'static str,
    business: &'static str,
    service: &'static str,
    /// First names of the staff the bookings name; none: bookings name no staff.
    staff: &'static [&'static str],
    weekdays: &'static [Weekday],
    first_hour: u32,
    starts_per_day: u64,
    currency: &'static str,
}

/// One plan per company of the demo set, in its order.
const PLANS: &[Plan] = &[
    // Downtown opens 09:00-18:00 Monday to Wednesday; Bath & Brush takes an hour.
    Plan {
        company: "Happy Paws Grooming",
        business: "Happy Paws Downtown",
        service: "Bath & Brush",
        staff: &["Ava", "Liam"],
        weekdays: &[Weekday::Mon, Weekday::Tue, Weekday::Wed],
        first_hour: 9,
        starts_per_day: 9,
        currency: "USD",
    },
    // Toronto opens 07:00-19:00 on Mondays and Fridays; Day Camp takes nine hours.
    Plan {
        company: "Waggin' Tails Boarding",
        business: "Waggin' Tails Toronto",
        service: "Day Camp",
        staff: &[],
        weekdays: &[Weekday::Mon, Weekday::Fri],
        first_hour: 7,
        starts_per_day: 4,
        currency: "CAD",
    },
];

/// The settings catalogs' list endpoints under `/v1/setting/companies/{id}/`.
const SETTINGS_CATALOGS: &[&str] = &[
    "custom_fields",
    "customer/referral_sources:list",
    "customer/tags:list",
    "leads/action_status",
    "leads/life_cycles",
    "pet/coat_types:list",
    "pet/codes:list",
    "pet/sizes:list",
    "pet/types:list",
];

/// A demo company as the load addresses it: wire IDs of its rows.
struct Company {
    /// Its key; `business_id` is the plan's business.
    tenant: Tenant,
    plan: &'static Plan,
    timezone: chrono_tz::Tz,
    /// The first bookable Monday, four weeks or more ahead.
    first_monday: NaiveDate,
    businesses: Vec<String>,
    staff: Vec<String>,
    booking_staff: Vec<String>,
    /// The next free slot of each booking staff member (one run when bookings name none).
    slots: Vec<AtomicU64>,
    /// Staff working at the plan's business.
    block_staff: Vec<String>,
    service: String,
    services: Vec<String>,
    customers: Vec<String>,
    phones: Vec<String>,
    /// (customer, pet) of its live pets.
    pets: Vec<(String, String)>,
    leads: Vec<String>,
    pet_codes: Vec<String>,
    /// (appointment, its business).
    appointments: Vec<(String, String)>,
    orders: Vec<String>,
    payments: Vec<String>,
    blocks: Vec<String>,
    /// The webhook made at the start, delivering its appointment events to the receiver.
    webhook: String,
}

impl Company {
    fn at(&self, date: NaiveDate, hour: u32) -> i64 {
        let local = date.and_hms_opt(hour, 0, 0).expect("an hour of the day");
        self.timezone
            .from_local_datetime(&local)
            .earliest()
            .expect("a local time that exists")
            .timestamp_micros()
    }

    fn day(&self, days: u64) -> NaiveDate {
        self.first_monday + Days::new(days)
    }

    /// Takes the next slot of booking staff member `staff` (0 when bookings name none): its
    /// start.
    fn take_slot(&self, staff: usize) -> i64 {
        let plan = self.plan;
        let n = self.slots[staff].fetch_add(1, Ordering::Relaxed);
        let (day, hour) = (n / plan.starts_per_day, n % plan.starts_per_day);
        let days = plan.weekdays.len() as u64;
        let weekday = plan.weekdays[(day % days) as usize];
        let date = self.day(day / days * 7 + u64::from(weekday.num_days_from_monday()));
        self.at(date, plan.first_hour + hour as u32)
    }

    /// A block's start: a Thursday hour within the next year (blocks are not checked for
    /// conflicts, and no booking of the bench falls on a Thursday).
    fn block_start(&self, rng: &mut StdRng) -> i64 {
        let date = self.day(rng.gen_range(0..52) * 7 + 3);
        self.at(date, rng.gen_range(6..22))
    }

    /// `body` with the company's ID, as MoeGo's company-wide requests carry it.
    fn body(&self, mut body: Value) -> Value {
        body["companyId"] = json!(self.tenant.company_id);
        body
    }

    fn send(
        &self,
        client: &reqwest::Client,
        method: Method,
        url: &str,
        body: Option<Value>,
    ) -> reqwest::RequestBuilder {
        self.tenant.send(client, method, url, body)
    }
}

/// A demo MOGU account as the load addresses it.
struct Account {
    /// `Bearer ak_...` of each of its agents.
    keys: Vec<String>,
    trips: Vec<i64>,
    catalogs: Vec<i64>,
    /// An AI import started at the beginning.
    job: String,
}

/// An operation of the mix: its vendor operation ID, its report group and its weight (its
/// share of the requests is its weight over the sum of all weights).
struct Spec {
    op: Op,
    name: &'static str,
    group: &'static str,
    weight: u32,
}

/// The operations, in a `Op` enum and in `MIX`, in the same order.
macro_rules! mix {
    ($($op:ident $name:literal $group:ident $weight:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Op { $($op,)* }

        const MIX: &[Spec] = &[
            $(Spec { op: Op::$op, name: $name, group: $group, weight: $weight },)*
        ];
    };
}

const DIRECTORY: &str = "MoeGo companies, businesses, staff (read)";
const CUSTOMERS_READ: &str = "MoeGo customers, notes, tags, client lookup (read)";
const CUSTOMERS_WRITE: &str = "MoeGo customers, notes, tags (write)";
const PETS_READ: &str = "MoeGo pets, pet notes (read)";
const PETS_WRITE: &str = "MoeGo pets, notes, codes (write)";
const LEADS_READ: &str = "MoeGo leads (read)";
const LEADS_WRITE: &str = "MoeGo leads, promotion (write)";
const SETTINGS_READ: &str = "MoeGo settings catalogs, lodgings, services (read)";
const SETTINGS_WRITE: &str = "MoeGo services (write)";
const APPOINTMENTS_READ: &str = "MoeGo appointments list, get, check, notes, reports (read)";
const APPOINTMENTS_WRITE: &str =
    "MoeGo appointments create, notes, status, cancel, reschedule (write)";
const BLOCKS_READ: &str = "MoeGo blocks (read)";
const BLOCKS_WRITE: &str = "MoeGo blocks (write)";
const ORDERS_READ: &str = "MoeGo orders, line items, discounts, payments (read)";
const WEBHOOKS_READ: &str = "MoeGo webhooks, deliveries (read)";
const WEBHOOKS_WRITE: &str = "MoeGo webhooks (write)";
const TRIPS_READ: &str = "MOGU trips list, get, config, visualizations (read)";
const TRIPS_WRITE: &str = "MOGU trips create, patch, config, visibility (write)";
const CATALOGS_READ: &str = "MOGU catalogs (read)";
const CATALOGS_WRITE: &str = "MOGU catalogs (write)";
const JOBS_READ: &str = "MOGU AI job status (read)";

mix! {
    ListCompanies "CompanyService_ListCompanies" DIRECTORY 8,
    GetCompany "CompanyService_GetCompany" DIRECTORY 8,
    ListBusinesses "BusinessService_ListBusiness" DIRECTORY 8,
    GetBusiness "BusinessService_GetBusiness" DIRECTORY 8,
    ListStaffs "StaffService_ListStaffs" DIRECTORY 10,
    GetStaff "StaffService_GetStaff" DIRECTORY 8,
    ListCustomers "CustomerService_ListCustomers" CUSTOMERS_READ 40,
    GetCustomer "CustomerService_GetCustomer" CUSTOMERS_READ 40,
    ListCustomerNotes "CustomerService_ListCustomerNotes" CUSTOMERS_READ 12,
    ListCustomerTags "CustomerService_ListCustomerTags" CUSTOMERS_READ 8,
    LookupClientPetProfile "AggregationService_LookupClientPetProfile" CUSTOMERS_READ 10,
    CreateCustomer "CustomerService_CreateCustomer" CUSTOMERS_WRITE 10,
    UpdateCustomer "CustomerService_UpdateCustomer" CUSTOMERS_WRITE 8,
    AppendCustomerNotes "CustomerService_AppendCustomerNotes" CUSTOMERS_WRITE 8,
    UpdateCustomerNote "CustomerService_UpdateCustomerNote" CUSTOMERS_WRITE 4,
    DeleteCustomerNote "CustomerService_DeleteCustomerNote" CUSTOMERS_WRITE 3,
    AppendCustomerTags "CustomerService_AppendCustomerTags" CUSTOMERS_WRITE 4,
    ListPets "PetService_ListPets" PETS_READ 15,
    ListAllPets "PetService_ListAllPets" PETS_READ 15,
    GetPet "PetService_GetPet" PETS_READ 25,
    ListPetNotes "PetService_ListPetNotes" PETS_READ 8,
    CreatePet "PetService_CreatePet" PETS_WRITE 5,
    UpdatePet "PetService_UpdatePet" PETS_WRITE 5,
    AppendPetNotes "PetService_AppendPetNotes" PETS_WRITE 4,
    AppendPetCodes "PetService_AppendPetCodes" PETS_WRITE 3,
    DeletePetCode "PetService_DeletePetCode" PETS_WRITE 3,
    ListLeads "LeadService_ListLeads" LEADS_READ 8,
    GetLead "LeadService_GetLead" LEADS_READ 8,
    CreateLead "LeadService_CreateLead" LEADS_WRITE 4,
    UpdateLead "LeadService_UpdateLead" LEADS_WRITE 3,
    PromoteLead "LeadService_PromoteLead" LEADS_WRITE 2,
    ListSettingsCatalog "SettingService_List{CustomFields,...,PetTypes}" SETTINGS_READ 30,
    ListLodgings "SettingService_ListLodgings" SETTINGS_READ 4,
    ListServices "SettingService_ListServices" SETTINGS_READ 12,
    GetService "SettingService_GetService" SETTINGS_READ 8,
    CreateService "SettingService_CreateService" SETTINGS_WRITE 2,
    UpdateService "SettingService_UpdateService" SETTINGS_WRITE 2,
    ListAppointments "AppointmentService_ListAppointments" APPOINTMENTS_READ 60,
    GetAppointment "AppointmentService_GetAppointment" APPOINTMENTS_READ 45,
    CheckAvailability "AppointmentService_CheckAppointmentAvailability" APPOINTMENTS_READ 25,
    ListAppointmentNotes "AppointmentService_ListAppointmentNotes" APPOINTMENTS_READ 8,
    ListGroomingReports "AppointmentService_ListGroomingReports" APPOINTMENTS_READ 4,
    CreateAppointment "AppointmentService_CreateAppointment" APPOINTMENTS_WRITE 20,
    CreateAppointmentNote "AppointmentService_CreateAppointmentNote" APPOINTMENTS_WRITE 5,
    UpdateAppointmentNote "AppointmentService_UpdateAppointmentNote" APPOINTMENTS_WRITE 3,
    UpdateAppointmentStatus "AppointmentService_UpdateAppointmentStatus" APPOINTMENTS_WRITE 12,
    CancelAppointment "AppointmentService_CancelAppointment" APPOINTMENTS_WRITE 3,
    RescheduleAppointment "AppointmentService_RescheduleAppointment" APPOINTMENTS_WRITE 6,
    ListBlocks "BlockService_ListBlocks" BLOCKS_READ 8,
    GetBlock "BlockService_GetBlock" BLOCKS_READ 8,
    CreateBlock "BlockService_CreateBlock" BLOCKS_WRITE 3,
    DeleteBlock "BlockService_DeleteBlock" BLOCKS_WRITE 3,
    ListOrders "OrderService_ListOrders" ORDERS_READ 25,
    GetOrder "OrderService_GetOrder" ORDERS_READ 20,
    ListOrderLineItems "OrderService_ListOrderLineItems" ORDERS_READ 8,
    ListOrderDiscounts "OrderService_ListOrderDiscounts" ORDERS_READ 5,
    ListPayments "PaymentService_ListPayments" ORDERS_READ 10,
    GetPayment "PaymentService_GetPayment" ORDERS_READ 10,
    ListWebhooks "WebhookService_ListWebhooks" WEBHOOKS_READ 5,
    GetWebhook "WebhookService_GetWebhook" WEBHOOKS_READ 5,
    ListWebhookDeliveries "WebhookService_ListWebhookDeliveries" WEBHOOKS_READ 4,
    CreateWebhook "WebhookService_CreateWebhook" WEBHOOKS_WRITE 1,
    DeleteWebhook "WebhookService_DeleteWebhook" WEBHOOKS_WRITE 1,
    GetTrips "getTrips" TRIPS_READ 70,
    GetTripById "getTripById" TRIPS_READ 55,
    GetTripConfig "getTripConfig" TRIPS_READ 25,
    GetTripVisualizations "getTripVisualizations" TRIPS_READ 4,
    CreateTrip "createTrip" TRIPS_WRITE 8,
    UpdateTrip "updateTrip" TRIPS_WRITE 8,
    UpdateTripConfig "updateTripConfig" TRIPS_WRITE 8,
    SetTripVisibility "setTripVisibility" TRIPS_WRITE 3,
    GetCatalogs "getCatalogs" CATALOGS_READ 10,
    GetCatalogById "getCatalogById" CATALOGS_READ 8,
    GetCatalogTrips "getCatalogTrips" CATALOGS_READ 10,
    UpdateCatalog "updateCatalog" CATALOGS_WRITE 2,
    GetJobStatus "getJobStatus" JOBS_READ 8,
}

fn spec_of(op: Op) -> &'static Spec {
    &MIX[op as usize]
}

fn is_write(op: Op) -> bool {
    spec_of(op).group.ends_with("(write)")
}

/// The appointment statuses a move may go to, in order (FINISHED is final).
const STAGES: [&str; 5] = [
    "UNCONFIRMED",
    "CONFIRMED",
    "CHECKED_IN",
    "READY",
    "FINISHED",
];

/// An appointment a connection booked and may still move.
struct OwnAppointment {
    company: usize,
    id: String,
    staff: usize,
    stage: usize,
}

/// A pet a connection created, with the pet code it carries, if any.
struct OwnPet {
    company: usize,
    customer: String,
    id: String,
    code: Option<String>,
}

/// Rows a connection created, which only it changes or deletes (so that none of its writes
/// is refused for another connection's doing).
#[derive(Default)]
struct Own {
    appointments: Vec<OwnAppointment>,
    /// (company, appointment, note).
    appointment_notes: Vec<(usize, String, String)>,
    customers: Vec<(usize, String)>,
    /// (company, customer, note).
    customer_notes: Vec<(usize, String, String)>,
    pets: Vec<OwnPet>,
    leads: Vec<(usize, String)>,
    /// (company, service, its name).
    services: Vec<(usize, String, String)>,
    blocks: Vec<(usize, String)>,
    webhook: Option<(usize, String)>,
    trips: Vec<(usize, i64)>,
}

/// Appends `row`, forgetting the oldest beyond [`OWN_ROWS`].
fn remember<T>(rows: &mut Vec<T>, row: T) {
    if rows.len() >= OWN_ROWS {
        rows.remove(0);
    }
    rows.push(row);
}

/// What to learn from a 2xx answer: the ID of the row a create made.
enum Keep {
    Nothing,
    Appointment { company: usize, staff: usize },
    AppointmentNote { company: usize, appointment: String },
    Customer(usize),
    CustomerNote { company: usize, customer: String },
    Pet { company: usize, customer: String },
    Lead(usize),
    Service { company: usize, name: String },
    Block(usize),
    Webhook(usize),
    Trip(usize),
}

/// Whose key a request carries: a company's (MoeGo) or an agent's of an account (MOGU).
#[derive(Clone, Copy)]
enum Caller {
    Company(usize),
    Account(usize),
}

/// A request before it is built, and what to keep from its answer.
struct Call {
    op: Op,
    caller: Caller,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    keep: Keep,
}

impl Call {
    fn keep(mut self, keep: Keep) -> Call {
        self.keep = keep;
        self
    }
}

fn call(op: Op, caller: Caller, method: Method, path: String, body: Option<Value>) -> Option<Call> {
    Some(Call {
        op,
        caller,
        method,
        path,
        query: Vec::new(),
        body,
        keep: Keep::Nothing,
    })
}

/// A MoeGo request as company `c`.
fn moego(op: Op, c: usize, method: Method, path: String, body: Option<Value>) -> Option<Call> {
    call(op, Caller::Company(c), method, path, body)
}

struct Planned {
    op: Op,
    request: reqwest::RequestBuilder,
    keep: Keep,
}

struct Shared {
    base: String,
    receiver: String,
    companies: Vec<Company>,
    accounts: Vec<Account>,
    /// Running sums of the mix's weights.
    cumulative: Vec<u32>,
}

/// One load connection: its client, its draws and the rows it made.
struct Worker {
    index: usize,
    shared: Arc<Shared>,
    client: reqwest::Client,
    rng: StdRng,
    own: Own,
    serial: u64,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> Option<&'a T> {
    items.choose(rng)
}

fn page() -> Value {
    json!({"pageSize": 20})
}

/// A `google.type.Interval` of `length` microseconds from `start`.
fn window(start: i64, length: i64) -> Value {
    json!({"startTime": protojson_timestamp(start), "endTime": protojson_timestamp(start + length)})
}

/// A random North American number of the area code, as a person would type it.
fn phone(rng: &mut StdRng, area: &str) -> String {
    format!(
        "({area}) {:03}-{:04}",
        rng.gen_range(200..1000),
        rng.gen_range(0..10_000)
    )
}

impl Worker {
    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// The next request: an operation drawn from the mix, on a random tenant (or on a row
    /// this connection made, for the writes that change or delete one).
    fn plan(&mut self) -> Planned {
        let call = loop {
            let cumulative = &self.shared.cumulative;
            let draw = self.rng.gen_range(0..*cumulative.last().expect("a mix"));
            let op = MIX[cumulative.partition_point(|&sum| sum <= draw)].op;
            if let Some(call) = self.plan_op(op) {
                break call;
            }
        };
        let shared = self.shared.clone();
        let url = format!("{}{}", shared.base, call.path);
        let mut request = match call.caller {
            Caller::Company(c) => {
                shared.companies[c].send(&self.client, call.method, &url, call.body)
            }
            Caller::Account(a) => {
                let key = pick(&mut self.rng, &shared.accounts[a].keys).expect("an agent key");
                let request = self
                    .client
                    .request(call.method, url)
                    .header("authorization", key);
                match call.body {
                    Some(body) => request.json(&body),
                    None => request,
                }
            }
        };
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        Planned {
            op: call.op,
            request,
            keep: call.keep,
        }
    }

    /// `op` on a random company (or the company of a row this connection made), or `None`
    /// when that company lacks what it needs (another draw follows). A write that changes a
    /// row this connection made falls back to the write that makes one when it has none.
    fn plan_op(&mut self, op: Op) -> Option<Call> {
        use Method as M;
        let shared = self.shared.clone();
        let c = self.rng.gen_range(0..shared.companies.len());
        let company = &shared.companies[c];
        let id = &company.tenant.company_id;
        let business = &company.tenant.business_id;
        let rng = &mut self.rng;
        let get = |path: String| moego(op, c, M::GET, path, None);
        let post = |path: &str, body: Value| moego(op, c, M::POST, path.to_string(), Some(body));
        match op {
            Op::ListCompanies => post("/v1/companies:list", json!({"pagination": page()})),
            Op::GetCompany => get(format!("/v1/companies/{id}")),
            Op::ListBusinesses => post(
                "/v1/businesses:list",
                company.body(json!({"pagination": page()})),
            ),
            Op::GetBusiness => get(format!(
                "/v1/businesses/{}",
                pick(rng, &company.businesses)?
            )),
            Op::ListStaffs => post(
                "/v1/staffs:list",
                company.body(json!({"pagination": page()})),
            ),
            Op::GetStaff => get(format!("/v1/staffs/{}", pick(rng, &company.staff)?)),
            Op::ListCustomers => {
                let mut body = company.body(json!({"pagination": page()}));
                match rng.gen_range(0..3) {
                    0 => {}
                    1 => {
                        let phone = seeded_phone(rng.gen_range(0..CUSTOMERS_PER_COMPANY));
                        body["filter"] = json!({"mainPhoneNumber": phone});
                    }
                    _ => {
                        let start = now_micros() - rng.gen_range(30..365) * DAY;
                        body["filter"] = json!({"lastUpdatedTime": window(start, 30 * DAY)});
                    }
                }
                post("/v1/customers:list", body)
            }
            Op::GetCustomer => get(format!("/v1/customers/{}", pick(rng, &company.customers)?)),
            Op::ListCustomerNotes => post(
                &format!(
                    "/v1/customers/{}/notes:list",
                    pick(rng, &company.customers)?
                ),
                json!({"pagination": page()}),
            ),
            Op::ListCustomerTags => post(
                &format!("/v1/customers/{}/tags:list", pick(rng, &company.customers)?),
                json!({}),
            ),
            Op::LookupClientPetProfile => post(
                "/v1/aggregation/clients:lookupClientPetProfile",
                json!({"businessId": business, "phoneNumber": pick(rng, &company.phones)?}),
            ),
            Op::CreateCustomer => {
                let first = *["Zoe", "Omar", "Ines", "Theo", "Maya"].choose(rng)?;
                let body = json!({"preferredBusinessId": business, "firstName": first,
                    "lastName": "Hart", "phone": phone(rng, "650")});
                post("/v1/customers", company.body(body)).map(|call| call.keep(Keep::Customer(c)))
            }
            Op::UpdateCustomer => {
                let customer = pick(rng, &company.customers)?;
                let last = *["Davis", "Hart", "Nguyen", "Okafor", "Rossi"].choose(rng)?;
                let body = company.body(json!({"lastName": last}));
                moego(
                    op,
                    c,
                    M::PUT,
                    format!("/v1/customers/{customer}"),
                    Some(body),
                )
            }
            Op::AppendCustomerNotes => {
                let Some((c, customer)) = self.own.customers.choose(&mut self.rng).cloned() else {
                    return self.plan_op(Op::CreateCustomer);
                };
                let body = json!({"notes": [{"note": "Gate code 1234"}]});
                moego(
                    op,
                    c,
                    M::POST,
                    format!("/v1/customers/{customer}/notes"),
                    Some(body),
                )
                .map(|call| {
                    call.keep(Keep::CustomerNote {
                        company: c,
                        customer,
                    })
                })
            }
            Op::UpdateCustomerNote => {
                let own = self.own.customer_notes.choose(&mut self.rng).cloned();
                let Some((c, customer, note)) = own else {
                    return self.plan_op(Op::AppendCustomerNotes);
                };
                let body = json!({"note": "Prefers afternoons now"});
                let path = format!("/v1/customers/{customer}/notes/{note}");
                moego(op, c, M::PUT, path, Some(body))
            }
            Op::DeleteCustomerNote => {
                if self.own.customer_notes.is_empty() {
                    return self.plan_op(Op::AppendCustomerNotes);
                }
                let index = self.rng.gen_range(0..self.own.customer_notes.len());
                let (c, customer, note) = self.own.customer_notes.swap_remove(index);
                let path = format!("/v1/customers/{customer}/notes/{note}");
                moego(op, c, M::DELETE, path, None)
            }
            Op::AppendCustomerTags => {
                let customer = pick(rng, &company.customers)?;
                let tag = *["Loyal", "VIP", "Needs reminder", "Weekend only"].choose(rng)?;
                post(
                    &format!("/v1/customers/{customer}/tags"),
                    json!({"tags": [{"name": tag}]}),
                )
            }
            Op::ListPets => {
                let (customer, _) = pick(rng, &company.pets)?;
                post(&format!("/v1/customers/{customer}/pets:list"), json!({}))
            }
            Op::ListAllPets => {
                let mut body = company.body(json!({"pagination": page()}));
                if rng.gen_bool(0.5) {
                    let (customer, _) = pick(rng, &company.pets)?;
                    body["filter"] = json!({"customerIds": [customer]});
                }
                post("/v1/pets:list", body)
            }
            Op::GetPet => {
                let (customer, pet) = pick(rng, &company.pets)?;
                get(format!("/v1/customers/{customer}/pets/{pet}"))
            }
            Op::ListPetNotes => {
                let (customer, pet) = pick(rng, &company.pets)?;
                post(
                    &format!("/v1/customers/{customer}/pets/{pet}/notes:list"),
                    json!({"pagination": page()}),
                )
            }
            Op::CreatePet => {
                let customer = pick(rng, &company.customers)?.clone();
                let (name, breed) =
                    *[("Pip", "Corgi"), ("Luna", "Beagle"), ("Milo", "Poodle")].choose(rng)?;
                post(
                    &format!("/v1/customers/{customer}/pets"),
                    json!({"pet": {"name": name, "type": "DOG", "breed": breed}}),
                )
                .map(|call| {
                    call.keep(Keep::Pet {
                        company: c,
                        customer,
                    })
                })
            }
            Op::UpdatePet => {
                let (customer, pet) = pick(rng, &company.pets)?;
                let breed = *["Golden Retriever mix", "Labrador", "Poodle mix"].choose(rng)?;
                let path = format!("/v1/customers/{customer}/pets/{pet}");
                moego(op, c, M::PUT, path, Some(json!({"breed": breed})))
            }
            Op::AppendPetNotes => {
                let Some(pet) = self.own.pets.choose(&mut self.rng) else {
                    return self.plan_op(Op::CreatePet);
                };
                let path = format!("/v1/customers/{}/pets/{}/notes", pet.customer, pet.id);
                let body = json!({"notes": [{"content": "Sensitive ears"}]});
                moego(op, pet.company, M::POST, path, Some(body))
            }
            Op::AppendPetCodes => {
                let codes_of = |pet: &OwnPet| &shared.companies[pet.company].pet_codes;
                let free: Vec<usize> = (0..self.own.pets.len())
                    .filter(|&i| {
                        let pet = &self.own.pets[i];
                        pet.code.is_none() && !codes_of(pet).is_empty()
                    })
                    .collect();
                let Some(&index) = free.choose(&mut self.rng) else {
                    return self.plan_op(Op::CreatePet);
                };
                let pet = &mut self.own.pets[index];
                let code = codes_of(pet).choose(&mut self.rng)?.clone();
                pet.code = Some(code.clone());
                let path = format!("/v1/customers/{}/pets/{}/codes", pet.customer, pet.id);
                moego(
                    op,
                    pet.company,
                    M::POST,
                    path,
                    Some(json!({"petCodeIds": [code]})),
                )
            }
            Op::DeletePetCode => {
                let carrying: Vec<usize> = (0..self.own.pets.len())
                    .filter(|&i| self.own.pets[i].code.is_some())
                    .collect();
                let Some(&index) = carrying.choose(&mut self.rng) else {
                    return self.plan_op(Op::AppendPetCodes);
                };
                let pet = &mut self.own.pets[index];
                let code = pet.code.take()?;
                let path = format!(
                    "/v1/customers/{}/pets/{}/codes/{code}",
                    pet.customer, pet.id
                );
                moego(op, pet.company, M::DELETE, path, None)
            }
            Op::ListLeads => post(
                "/v1/leads:list",
                company.body(json!({"pagination": page()})),
            ),
            Op::GetLead => get(format!("/v1/leads/{}", pick(rng, &company.leads)?)),
            Op::CreateLead => {
                let lead = company.body(json!({"firstName": "Ivy", "lastName": "Stone",
                    "phone": phone(rng, "628"),
                    "pets": [{"name": "Pip", "type": "DOG", "breed": "Corgi"}]}));
                post("/v1/leads", json!({"lead": lead})).map(|call| call.keep(Keep::Lead(c)))
            }
            Op::UpdateLead => {
                // Its own leads half the time, the demo set's otherwise.
                let (c, lead) = match self.own.leads.choose(&mut self.rng).cloned() {
                    Some(own) if self.rng.gen_bool(0.5) => own,
                    _ => (c, pick(&mut self.rng, &company.leads)?.clone()),
                };
                let body = json!({"lead": {"lastName": "Tran"}});
                moego(op, c, M::PUT, format!("/v1/leads/{lead}"), Some(body))
            }
            Op::PromoteLead => {
                if self.own.leads.is_empty() {
                    return self.plan_op(Op::CreateLead);
                }
                let index = self.rng.gen_range(0..self.own.leads.len());
                let (c, lead) = self.own.leads.swap_remove(index);
                let body = json!({"id": lead});
                moego(op, c, M::POST, "/v1/leads:promote".to_string(), Some(body))
            }
            Op::ListSettingsCatalog => post(
                &format!(
                    "/v1/setting/companies/{id}/{}",
                    SETTINGS_CATALOGS.choose(rng)?
                ),
                json!({}),
            ),
            Op::ListLodgings => post(&format!("/v1/setting/companies/{id}/lodgings"), json!({})),
            Op::ListServices => post(
                &format!("/v1/setting/companies/{id}/services:list"),
                json!({"businessIds": [pick(rng, &company.businesses)?],
                    "pagination": page()}),
            ),
            Op::GetService => get(format!(
                "/v1/setting/companies/{id}/services/{}",
                pick(rng, &company.services)?
            )),
            Op::CreateService => {
                let serial = self.next_serial();
                let name = format!("Teeth Cleaning {}-{serial}", self.index);
                post(
                    &format!("/v1/setting/companies/{id}/services"),
                    json!({"name": name, "serviceItemType": "GROOMING", "serviceType": "ADDON",
                        "price": {"currencyCode": company.plan.currency, "units": "12"},
                        "serviceTime": 15, "availableBusinessIds": [business]}),
                )
                .map(|call| call.keep(Keep::Service { company: c, name }))
            }
            Op::UpdateService => {
                let own = self.own.services.choose(&mut self.rng).cloned();
                let Some((c, service, name)) = own else {
                    return self.plan_op(Op::CreateService);
                };
                let owner = &shared.companies[c];
                let units = self.rng.gen_range(10..40).to_string();
                let path = format!(
                    "/v1/setting/companies/{}/services/{service}",
                    owner.tenant.company_id
                );
                let body = json!({"name": name,
                    "price": {"currencyCode": owner.plan.currency, "units": units}});
                moego(op, c, M::PUT, path, Some(body))
            }
            Op::ListAppointments => {
                let business = pick(rng, &company.businesses)?;
                let start = random_start(now_micros(), rng, 7);
                post(
                    "/v1/appointments:list",
                    company.body(json!({"businessIds": [business], "pagination": page(),
                        "filter": {"startTime": window(start, 7 * DAY)}})),
                )
            }
            Op::GetAppointment => {
                let (appointment, business) = pick(rng, &company.appointments)?;
                get(format!(
                    "/v1/appointments/{appointment}?businessId={business}"
                ))
            }
            Op::CheckAvailability => {
                let (customer, pet) = pick(rng, &company.pets)?;
                let start = random_start(now_micros(), rng, 1);
                post(
                    "/v1/appointments:check",
                    json!({"businessId": business, "customerId": customer, "petIds": [pet],
                        "dateRange": window(start, DAY)}),
                )
            }
            Op::ListAppointmentNotes => {
                let (appointment, _) = pick(rng, &company.appointments)?;
                post(
                    "/v1/appointments/notes:list",
                    json!({"appointmentId": appointment}),
                )
            }
            Op::ListGroomingReports => {
                let (appointment, business) = pick(rng, &company.appointments)?;
                post(
                    "/v1/grooming_reports:list",
                    json!({"businessId": business, "appointmentIds": [appointment]}),
                )
            }
            Op::CreateAppointment => {
                // The next free slot of a random booking staff member, conflicts checked.
                let (customer, pet) = pick(rng, &company.pets)?;
                let staff = rng.gen_range(0..company.slots.len());
                let start = company.take_slot(staff);
                let mut service = json!({"id": company.service,
                    "duration": {"startTime": protojson_timestamp(start)}});
                if let Some(member) = company.booking_staff.get(staff) {
                    service["staffIds"] = json!([member]);
                }
                post(
                    "/v1/appointments",
                    json!({"businessId": business, "customerId": customer,
                        "ignoreConflict": false,
                        "petServices": [{"petId": pet, "services": [service]}]}),
                )
                .map(|call| call.keep(Keep::Appointment { company: c, staff }))
            }
            Op::CreateAppointmentNote => {
                let Some(own) = self.own.appointments.choose(&mut self.rng) else {
                    return self.plan_op(Op::CreateAppointment);
                };
                let (c, appointment) = (own.company, own.id.clone());
                let body = json!({"appointmentId": appointment, "note": "Likes treats",
                    "type": "COMMENT"});
                moego(
                    op,
                    c,
                    M::POST,
                    "/v1/appointments/notes".to_string(),
                    Some(body),
                )
                .map(|call| {
                    call.keep(Keep::AppointmentNote {
                        company: c,
                        appointment,
                    })
                })
            }
            Op::UpdateAppointmentNote => {
                let own = self.own.appointment_notes.choose(&mut self.rng).cloned();
                let Some((c, _, note)) = own else {
                    return self.plan_op(Op::CreateAppointmentNote);
                };
                let body = json!({"note": "Likes treats, small ones"});
                moego(
                    op,
                    c,
                    M::PUT,
                    format!("/v1/appointments/notes/{note}"),
                    Some(body),
                )
            }
            Op::UpdateAppointmentStatus | Op::CancelAppointment => {
                if self.own.appointments.is_empty() {
                    return self.plan_op(Op::CreateAppointment);
                }
                let index = self.rng.gen_range(0..self.own.appointments.len());
                let own = &mut self.own.appointments[index];
                let business = &shared.companies[own.company].tenant.business_id;
                let (verb, body) = if op == Op::CancelAppointment {
                    own.stage = STAGES.len();
                    ("cancel", json!({"businessId": business}))
                } else {
                    // One stage forward mostly, sometimes two.
                    let step = if self.rng.gen_bool(0.8) { 1 } else { 2 };
                    own.stage = (own.stage + step).min(STAGES.len() - 1);
                    let status = STAGES[own.stage];
                    (
                        "updateStatus",
                        json!({"businessId": business, "status": status}),
                    )
                };
                let (c, path) = (own.company, format!("/v1/appointments/{}:{verb}", own.id));
                // FINISHED and CANCELED are final.
                if own.stage >= STAGES.len() - 1 {
                    self.forget_appointment(index);
                }
                moego(op, c, M::POST, path, Some(body))
            }
            Op::RescheduleAppointment => {
                let Some(own) = self.own.appointments.choose(&mut self.rng) else {
                    return self.plan_op(Op::CreateAppointment);
                };
                let owner = &shared.companies[own.company];
                let start = owner.take_slot(own.staff);
                let body = json!({"businessId": owner.tenant.business_id,
                    "duration": {"startTime": protojson_timestamp(start)}});
                let path = format!("/v1/appointments/{}:reschedule", own.id);
                moego(op, own.company, M::POST, path, Some(body))
            }
            Op::ListBlocks => post(
                "/v1/blocks:list",
                company.body(json!({"businessIds": [business], "pagination": page()})),
            ),
            Op::GetBlock => get(format!("/v1/blocks/{}", pick(rng, &company.blocks)?)),
            Op::CreateBlock => {
                let staff = pick(rng, &company.block_staff)?;
                let start = company.block_start(rng);
                post(
                    "/v1/blocks",
                    json!({"businessId": business, "staffId": staff, "description": "Training",
                        "duration": window(start, HOUR)}),
                )
                .map(|call| call.keep(Keep::Block(c)))
            }
            Op::DeleteBlock => {
                if self.own.blocks.is_empty() {
                    return self.plan_op(Op::CreateBlock);
                }
                let index = self.rng.gen_range(0..self.own.blocks.len());
                let (c, block) = self.own.blocks.swap_remove(index);
                moego(op, c, M::DELETE, format!("/v1/blocks/{block}"), None)
            }
            Op::ListOrders => {
                let business = pick(rng, &company.businesses)?;
                let start = random_start(now_micros(), rng, 7);
                post(
                    "/v1/orders:list",
                    company.body(json!({"businessIds": [business], "pagination": page(),
                        "filter": {"lastUpdatedTime": window(start, 7 * DAY)}})),
                )
            }
            Op::GetOrder => get(format!("/v1/orders/{}", pick(rng, &company.orders)?)),
            Op::ListOrderLineItems => post(
                "/v1/orders/items:list",
                company.body(
                    json!({"filter": {"orderIds": [pick(rng, &company.orders)?]},
                    "includeTax": true}),
                ),
            ),
            Op::ListOrderDiscounts => post(
                "/v1/orders/discounts:list",
                company.body(json!({"filter": {"orderIds": [pick(rng, &company.orders)?]}})),
            ),
            Op::ListPayments => post(
                "/v1/payments:list",
                company.body(
                    json!({"filter": {"orderIds": [pick(rng, &company.orders)?]},
                    "pagination": page()}),
                ),
            ),
            Op::GetPayment => get(format!("/v1/payment/{}", pick(rng, &company.payments)?)),
            Op::ListWebhooks => post("/v1/webhooks:list", json!({"pagination": page()})),
            Op::GetWebhook => get(format!("/v1/webhooks/{}", company.webhook)),
            Op::ListWebhookDeliveries => post(
                "/v1/webhook/deliveries:list",
                json!({"webhookId": company.webhook, "pagination": page()}),
            ),
            // A connection holds one webhook at most: it makes one, then deletes it.
            Op::CreateWebhook | Op::DeleteWebhook => match self.own.webhook.take() {
                Some((c, webhook)) => moego(
                    Op::DeleteWebhook,
                    c,
                    M::DELETE,
                    format!("/v1/webhooks/{webhook}"),
                    None,
                ),
                None => {
                    let serial = self.next_serial();
                    let endpoint =
                        format!("{}?connection={}&n={serial}", shared.receiver, self.index);
                    // An event no request of the mix causes: it is never delivered.
                    let body = json!({"endpointUrl": endpoint, "eventTypes": ["CUSTOMER_DELETED"],
                        "organizations": [{"id": id, "type": "COMPANY"}]});
                    moego(
                        Op::CreateWebhook,
                        c,
                        M::POST,
                        "/v1/webhooks".to_string(),
                        Some(body),
                    )
                    .map(|call| call.keep(Keep::Webhook(c)))
                }
            },
            _ => self.plan_mogu(op),
        }
    }

    /// `op`, a MOGU operation, on a random account (or the account of a trip this connection
    /// made).
    fn plan_mogu(&mut self, op: Op) -> Option<Call> {
        use Method as M;
        let shared = self.shared.clone();
        let a = self.rng.gen_range(0..shared.accounts.len());
        let account = &shared.accounts[a];
        let rng = &mut self.rng;
        let trip = *account.trips.choose(rng)?;
        let catalog = *account.catalogs.choose(rng)?;
        let mogu = |method: Method, path: String, body: Option<Value>| {
            call(op, Caller::Account(a), method, path, body)
        };
        match op {
            Op::GetTrips => {
                let mut query = vec![("pageSize", "20".to_string())];
                match rng.gen_range(0..3) {
                    0 => query.push(("page", "1".to_string())),
                    // The target of issue 3 (above), on a small account.
                    1 => query.extend([
                        ("filters", r#"[{"field":"duration","operator":"gte","value":5},{"field":"countries","operator":"contains","value":"FRA"}]"#.to_string()),
                        ("search", r#"{"fields":["title"],"term":"paris"}"#.to_string()),
                        ("orderBy", r#"{"field":"createdAt","direction":"desc"}"#.to_string()),
                    ]),
                    // Trips starting within a 30-day window, by start.
                    _ => {
                        let from = now_micros() + rng.gen_range(0..700) * DAY;
                        let (from, to) = (iso_millis(from), iso_millis(from + 30 * DAY));
                        query.extend([
                            ("filters", format!(r#"[{{"field":"dateStart","operator":"gte","value":"{from}"}},{{"field":"dateStart","operator":"lt","value":"{to}"}}]"#)),
                            ("orderBy", r#"{"field":"dateStart","direction":"asc"}"#.to_string()),
                        ]);
                    }
                }
                let mut list = mogu(M::GET, "/trips".to_string(), None)?;
                list.query = query;
                Some(list)
            }
            Op::GetTripById => mogu(M::GET, format!("/trips/{trip}"), None),
            Op::GetTripConfig => mogu(M::GET, format!("/trips/{trip}/config"), None),
            Op::GetTripVisualizations => {
                mogu(M::GET, format!("/trips/{trip}/visualizations"), None)
            }
            Op::CreateTrip => {
                let (city, country) = *CITIES.choose(rng)?;
                let kind = KINDS.choose(rng)?;
                let body = json!({"title": format!("{city} {kind}"),
                    "duration": rng.gen_range(2..15), "countries": [country]});
                mogu(M::POST, "/trips".to_string(), Some(body)).map(|call| call.keep(Keep::Trip(a)))
            }
            Op::UpdateTrip => {
                let (city, _) = *CITIES.choose(rng)?;
                let body = json!({"title": format!("{city} Escape"),
                    "duration": rng.gen_range(2..15)});
                mogu(M::PATCH, format!("/trips/{trip}"), Some(body))
            }
            Op::UpdateTripConfig => {
                let agent = *["Ana", "Ben", "Lucia"].choose(rng)?;
                let body = json!({"contact": {"agentName": agent}});
                mogu(M::PATCH, format!("/trips/{trip}/config"), Some(body))
            }
            Op::SetTripVisibility => {
                let Some(&(a, trip)) = self.own.trips.choose(&mut self.rng) else {
                    return self.plan_mogu(Op::CreateTrip);
                };
                let body = json!({"isPublic": self.rng.gen_bool(0.5)});
                let path = format!("/trips/{trip}/visibility");
                call(op, Caller::Account(a), M::PATCH, path, Some(body))
            }
            Op::GetCatalogs => mogu(M::GET, "/catalogs".to_string(), None),
            Op::GetCatalogById => mogu(M::GET, format!("/catalogs/{catalog}"), None),
            Op::GetCatalogTrips => mogu(M::GET, format!("/catalogs/{catalog}/trips"), None),
            Op::UpdateCatalog => {
                let body = json!({"description": format!("Updated by connection {}", self.index)});
                mogu(M::PATCH, format!("/catalogs/{catalog}"), Some(body))
            }
            Op::GetJobStatus => mogu(M::GET, format!("/ai/trips/{}/status", account.job), None),
            _ => unreachable!("{op:?} is a MoeGo operation"),
        }
    }

    fn forget_appointment(&mut self, index: usize) {
        let gone = self.own.appointments.swap_remove(index);
        self.own
            .appointment_notes
            .retain(|(_, appointment, _)| *appointment != gone.id);
    }

    /// Remembers the row a 2xx create answered with; `false` when the answer lacks its ID.
    fn keep(&mut self, keep: Keep, body: &[u8]) -> bool {
        if matches!(keep, Keep::Nothing) {
            return true;
        }
        let Ok(answer) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        let text = |value: &Value| value.as_str().map(str::to_string);
        let own = &mut self.own;
        match keep {
            Keep::Nothing => {}
            Keep::Appointment { company, staff } => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                remember(
                    &mut own.appointments,
                    OwnAppointment {
                        company,
                        id,
                        staff,
                        stage: 0,
                    },
                );
            }
            Keep::AppointmentNote {
                company,
                appointment,
            } => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                remember(&mut own.appointment_notes, (company, appointment, id));
            }
            Keep::Customer(company) => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                remember(&mut own.customers, (company, id));
            }
            Keep::CustomerNote { company, customer } => {
                let last = answer["notes"].as_array().and_then(|notes| notes.last());
                let Some(id) = last.and_then(|note| text(&note["id"])) else {
                    return false;
                };
                remember(&mut own.customer_notes, (company, customer, id));
            }
            Keep::Pet { company, customer } => {
                let Some(id) = text(&answer["pet"]["id"]) else {
                    return false;
                };
                remember(
                    &mut own.pets,
                    OwnPet {
                        company,
                        customer,
                        id,
                        code: None,
                    },
                );
            }
            Keep::Lead(company) => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                remember(&mut own.leads, (company, id));
            }
            Keep::Service { company, name } => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                remember(&mut own.services, (company, id, name));
            }
            Keep::Block(company) => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                remember(&mut own.blocks, (company, id));
            }
            Keep::Webhook(company) => {
                let Some(id) = text(&answer["id"]) else {
                    return false;
                };
                own.webhook = Some((company, id));
            }
            Keep::Trip(account) => {
                let Some(id) = answer["id"].as_i64() else {
                    return false;
                };
                remember(&mut own.trips, (account, id));
            }
        }
        true
    }
}

/// One failed request of a kind (operation and status; 0 for no answer at all).
struct Failure {
    operation: &'static str,
    status: u16,
    excerpt: String,
    count: usize,
}

/// What one connection saw.
struct Tally {
    /// Latencies of 2xx answers, microseconds, by `Op`.
    latencies: Vec<Vec<u64>>,
    /// Non-2xx answers and requests without an answer, by `Op`.
    non_2xx: Vec<usize>,
    unanswered: Vec<usize>,
    /// 2xx answers to creates without the created row's ID.
    malformed: usize,
    failures: Vec<Failure>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            latencies: vec![Vec::new(); MIX.len()],
            non_2xx: vec![0; MIX.len()],
            unanswered: vec![0; MIX.len()],
            malformed: 0,
            failures: Vec::new(),
        }
    }

    fn fail(&mut self, op: Op, status: u16, excerpt: String) {
        let operation = spec_of(op).name;
        match self
            .failures
            .iter_mut()
            .find(|seen| seen.operation == operation && seen.status == status)
        {
            Some(seen) => seen.count += 1,
            None => self.failures.push(Failure {
                operation,
                status,
                excerpt,
                count: 1,
            }),
        }
    }

    fn merge(&mut self, other: Tally) {
        for (mine, theirs) in self.latencies.iter_mut().zip(other.latencies) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.non_2xx.iter_mut().zip(other.non_2xx) {
            *mine += theirs;
        }
        for (mine, theirs) in self.unanswered.iter_mut().zip(other.unanswered) {
            *mine += theirs;
        }
        self.malformed += other.malformed;
        for failure in other.failures {
            match self
                .failures
                .iter_mut()
                .find(|seen| seen.operation == failure.operation && seen.status == failure.status)
            {
                Some(seen) => seen.count += failure.count,
                None => self.failures.push(failure),
            }
        }
    }
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(240).collect()
}

async fn run_connection(mut worker: Worker, deadline: Instant) -> Tally {
    let mut tally = Tally::new();
    while Instant::now() < deadline {
        let Planned { op, request, keep } = worker.plan();
        let sent = Instant::now();
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status();
                response.bytes().await.map(|body| (status, body))
            }
            Err(err) => Err(err),
        };
        match answer {
            Ok((status, body)) if status.is_success() => {
                tally.latencies[op as usize].push(sent.elapsed().as_micros() as u64);
                if !worker.keep(keep, &body) {
                    tally.malformed += 1;
                    tally.fail(op, status.as_u16(), format!("no ID in {}", excerpt(&body)));
                }
            }
            Ok((status, body)) => {
                tally.non_2xx[op as usize] += 1;
                tally.fail(op, status.as_u16(), excerpt(&body));
            }
            Err(err) => {
                tally.unanswered[op as usize] += 1;
                tally.fail(op, 0, err.to_string());
            }
        }
    }
    tally
}

/// The demo set under names of its own: copy `copy`'s organizations, companies and accounts
/// end with its number and its agents' emails carry it (`ana+3@wanderlust.example`).
fn demo_copy(copy: usize) -> Fixtures {
    let mut demo = Fixtures::demo();
    for organization in &mut demo.moego {
        organization.name = format!("{} {copy}", organization.name);
        for company in &mut organization.companies {
            company.name = format!("{} {copy}", company.name);
        }
    }
    for account in &mut demo.mogu {
        account.name = format!("{} {copy}", account.name);
        for agent in &mut account.agents {
            agent.email = agent.email.replacen('@', &format!("+{copy}@"), 1);
        }
    }
    demo
}

/// A seeded company: its report entry and plan.
struct SeededCompany {
    company_id: String,
    business_ids: Vec<String>,
    authorization: String,
    plan: &'static Plan,
    timezone: String,
}

/// A seeded account: its ID and its agents' keys.
struct SeededAccount {
    id: i64,
    keys: Vec<String>,
}

/// Seeds `scale` copies of the demo set, then the bulk rows of each company and account.
async fn seed(
    state: &AppState,
    scale: usize,
) -> anyhow::Result<(Vec<SeededCompany>, Vec<SeededAccount>)> {
    let demo = Fixtures::demo();
    let demo_companies: Vec<_> = demo.moego.iter().flat_map(|o| &o.companies).collect();
    anyhow::ensure!(
        demo_companies.len() == PLANS.len()
            && demo_companies
                .iter()
                .zip(PLANS)
                .all(|(company, plan)| company.name == plan.company),
        "the bench's booking plans no longer match the demo set's companies"
    );
    let started = Instant::now();
    let (mut companies, mut accounts) = (Vec::new(), Vec::<SeededAccount>::new());
    for copy in 0..scale {
        let report = operator::seed(state, &mut state.db.conn(), demo_copy(copy)).await?;
        for ((seeded, plan), fixture) in report.moego.into_iter().zip(PLANS).zip(&demo_companies) {
            companies.push(SeededCompany {
                company_id: seeded.company_id,
                business_ids: seeded.business_ids,
                authorization: seeded.authorization,
                plan,
                timezone: fixture.timezone.clone(),
            });
        }
        for agent in report.mogu {
            let key = format!("Bearer {}", agent.api_key);
            match accounts.last_mut() {
                Some(account) if account.id == agent.account_id => account.keys.push(key),
                _ => accounts.push(SeededAccount {
                    id: agent.account_id,
                    keys: vec![key],
                }),
            }
        }
        progress("demo set copies", copy + 1, scale, started);
    }
    eprintln!();
    let now = now_micros();
    let started = Instant::now();
    for (index, company) in companies.iter().enumerate() {
        let company_id = decode(state, IdKind::Company, &company.company_id)?;
        let business_id = decode(state, IdKind::Business, &plan_business(company)?)?;
        seed_customers(state, company_id, business_id, CUSTOMERS_PER_COMPANY, now).await?;
        let catalog = seed_catalog(state, company_id, business_id, now).await?;
        seed_appointments(state, &catalog, APPOINTMENTS_PER_COMPANY, now).await?;
        progress(
            "bulk customers and appointments (by company)",
            index + 1,
            companies.len(),
            started,
        );
    }
    eprintln!();
    let mut rng = StdRng::seed_from_u64(17);
    for account in &accounts {
        let (agent_id,): (i64,) =
            sqlx::query_as("SELECT id FROM mogu_agents WHERE account_id = $1 ORDER BY id LIMIT 1")
                .bind(account.id)
                .fetch_one(state.db.conn().get().await?)
                .await?;
        let trips: Vec<_> = (0..TRIPS_PER_ACCOUNT)
            .map(|n| {
                let created_at = now - (TRIPS_PER_ACCOUNT - n) as i64 * 1_000_000;
                (bench_trip(&mut rng, now), created_at)
            })
            .collect();
        let mut db = state.db.conn();
        let mut tx = db.begin().await?;
        trip_store::insert_trips(&mut tx, account.id, agent_id, &trips).await?;
        tx.commit().await?;
    }
    eprintln!(
        "bulk trips: {} in {} accounts",
        TRIPS_PER_ACCOUNT * accounts.len(),
        accounts.len()
    );
    Ok((companies, accounts))
}

fn decode(state: &AppState, kind: IdKind, id: &str) -> anyhow::Result<i64> {
    state
        .ids
        .decode(kind, id)
        .map_err(|_| anyhow::anyhow!("{id} is no {kind:?} ID"))
}

/// The wire ID of the plan's business among the company's.
fn plan_business(company: &SeededCompany) -> anyhow::Result<String> {
    let demo = Fixtures::demo();
    let fixture = demo
        .moego
        .iter()
        .flat_map(|o| &o.companies)
        .find(|fixture| fixture.name == company.plan.company)
        .ok_or_else(|| anyhow::anyhow!("no demo company {}", company.plan.company))?;
    let index = fixture
        .businesses
        .iter()
        .position(|business| business.name == company.plan.business)
        .ok_or_else(|| anyhow::anyhow!("no demo business {}", company.plan.business))?;
    Ok(company.business_ids[index].clone())
}

/// Rows of `sql`, which binds one ID.
async fn fetch<T>(state: &AppState, sql: &str, id: i64) -> anyhow::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(id)
        .fetch_all(state.db.conn().get().await?)
        .await?)
}

fn encoded(state: &AppState, kind: IdKind, rows: &[(i64,)]) -> Vec<String> {
    rows.iter()
        .map(|(id,)| state.ids.encode(kind, *id))
        .collect()
}

/// The company's rows the load names, read from the database and encoded as the wire does.
async fn discover_company(state: &AppState, seeded: SeededCompany) -> anyhow::Result<Company> {
    let plan = seeded.plan;
    let business = plan_business(&seeded)?;
    let company_id = decode(state, IdKind::Company, &seeded.company_id)?;
    let business_id = decode(state, IdKind::Business, &business)?;
    let ids = |kind, rows: Vec<(i64,)>| encoded(state, kind, &rows);
    let staff = fetch(
        state,
        "SELECT id FROM moego_staff WHERE company_id = $1 AND deleted = 0 ORDER BY id",
        company_id,
    )
    .await?;
    let working: Vec<(i64, String)> = fetch(
        state,
        "SELECT s.id, s.first_name FROM moego_staff s JOIN moego_staff_businesses b \
         ON b.staff_id = s.id WHERE b.business_id = $1 AND s.deleted = 0 ORDER BY s.id",
        business_id,
    )
    .await?;
    let booking_staff: Vec<String> = plan
        .staff
        .iter()
        .map(|name| {
            working
                .iter()
                .find(|(_, first)| first == name)
                .map(|(id, _)| state.ids.encode(IdKind::Staff, *id))
                .ok_or_else(|| anyhow::anyhow!("no staff {name} at {}", plan.business))
        })
        .collect::<anyhow::Result<_>>()?;
    let services: Vec<(i64, String)> = fetch(
        state,
        "SELECT id, name FROM moego_services WHERE company_id = $1 ORDER BY id",
        company_id,
    )
    .await?;
    let service = services
        .iter()
        .find(|(_, name)| name == plan.service)
        .map(|(id, _)| state.ids.encode(IdKind::Service, *id))
        .ok_or_else(|| anyhow::anyhow!("no service {}", plan.service))?;
    let customers: Vec<(i64, String)> = fetch(
        state,
        "SELECT id, phone FROM moego_customers WHERE company_id = $1 AND deleted = 0 ORDER BY id",
        company_id,
    )
    .await?;
    let pets: Vec<(i64, i64)> = fetch(
        state,
        "SELECT customer_id, id FROM moego_pets WHERE company_id = $1 AND deleted = 0 ORDER BY id",
        company_id,
    )
    .await?;
    let appointments: Vec<(i64, i64)> = fetch(
        state,
        "SELECT id, business_id FROM moego_appointments WHERE company_id = $1 ORDER BY id",
        company_id,
    )
    .await?;
    let timezone: chrono_tz::Tz = seeded
        .timezone
        .parse()
        .map_err(|_| anyhow::anyhow!("time zone {}", seeded.timezone))?;
    let mut first_monday = chrono::Utc::now().with_timezone(&timezone).date_naive() + Days::new(28);
    while first_monday.weekday() != Weekday::Mon {
        first_monday = first_monday + Days::new(1);
    }
    Ok(Company {
        plan,
        timezone,
        first_monday,
        businesses: seeded.business_ids.clone(),
        staff: ids(IdKind::Staff, staff),
        slots: (0..booking_staff.len().max(1))
            .map(|_| AtomicU64::new(0))
            .collect(),
        booking_staff,
        block_staff: working
            .iter()
            .map(|(id, _)| state.ids.encode(IdKind::Staff, *id))
            .collect(),
        service,
        services: services
            .iter()
            .map(|(id, _)| state.ids.encode(IdKind::Service, *id))
            .collect(),
        phones: customers
            .iter()
            .map(|(_, phone)| phone.clone())
            .filter(|phone| !phone.is_empty())
            .collect(),
        customers: customers
            .iter()
            .map(|(id, _)| state.ids.encode(IdKind::Customer, *id))
            .collect(),
        pets: pets
            .iter()
            .map(|(customer, pet)| {
                (
                    state.ids.encode(IdKind::Customer, *customer),
                    state.ids.encode(IdKind::Pet, *pet),
                )
            })
            .collect(),
        leads: ids(
            IdKind::Lead,
            fetch(
                state,
                "SELECT id FROM moego_leads WHERE company_id = $1 ORDER BY id",
                company_id,
            )
            .await?,
        ),
        pet_codes: ids(
            IdKind::PetCode,
            fetch(
                state,
                "SELECT id FROM moego_pet_codes WHERE company_id = $1 ORDER BY id",
                company_id,
            )
            .await?,
        ),
        appointments: appointments
            .iter()
            .map(|(appointment, business)| {
                (
                    state.ids.encode(IdKind::Appointment, *appointment),
                    state.ids.encode(IdKind::Business, *business),
                )
            })
            .collect(),
        orders: ids(
            IdKind::Order,
            fetch(
                state,
                "SELECT id FROM moego_orders WHERE company_id = $1 ORDER BY id",
                company_id,
            )
            .await?,
        ),
        payments: ids(
            IdKind::Payment,
            fetch(
                state,
                "SELECT id FROM moego_payments WHERE company_id = $1 ORDER BY id",
                company_id,
            )
            .await?,
        ),
        blocks: ids(
            IdKind::Block,
            fetch(
                state,
                "SELECT id FROM moego_blocks WHERE company_id = $1 AND deleted = 0 ORDER BY id",
                company_id,
            )
            .await?,
        ),
        webhook: String::new(),
        tenant: Tenant {
            company_id: seeded.company_id,
            business_id: business,
            authorization: seeded.authorization,
        },
    })
}

async fn discover_account(state: &AppState, seeded: SeededAccount) -> anyhow::Result<Account> {
    let trips: Vec<(i64,)> = fetch(
        state,
        "SELECT id FROM mogu_trips WHERE account_id = $1 ORDER BY id",
        seeded.id,
    )
    .await?;
    let catalogs: Vec<(i64,)> = fetch(
        state,
        "SELECT id FROM mogu_catalogs WHERE account_id = $1 ORDER BY id",
        seeded.id,
    )
    .await?;
    Ok(Account {
        keys: seeded.keys,
        trips: trips.into_iter().map(|(id,)| id).collect(),
        catalogs: catalogs.into_iter().map(|(id,)| id).collect(),
        job: String::new(),
    })
}

/// What a setup request answered, or an error naming it.
async fn expect_json(request: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body = response.text().await?;
    anyhow::ensure!(status.is_success(), "{what}: {status} {body}");
    Ok(serde_json::from_str(&body)?)
}

/// Per company, a webhook delivering its appointment events and new customers to the
/// receiver; per account, an AI import of a short text.
async fn start_background_work(
    base: &str,
    receiver: &str,
    companies: &mut [Company],
    accounts: &mut [Account],
) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    for (index, company) in companies.iter_mut().enumerate() {
        let answer = expect_json(
            company.send(
                &client,
                Method::POST,
                &format!("{base}/v1/webhooks"),
                Some(json!({"endpointUrl": format!("{receiver}?company={index}"),
                    "eventTypes": ["APPOINTMENT_CREATED", "APPOINTMENT_CANCELED",
                        "APPOINTMENT_FINISHED", "CUSTOMER_CREATED"],
                    "organizations": [{"id": company.tenant.company_id, "type": "COMPANY"}]})),
            ),
            "a webhook",
        )
        .await?;
        company.webhook = answer["id"].as_str().unwrap_or_default().to_string();
    }
    for account in accounts.iter_mut() {
        let answer = expect_json(
            client
                .post(format!("{base}/ai/trips/from-document"))
                .header("authorization", &account.keys[0])
                .json(&json!({"source": {"type": "text",
                    "text": "Day 1: Lisbon, the Alfama. Day 2: Sintra and its palaces."}})),
            "an AI import",
        )
        .await?;
        account.job = answer["jobId"].as_str().unwrap_or_default().to_string();
    }
    Ok(())
}

pub async fn run(options: MixedBenchOptions) -> anyhow::Result<()> {
    anyhow::ensure!(options.scale >= 1, "--scale must be at least 1");
    anyhow::ensure!(options.connections >= 1, "--connections must be at least 1");
    let (url, scratch) = bench_database(&options.database_url, "mixed");
    let state = AppState::open(node_config(&url)?).await?;
    let backend = format!("{:?}", state.db.backend());
    eprintln!(
        "seeding {} copies of the demo set, with {CUSTOMERS_PER_COMPANY} customers and \
         {APPOINTMENTS_PER_COMPANY} appointments per company and {TRIPS_PER_ACCOUNT} trips per \
         account, into {url} ...",
        options.scale
    );
    let seeding = Instant::now();
    let (seeded_companies, seeded_accounts) = seed(&state, options.scale).await?;
    settle(&state).await?;
    let seed_seconds = seeding.elapsed().as_secs_f64();
    eprintln!("seeded in {seed_seconds:.1} s");
    let mut companies = Vec::new();
    for seeded in seeded_companies {
        companies.push(discover_company(&state, seeded).await?);
    }
    let mut accounts = Vec::new();
    for seeded in seeded_accounts {
        accounts.push(discover_account(&state, seeded).await?);
    }
    let arrivals: Arrivals = Arc::default();
    let receiver = start_receiver(arrivals.clone()).await?;
    let (base, server) = start_server(state).await?;
    start_background_work(&base, &receiver, &mut companies, &mut accounts).await?;
    let (company_count, account_count) = (companies.len(), accounts.len());
    let shared = Arc::new(Shared {
        base,
        receiver,
        companies,
        accounts,
        cumulative: MIX
            .iter()
            .scan(0, |sum, spec| {
                *sum += spec.weight;
                Some(*sum)
            })
            .collect(),
    });
    eprintln!(
        "driving {} connections for {:?} over {company_count} companies and {account_count} \
         accounts ...",
        options.connections, options.duration
    );
    let delivered_before = arrivals.lock().map(|seen| seen.len()).unwrap_or(0);
    let started = Instant::now();
    let deadline = started + options.duration;
    let connections: Vec<_> = (0..options.connections)
        .map(|index| {
            let worker = Worker {
                index,
                shared: shared.clone(),
                client: load_client(),
                rng: StdRng::seed_from_u64(1_000 + index as u64),
                own: Own::default(),
                serial: 0,
            };
            tokio::spawn(run_connection(worker, deadline))
        })
        .collect();
    let mut tally = Tally::new();
    for connection in connections {
        tally.merge(connection.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let delivered = arrivals.lock().map(|seen| seen.len()).unwrap_or(0) - delivered_before;
    server.abort();
    remove_scratch_database(scratch);
    report(
        &Summary {
            backend,
            scale: options.scale,
            companies: company_count,
            accounts: account_count,
            connections: options.connections,
            seed_seconds,
            elapsed,
            delivered,
        },
        tally,
    );
    Ok(())
}

struct Summary {
    backend: String,
    scale: usize,
    companies: usize,
    accounts: usize,
    connections: usize,
    seed_seconds: f64,
    elapsed: f64,
    delivered: usize,
}

fn report(summary: &Summary, tally: Tally) {
    let failed = |op: usize| tally.non_2xx[op] + tally.unanswered[op];
    let mut groups: BTreeMap<&'static str, (usize, Vec<u64>, usize)> = BTreeMap::new();
    let mut order = Vec::new();
    let mut all = Vec::new();
    let (mut writes, mut total) = (0usize, 0usize);
    let mut operations = Vec::new();
    for (index, spec) in MIX.iter().enumerate() {
        let latencies = &tally.latencies[index];
        let entry = groups.entry(spec.group).or_insert_with(|| {
            order.push(spec.group);
            (0, Vec::new(), 0)
        });
        entry.1.extend(latencies);
        entry.2 += failed(index);
        all.extend(latencies);
        total += latencies.len() + failed(index);
        if is_write(spec.op) {
            writes += latencies.len() + failed(index);
        }
        operations.push(summarize(
            spec.name,
            latencies.clone(),
            failed(index),
            summary.elapsed,
        ));
    }
    let non_2xx: usize = tally.non_2xx.iter().sum();
    let unanswered: usize = tally.unanswered.iter().sum();
    let mut results: Vec<ScenarioResult> = vec![summarize(
        "all operations",
        all,
        non_2xx + unanswered,
        summary.elapsed,
    )];
    for group in order {
        let (_, latencies, errors) = groups.remove(group).unwrap_or_default();
        results.push(summarize(group, latencies, errors, summary.elapsed));
    }
    println!(
        "{} backend; scale {}: {} companies, {} accounts (seeded in {:.1} s); {} connections for {:.1} s",
        summary.backend,
        summary.scale,
        summary.companies,
        summary.accounts,
        summary.seed_seconds,
        summary.connections,
        summary.elapsed
    );
    println!(
        "writes: {:.1} % of {total} requests; webhook deliveries received during the run: {}\n",
        100.0 * writes as f64 / total.max(1) as f64,
        summary.delivered
    );
    print_results(&results);
    println!("\nnon-2xx answers: {non_2xx}; requests without an answer: {unanswered}; 2xx creates without an ID: {}", tally.malformed);
    let mut failures = tally.failures;
    failures.sort_by_key(|failure| std::cmp::Reverse(failure.count));
    for failure in failures.iter().take(FAILURES_SHOWN) {
        println!(
            "  {} x{}: {} {}",
            failure.operation,
            failure.count,
            if failure.status == 0 {
                "no answer".to_string()
            } else {
                failure.status.to_string()
            },
            failure.excerpt
        );
    }
    println!("\nper operation:");
    print_results(&operations);
}
