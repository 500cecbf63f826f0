//! The scaled-up demo set the mixed load runs on: each copy seeded under names of its own, its
//! rows found again by the IDs the requests name, and the booking plan that keeps every
//! booking's staff time free.

use super::*;

/// How the bench books in one demo company without ever asking for staff time another
/// booking holds: each booking staff member has a run of one-hour slots on the plan's
/// weekdays, from four weeks ahead, within the business's working hours (so that reschedules
/// pass too), and each slot is taken once. Blocks go on Thursdays, which no plan books.
pub(super) struct Plan {
    pub(super) company: &'static str,
    pub(super) business: &'static str,
    pub(super) service: &'static str,
    /// First names of the staff the bookings name; none: bookings name no staff.
    pub(super) staff: &'static [&'static str],
    pub(super) weekdays: &'static [Weekday],
    pub(super) first_hour: u32,
    pub(super) starts_per_day: u64,
    pub(super) currency: &'static str,
}

/// One plan per company of the demo set, in its order.
pub(super) const PLANS: &[Plan] = &[
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
pub(super) const SETTINGS_CATALOGS: &[&str] = &[
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
pub(super) struct Company {
    /// Its key; `business_id` is the plan's business.
    pub(super) tenant: Tenant,
    pub(super) plan: &'static Plan,
    pub(super) timezone: chrono_tz::Tz,
    /// The first bookable Monday, four weeks or more ahead.
    pub(super) first_monday: NaiveDate,
    pub(super) businesses: Vec<String>,
    pub(super) staff: Vec<String>,
    pub(super) booking_staff: Vec<String>,
    /// The next free slot of each booking staff member (one run when bookings name none).
    pub(super) slots: Vec<AtomicU64>,
    /// Staff working at the plan's business.
    pub(super) block_staff: Vec<String>,
    pub(super) service: String,
    pub(super) services: Vec<String>,
    pub(super) customers: Vec<String>,
    pub(super) phones: Vec<String>,
    /// (customer, pet) of its live pets.
    pub(super) pets: Vec<(String, String)>,
    pub(super) leads: Vec<String>,
    pub(super) pet_codes: Vec<String>,
    /// (appointment, its business).
    pub(super) appointments: Vec<(String, String)>,
    pub(super) orders: Vec<String>,
    pub(super) payments: Vec<String>,
    pub(super) blocks: Vec<String>,
    /// The webhook made at the start, delivering its appointment events to the receiver.
    pub(super) webhook: String,
}

impl Company {
    pub(super) fn at(&self, date: NaiveDate, hour: u32) -> i64 {
        let local = date.and_hms_opt(hour, 0, 0).expect("an hour of the day");
        self.timezone
            .from_local_datetime(&local)
            .earliest()
            .expect("a local time that exists")
            .timestamp_micros()
    }

    pub(super) fn day(&self, days: u64) -> NaiveDate {
        self.first_monday + Days::new(days)
    }

    /// Takes the next slot of booking staff member `staff` (0 when bookings name none): its
    /// start.
    pub(super) fn take_slot(&self, staff: usize) -> i64 {
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
    pub(super) fn block_start(&self, rng: &mut StdRng) -> i64 {
        let date = self.day(rng.gen_range(0..52) * 7 + 3);
        self.at(date, rng.gen_range(6..22))
    }

    /// `body` with the company's ID, as MoeGo's company-wide requests carry it.
    pub(super) fn body(&self, mut body: Value) -> Value {
        body["companyId"] = json!(self.tenant.company_id);
        body
    }

    pub(super) fn send(
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
pub(super) struct Account {
    /// `Bearer ak_...` of each of its agents.
    pub(super) keys: Vec<String>,
    pub(super) trips: Vec<i64>,
    pub(super) catalogs: Vec<i64>,
    /// An AI import started at the beginning.
    pub(super) job: String,
}

/// The demo set under names of its own: copy `copy`'s organizations, companies and accounts
/// end with its number and its agents' emails carry it (`ana+3@wanderlust.example`).
pub(super) fn demo_copy(copy: usize) -> Fixtures {
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
pub(super) struct SeededCompany {
    pub(super) company_id: String,
    pub(super) business_ids: Vec<String>,
    pub(super) authorization: String,
    pub(super) plan: &'static Plan,
    pub(super) timezone: String,
}

/// A seeded account: its ID and its agents' keys.
pub(super) struct SeededAccount {
    pub(super) id: i64,
    pub(super) keys: Vec<String>,
}

/// Seeds `scale` copies of the demo set, then the bulk rows of each company and account.
pub(super) async fn seed(
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

pub(super) fn decode(state: &AppState, kind: IdKind, id: &str) -> anyhow::Result<i64> {
    state
        .ids
        .decode(kind, id)
        .map_err(|_| anyhow::anyhow!("{id} is no {kind:?} ID"))
}

/// The wire ID of the plan's business among the company's.
pub(super) fn plan_business(company: &SeededCompany) -> anyhow::Result<String> {
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
pub(super) async fn fetch<T>(state: &AppState, sql: &str, id: i64) -> anyhow::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(id)
        .fetch_all(state.db.conn().get().await?)
        .await?)
}

pub(super) fn encoded(state: &AppState, kind: IdKind, rows: &[(i64,)]) -> Vec<String> {
    rows.iter()
        .map(|(id,)| state.ids.encode(kind, *id))
        .collect()
}

/// The company's rows the load names, read from the database and encoded as the wire does.
pub(super) async fn discover_company(
    state: &AppState,
    seeded: SeededCompany,
) -> anyhow::Result<Company> {
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

pub(super) async fn discover_account(
    state: &AppState,
    seeded: SeededAccount,
) -> anyhow::Result<Account> {
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
