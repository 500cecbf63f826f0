//! `moapi bench-appointments`: bulk-loads appointments over a year in 100 companies (the last,
//! the tenant's, holding a tenth of them), with their pet service details, staff slots and
//! orders, starts the server on loopback and measures `appointments:list` for one business
//! and a one-week `startTime` window, `appointments:check`, appointment creation and
//! `orders:list` by a seven-day `lastUpdatedTime` window, and the sales-by-day report over 90
//! days of those orders. A measurement, not a test: figures go to docs/performance.md.

use std::time::{Duration, Instant};

use chrono::Datelike;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{AppState, Config, IdKind};
use moapi_moego::customer::store::{self as customer_store, NewCustomer};
use moapi_moego::setting::service::wire::ServiceFilters;
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::json;

use super::moego::{create_tenant, insert_company, progress, Tenant, DAY};
use super::{
    bench_database, drive, remove_scratch_database, settle, start_server, Load, ScenarioResult,
};

pub struct AppointmentsBenchOptions {
    /// An empty database to fill; `None` uses a fresh SQLite file in the temp directory.
    pub database_url: Option<String>,
    pub appointments: usize,
    pub connections: usize,
    pub duration: Duration,
    pub scenarios: Vec<Scenario>,
}

/// What the bench can measure, once the data is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// `appointments:list`, one business, a one-week `startTime` window
    List,
    /// `appointments:check`, one pet, a one-day `dateRange`
    Check,
    /// `POST /v1/appointments` with its order
    Create,
    /// `orders:list`, one business, a seven-day `lastUpdatedTime` window
    Orders,
    /// Online booking availability of one pet's groom over 14 days, every staff member
    Availability,
    /// `reports/data:fetch` of sales by day, one business, a 90-day `queryPeriod`
    Report,
}

const COMPANIES: usize = 100;
const PETS_PER_COMPANY: i64 = 200;
const STAFF_PER_COMPANY: i64 = 10;
/// Appointments start on the hour over this many days, centred on the run.
pub(super) const HISTORY_DAYS: i64 = 365;
const HOUR: i64 = 3_600_000_000;

/// One seeded company's rows the scenarios address.
pub(super) struct SeededCompany {
    company_id: i64,
    business_id: i64,
    customer_id: i64,
    first_pet: i64,
    first_staff: i64,
    service_id: i64,
}

/// A row generator of `$n` rows both databases share (see the orders bench).
fn rows(count_parameter: &str) -> String {
    format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count_parameter})")
}

/// The catalog one company books from: a customer with pets, staff working at its business
/// and a grooming service ("Bench Groom", a name no demo company's catalog has, since
/// bench-mixed adds it to demo companies).
pub(super) async fn seed_catalog(
    state: &AppState,
    company_id: i64,
    business_id: i64,
    now: i64,
) -> anyhow::Result<SeededCompany> {
    let mut db = state.db.conn();
    let mut tx = db.begin().await?;
    let customer = customer_store::insert(
        &mut tx,
        &NewCustomer {
            first_name: "Bench".into(),
            preferred_business_id: Some(business_id),
            ..NewCustomer::new(company_id)
        },
    )
    .await?;
    sqlx::query(&format!(
        "INSERT INTO moego_pets (company_id, customer_id, name, status, pet_type, breed, \
         created_at, updated_at) {} SELECT $1, $2, 'Rex', 'ALIVE', 'DOG', 'Poodle', $4, $4 FROM n",
        rows("$3")
    ))
    .bind(company_id)
    .bind(customer.id)
    .bind(PETS_PER_COMPANY)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // The company may have staff already (bench-mixed adds this catalog to demo companies):
    // only the staff made here work at the business for the bench, and take its bookings.
    let (staff_before,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM moego_staff")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO moego_staff (company_id, first_name, created_at, updated_at) {} \
         SELECT $1, 'Groomer', $3, $3 FROM n",
        rows("$2")
    ))
    .bind(company_id)
    .bind(STAFF_PER_COMPANY)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO moego_staff_businesses (staff_id, business_id) \
         SELECT id, $2 FROM moego_staff WHERE company_id = $1 AND id > $3",
    )
    .bind(company_id)
    .bind(business_id)
    .bind(staff_before)
    .execute(&mut *tx)
    .await?;
    let (service_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_services (company_id, name, category, price, duration_minutes, \
         filters, created_at, updated_at) \
         VALUES ($1, 'Bench Groom', 'Grooming', '45', 60, $2, $3, $3) RETURNING id",
    )
    .bind(company_id)
    // What the API stores for a service without pet filters: every pet.
    .bind(serde_json::to_string(&ServiceFilters::default())?)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let (first_pet, first_staff): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT MIN(id) FROM moego_pets WHERE customer_id = $1), \
         (SELECT MIN(id) FROM moego_staff WHERE company_id = $2 AND id > $3)",
    )
    .bind(customer.id)
    .bind(company_id)
    .bind(staff_before)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(SeededCompany {
        company_id,
        business_id,
        customer_id: customer.id,
        first_pet,
        first_staff,
        service_id,
    })
}

/// Inserts `count` one-hour appointments of one company in one transaction, starting on
/// pseudo-random hours of the year around `now` (a multiplicative scatter of the row number),
/// each with its pet service detail, its staff slot and its order, as a booking writes them.
/// Pets and staff of the catalog take turns by appointment ID; appointments the business had
/// before (of other customers than the catalog's) are left as they are.
pub(super) async fn seed_appointments(
    state: &AppState,
    company: &SeededCompany,
    count: usize,
    now: i64,
) -> anyhow::Result<()> {
    let mut db = state.db.conn();
    let mut tx = db.begin().await?;
    let first_hour = now - HISTORY_DAYS / 2 * DAY;
    sqlx::query(&format!(
        "INSERT INTO moego_appointments (company_id, business_id, customer_id, start_at, end_at, \
         created_at, updated_at) {} \
         SELECT $1, $2, $3, $5 + ((CAST(i AS BIGINT) * 7919 + $2 * 104729) % $6) * $7, \
         $5 + ((CAST(i AS BIGINT) * 7919 + $2 * 104729) % $6) * $7 + $7, \
         $5 + ((CAST(i AS BIGINT) * 7919 + $2 * 104729) % $6) * $7 - 7 * $8, \
         $5 + ((CAST(i AS BIGINT) * 7919 + $2 * 104729) % $6) * $7 - 7 * $8 FROM n",
        rows("$4")
    ))
    .bind(company.company_id)
    .bind(company.business_id)
    .bind(company.customer_id)
    .bind(count as i64)
    .bind(first_hour)
    .bind(HISTORY_DAYS * 24)
    .bind(HOUR)
    .bind(DAY)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO moego_pet_service_details (appointment_id, pet_id, service_id, staff_id, \
         name, category, service_item_type, service_type, price, currency_code, \
         duration_minutes, start_at, end_at) \
         SELECT id, $2 + id % $3, $4, $5 + id % $6, 'Bench Groom', 'Grooming', 'GROOMING', \
         'SERVICE', '45', 'USD', 60, start_at, end_at FROM moego_appointments \
         WHERE business_id = $1 AND customer_id = $7",
    )
    .bind(company.business_id)
    .bind(company.first_pet)
    .bind(PETS_PER_COMPANY)
    .bind(company.service_id)
    .bind(company.first_staff)
    .bind(STAFF_PER_COMPANY)
    .bind(company.customer_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO moego_staff_slots (staff_id, start_at, end_at, appointment_id) \
         SELECT $2 + id % $3, start_at, end_at, id FROM moego_appointments \
         WHERE business_id = $1 AND customer_id = $4",
    )
    .bind(company.business_id)
    .bind(company.first_staff)
    .bind(STAFF_PER_COMPANY)
    .bind(company.customer_id)
    .execute(&mut *tx)
    .await?;
    // What booking through the API keeps beside the slots (availability bounds its scans by it).
    sqlx::query(
        "INSERT INTO moego_staff_hold_bounds (staff_id, longest) \
         SELECT staff_id, MAX(end_at - start_at) FROM moego_staff_slots \
         WHERE staff_id >= $1 AND staff_id < $1 + $2 GROUP BY staff_id",
    )
    .bind(company.first_staff)
    .bind(STAFF_PER_COMPANY)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO moego_orders (company_id, business_id, customer_id, appointment_id, status, \
         title, currency_code, sub_total, tax_amount, tips_based_amount, total_amount, \
         sales_at, created_at, updated_at) \
         SELECT company_id, business_id, customer_id, id, 'CREATED', 'Bench Groom', 'USD', '45', \
         '0', '45', '45', created_at, created_at, updated_at FROM moego_appointments \
         WHERE business_id = $1 AND customer_id = $2",
    )
    .bind(company.business_id)
    .bind(company.customer_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the 100 companies (the tenant's last) with their catalogs and appointments; returns
/// the tenant's company.
async fn seed(
    state: &AppState,
    options: &AppointmentsBenchOptions,
    tenant_ids: (i64, i64),
    now: i64,
) -> anyhow::Result<SeededCompany> {
    let (tenant_company, tenant_business) = tenant_ids;
    let (client_id,): (i64,) =
        sqlx::query_as("SELECT client_id FROM moego_companies WHERE id = $1")
            .bind(tenant_company)
            .fetch_one(state.db.conn().get().await?)
            .await?;
    let big_share = options.appointments / 10;
    let small_share = (options.appointments - big_share) / (COMPANIES - 1);
    let started = Instant::now();
    let mut tenant = None;
    // The tenant's company is seeded last. Seeded first, its rows filled the file's first
    // pages, which no business of a real database has to itself (its rows are spread over the
    // whole file), and there they hid the cost of reads past SQLite's memory map
    // (docs/performance.md).
    let tenant_index = COMPANIES - 1;
    for index in 0..COMPANIES {
        let (company_id, business_id, count) = if index == tenant_index {
            (tenant_company, tenant_business, big_share)
        } else {
            let name = format!("Bench Grooming {index}");
            let (company_id, business_id) = insert_company(state, client_id, &name, &name).await?;
            (company_id, business_id, small_share)
        };
        let company = seed_catalog(state, company_id, business_id, now).await?;
        seed_appointments(state, &company, count, now).await?;
        progress("appointments (by company)", index + 1, COMPANIES, started);
        if index == tenant_index {
            tenant = Some(company);
        }
    }
    eprintln!();
    settle(state).await?;
    tenant.ok_or_else(|| anyhow::anyhow!("no company seeded"))
}

/// The tenant's catalog as the wire names it.
#[derive(Clone)]
struct WireCatalog {
    tenant: Tenant,
    customer: String,
    pets: Vec<String>,
    staff: Vec<String>,
    service: String,
}

pub async fn run(options: AppointmentsBenchOptions) -> anyhow::Result<Vec<ScenarioResult>> {
    anyhow::ensure!(
        options.appointments >= 10 * COMPANIES,
        "--appointments must be at least {}",
        10 * COMPANIES
    );
    let (url, scratch) = bench_database(&options.database_url, "appointments");
    let state = AppState::open(Config::new(&url)).await?;
    let (company_id, business_id, tenant) = create_tenant(&state).await?;
    let now = now_micros();
    eprintln!(
        "seeding {} appointments in {COMPANIES} companies into {url} ...",
        options.appointments
    );
    let seeding = Instant::now();
    let seeded = seed(&state, &options, (company_id, business_id), now).await?;
    eprintln!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());
    let encode_range = |kind, first: i64, count: i64| {
        (first..first + count)
            .map(|id| state.ids.encode(kind, id))
            .collect::<Vec<_>>()
    };
    let catalog = WireCatalog {
        tenant,
        customer: state.ids.encode(IdKind::Customer, seeded.customer_id),
        pets: encode_range(IdKind::Pet, seeded.first_pet, PETS_PER_COMPANY),
        staff: encode_range(IdKind::Staff, seeded.first_staff, STAFF_PER_COMPANY),
        service: state.ids.encode(IdKind::Service, seeded.service_id),
    };
    let (base, server) = start_server(state).await?;
    let load = Load {
        connections: options.connections,
        duration: options.duration,
    };
    let mut results = Vec::new();
    for scenario in &options.scenarios {
        let result = match scenario {
            Scenario::List => {
                drive(
                    "appointments:list one business, 1-week startTime window, pageSize 100",
                    load,
                    weekly_list(
                        &catalog.tenant,
                        format!("{base}/v1/appointments:list"),
                        "startTime",
                        now,
                    ),
                )
                .await
            }
            Scenario::Check => drive_checks(&catalog, &base, load, now).await,
            Scenario::Availability => drive_availability(&catalog, &base, load, now).await,
            Scenario::Report => drive_reports(&catalog, &base, load, now).await,
            Scenario::Create => drive_creates(&catalog, &base, load, now).await,
            Scenario::Orders => {
                drive(
                    "orders:list one business, 7-day lastUpdatedTime window, pageSize 100",
                    load,
                    weekly_list(
                        &catalog.tenant,
                        format!("{base}/v1/orders:list"),
                        "lastUpdatedTime",
                        now,
                    ),
                )
                .await
            }
        };
        results.push(result);
    }
    server.abort();
    remove_scratch_database(scratch);
    Ok(results)
}

/// `appointments:check` of a random pet over a random day.
async fn drive_checks(catalog: &WireCatalog, base: &str, load: Load, now: i64) -> ScenarioResult {
    let (check_url, check) = (format!("{base}/v1/appointments:check"), catalog.clone());
    drive(
        "appointments:check one pet, 1-day dateRange",
        load,
        move |client, rng| {
            let start = random_start(now, rng, 1);
            check.tenant.post(
                client,
                &check_url,
                json!({
                    "businessId": check.tenant.business_id,
                    "customerId": check.customer,
                    "petIds": [check.pets[rng.gen_range(0..check.pets.len())]],
                    "dateRange": {
                        "startTime": protojson_timestamp(start),
                        "endTime": protojson_timestamp(start + DAY),
                    },
                }),
            )
        },
    )
    .await
}

/// Availability of a random pet's groom over 14 days from a random day of the next two weeks.
async fn drive_availability(
    catalog: &WireCatalog,
    base: &str,
    load: Load,
    now: i64,
) -> ScenarioResult {
    let (url, wanted) = (
        format!("{base}/v1/online-booking/availability"),
        catalog.clone(),
    );
    drive(
        "online-booking/availability one pet, 14 days, every staff member",
        load,
        move |client, rng| {
            let first = chrono::DateTime::from_timestamp_micros(now + rng.gen_range(0..14) * DAY)
                .unwrap_or_default()
                .date_naive();
            let date = |day: chrono::NaiveDate| {
                json!({"year": day.year(), "month": day.month(), "day": day.day()})
            };
            wanted.tenant.post(
                client,
                &url,
                json!({
                    "businessId": wanted.tenant.business_id,
                    "filter": {
                        "startDate": date(first),
                        "endDate": date(first + chrono::Days::new(13)),
                        "pets": [{"id": wanted.pets[rng.gen_range(0..wanted.pets.len())],
                                  "serviceIds": [wanted.service]}],
                    },
                }),
            )
        },
    )
    .await
}

/// Sales by day (the default grouping: one row a day) of the tenant's business over 90 days
/// from a random day of the seeded year: about 49,000 of its orders at full size.
async fn drive_reports(catalog: &WireCatalog, base: &str, load: Load, now: i64) -> ScenarioResult {
    const DAYS: i64 = 90;
    let (url, tenant) = (
        format!("{base}/v1/reports/data:fetch"),
        catalog.tenant.clone(),
    );
    drive(
        "reports/data:fetch sales by day, one business, 90-day queryPeriod",
        load,
        move |client, rng| {
            let start = random_start(now, rng, DAYS);
            tenant.post(
                client,
                &url,
                json!({
                    "businessIds": [tenant.business_id],
                    "pagination": {"pageSize": 100},
                    "condition": {"id": "rpt_sales_by_day", "queryPeriod": {
                        "startTime": protojson_timestamp(start),
                        "endTime": protojson_timestamp(start + DAYS * DAY),
                    }},
                }),
            )
        },
    )
    .await
}

/// Bookings of a random pet with a random staff member at a random future hour.
async fn drive_creates(catalog: &WireCatalog, base: &str, load: Load, now: i64) -> ScenarioResult {
    let (create_url, create) = (format!("{base}/v1/appointments"), catalog.clone());
    drive(
        "POST /v1/appointments (with its order), ignoreConflict",
        load,
        move |client, rng| {
            let start = now + rng.gen_range(1..HISTORY_DAYS / 2 * 24) * HOUR;
            create.tenant.post(
                client,
                &create_url,
                json!({
                    "businessId": create.tenant.business_id,
                    "customerId": create.customer,
                    "ignoreConflict": true,
                    "petServices": [{
                        "petId": create.pets[rng.gen_range(0..create.pets.len())],
                        "services": [{
                            "id": create.service,
                            "duration": {"startTime": protojson_timestamp(start)},
                            "staffIds": [create.staff[rng.gen_range(0..create.staff.len())]],
                        }],
                    }],
                }),
            )
        },
    )
    .await
}

/// A window's start on a random day of the seeded year, leaving room for its `days`.
pub(super) fn random_start(now: i64, rng: &mut StdRng, days: i64) -> i64 {
    now - HISTORY_DAYS / 2 * DAY + rng.gen_range(0..HISTORY_DAYS - days) * DAY
}

/// A list request of the tenant's business for a random week of `filter_field`, pageSize 100
/// (appointments:list by startTime and orders:list by lastUpdatedTime share it).
fn weekly_list(
    tenant: &Tenant,
    url: String,
    filter_field: &'static str,
    now: i64,
) -> impl Fn(&reqwest::Client, &mut StdRng) -> reqwest::RequestBuilder + Send + Sync + Clone + 'static
{
    let tenant = tenant.clone();
    move |client, rng| {
        let start = random_start(now, rng, 7);
        tenant.post(
            client,
            &url,
            json!({
                "businessIds": [tenant.business_id],
                "pagination": {"pageSize": 100, "pageToken": "1"},
                "filter": {(filter_field): {
                    "startTime": protojson_timestamp(start),
                    "endTime": protojson_timestamp(start + 7 * DAY),
                }},
            }),
        )
    }
}
