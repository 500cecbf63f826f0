//! Every built operation of both APIs as a request a test can send, on a scene of real data:
//! the demo set seeded into a test app, plus a few rows made for the writes. For each operation
//! the table says whether it reads or writes, the scope a MoeGo key needs, a well-formed request
//! against the victim's data (Happy Paws and its Mission business; Wanderlust's first agent),
//! and what each hostile key must get. The authorization matrix and the concurrency test walk
//! the operations the route catalog says are built, and fail on any that has no entry here, so
//! a new operation cannot slip past them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use moapi::fixtures::Fixtures;
use moapi::operator::{self, M2mClientRequest, MoegoKeyRequest, SeedReport};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::{Column, Row};

use super::webhook_deliveries::Receiver;
use super::{Reply, TestApp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Moego,
    Mogu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

/// The kinds of hostile callers the matrix tries on every operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hostile {
    /// MoeGo: a key of another company (of another API client). MOGU: another account's key.
    OtherTenant,
    /// MoeGo: a key of the victim's company restricted to its other business.
    OtherBusiness,
    /// MoeGo: a key of the victim's company holding every scope but the operation's.
    MissingScope,
    /// A revoked key of the victim (MoeGo) or of the victim's agent (MOGU).
    Revoked,
    /// MoeGo: a key of the victim's API client restricted to networks the test is outside.
    IpOutside,
    /// MOGU: an M2M token granted the victim's account with every scope but the operation's.
    M2mMissingScope,
    /// MOGU: an M2M token of a client granted another account, acting for the victim's agent.
    M2mOutsideGrant,
}

pub const MOEGO_HOSTILES: [Hostile; 5] = [
    Hostile::OtherTenant,
    Hostile::OtherBusiness,
    Hostile::MissingScope,
    Hostile::Revoked,
    Hostile::IpOutside,
];

pub const MOGU_HOSTILES: [Hostile; 4] = [
    Hostile::OtherTenant,
    Hostile::Revoked,
    Hostile::M2mMissingScope,
    Hostile::M2mOutsideGrant,
];

/// What a hostile caller must get, when it is not the dialect's refusal.
#[derive(Clone, Copy)]
pub enum Expect {
    /// Not a question for this caller: why.
    NotApplicable(&'static str),
    /// The operation serves the caller its own tenant's rows (a list without a tenant in the
    /// request): it must answer, showing nothing of the victim's (the check says so).
    OwnOnly(fn(&Scene, &Value) -> bool),
}

/// A request to send.
pub struct Call {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
}

pub struct Recipe {
    pub operation_id: &'static str,
    pub kind: Kind,
    /// The scope a MoeGo key needs (MOGU operations take theirs from `moapi_mogu::m2m`).
    pub scope: &'static str,
    pub call: fn(&Scene) -> Call,
    /// Exceptions to "every hostile caller of the API is refused".
    pub except: &'static [(Hostile, Expect)],
}

impl Recipe {
    pub fn api(&self) -> Api {
        match self.operation_id.contains('_') {
            true => Api::Moego,
            false => Api::Mogu,
        }
    }

    pub fn expectation(&self, hostile: Hostile) -> Option<Expect> {
        self.except
            .iter()
            .find(|(kind, _)| *kind == hostile)
            .map(|(_, expect)| *expect)
    }
}

/// The victim's rows the requests name.
pub struct Scene {
    pub app: TestApp,
    pub report: SeedReport,
    pub company: String,
    /// Happy Paws Mission: the business the business-scoped requests name.
    pub business: String,
    /// Happy Paws Downtown: the business the restricted hostile key reaches.
    pub other_business: String,
    pub moego_auth: String,
    pub customer: String,
    pub customer_note: String,
    pub pet: String,
    pub pet_code_carried: String,
    pub pet_code_free: String,
    pub lead: String,
    pub service: String,
    pub staff: String,
    /// A FINISHED appointment at Mission, with its order and a payment.
    pub appointment: String,
    pub order: String,
    pub payment: String,
    /// Appointments booked at Mission for the writes that move one.
    pub to_update_status: String,
    pub to_cancel: String,
    pub to_reschedule: String,
    /// A Wednesday morning a month ahead, within Mission's working hours.
    pub reschedule_start: String,
    pub appointment_note: String,
    pub block: String,
    /// Pamper Club, a demo membership with subscriptions.
    pub membership: String,
    /// James Miller, who holds a "5 Baths" package bought at Mission, and that package.
    pub package_customer: String,
    pub customer_package: String,
    /// Mission Van 1, a demo van at Mission with staff.
    pub van: String,
    /// A demo visit of Mission's booking page that stopped at the care type.
    pub abandoned_booking: String,
    /// The demo's grooming waiver, which applies at Mission.
    pub agreement: String,
    pub webhook: String,
    pub webhook_to_delete: String,
    pub delivery: String,
    pub receiver: Receiver,
    pub mogu_auth: String,
    pub trip: i64,
    pub trip_to_delete: i64,
    pub catalog: i64,
    pub catalog_to_delete: i64,
    pub job: String,
}

/// The settings of a scene's app: webhooks to the test's receiver allowed, and the background
/// work that would change tables on its own (webhook fan-out, AI imports) polling once an hour,
/// so that only the tests' requests change the database.
pub fn quiet(config: &mut moapi_core::Config) {
    config.webhooks.allow_http = true;
    config.outbound.allow = moapi_core::outbound::parse_allow_list("127.0.0.1/32").unwrap();
    config.webhooks.poll_interval = std::time::Duration::from_secs(3600);
    config.ai.poll_interval = std::time::Duration::from_secs(3600);
}

fn expect_ok(reply: &Reply, what: &str) -> Value {
    assert!(
        (200..300).contains(&reply.status),
        "{what}: {} {}",
        reply.status,
        reply.text
    );
    reply.body.clone()
}

fn find<'a>(items: &'a Value, member: &str, value: &str) -> &'a Value {
    items
        .as_array()
        .and_then(|items| items.iter().find(|item| item[member] == value))
        .unwrap_or_else(|| panic!("no {member} {value:?} in {items}"))
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_string()
}

/// A Wednesday about a month from now at 11:00 in Los Angeles (Mission is open 10:00-19:00).
fn wednesday_morning() -> String {
    use chrono::{Datelike, TimeZone};
    let zone: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
    let mut day = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    while day.weekday() != chrono::Weekday::Wed {
        day = day.succ_opt().unwrap();
    }
    let local = zone
        .from_local_datetime(&day.and_hms_opt(11, 0, 0).unwrap())
        .single()
        .unwrap();
    local
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Scene {
    /// The demo set seeded into `app`, with the rows the write requests need. Background
    /// work that would change tables by itself (webhook fan-out, AI imports) is quiet: the
    /// app is expected to poll rarely (see `quiet`).
    pub async fn new(app: TestApp) -> Scene {
        let mut db = app.state.db.conn();
        let report = operator::seed(&app.state, &mut db, Fixtures::demo())
            .await
            .expect("the demo set seeds");
        drop(db);
        let happy_paws = &report.moego[0];
        let company = happy_paws.company_id.clone();
        let (other_business, business) = (
            happy_paws.business_ids[0].clone(),
            happy_paws.business_ids[1].clone(),
        );
        let auth = happy_paws.authorization.clone();
        let post = |path: &str, body: Value| {
            let (app, auth, path) = (&app, auth.clone(), path.to_string());
            async move { app.moego_post(&auth, &path, body).await }
        };
        let page = json!({"pageSize": 100});

        let customers = post(
            "/v1/customers:list",
            json!({"companyId": company, "pagination": page}),
        )
        .await;
        let customer = id(find(
            &expect_ok(&customers, "customers")["customers"],
            "firstName",
            "Emma",
        ));
        let notes = post(
            &format!("/v1/customers/{customer}/notes:list"),
            json!({"pagination": page}),
        )
        .await;
        let customer_note = id(&expect_ok(&notes, "customer notes")["notes"][0]);
        let pets = post(&format!("/v1/customers/{customer}/pets:list"), json!({})).await;
        let pet = id(find(&expect_ok(&pets, "pets")["pets"], "name", "Biscuit"));
        let codes = post(
            &format!("/v1/setting/companies/{company}/pet/codes:list"),
            json!({}),
        )
        .await;
        let codes = &expect_ok(&codes, "pet codes")["codes"];
        let pet_code_carried = id(find(codes, "abbreviation", "SR"));
        let pet_code_free = id(find(codes, "abbreviation", "AG"));
        let leads = post(
            "/v1/leads:list",
            json!({"companyId": company, "pagination": page}),
        )
        .await;
        let lead = id(&expect_ok(&leads, "leads")["leads"][0]);
        let services = post(
            &format!("/v1/setting/companies/{company}/services:list"),
            json!({"pagination": page}),
        )
        .await;
        let services = &expect_ok(&services, "services")["services"];
        let service = id(find(services, "name", "Puppy Daycare"));
        let bath = id(find(services, "name", "Bath & Brush"));
        let staff = post(
            "/v1/staffs:list",
            json!({"companyId": company, "pagination": page}),
        )
        .await;
        let staff = id(find(
            &expect_ok(&staff, "staff")["staffs"],
            "firstName",
            "Mia",
        ));

        let appointments = post(
            "/v1/appointments:list",
            json!({"companyId": company, "businessIds": [business], "pagination": page}),
        )
        .await;
        let finished = find(
            &expect_ok(&appointments, "appointments")["appointments"],
            "status",
            "FINISHED",
        )
        .clone();
        let appointment = id(&finished);
        let order = finished["orderId"].as_str().unwrap().to_string();
        let payments = post(
            "/v1/payments:list",
            json!({"companyId": company, "filter": {"orderIds": [order]}, "pagination": page}),
        )
        .await;
        let payment = id(&expect_ok(&payments, "payments")["payments"][0]);
        let blocks = post(
            "/v1/blocks:list",
            json!({"companyId": company, "businessIds": [business], "pagination": page}),
        )
        .await;
        let block = id(&expect_ok(&blocks, "blocks")["blocks"][0]);
        let memberships = post(
            "/v1/memberships:list",
            json!({"companyId": company, "filter": {"nameLike": "pamper"}, "pagination": page}),
        )
        .await;
        let membership = id(&expect_ok(&memberships, "memberships")["memberships"][0]);
        let package_customer = id(find(
            &expect_ok(&customers, "customers")["customers"],
            "firstName",
            "James",
        ));
        let held = post(
            "/v1/packages:list",
            json!({"companyId": company, "businessId": business,
                   "customerId": package_customer, "pagination": page}),
        )
        .await;
        let customer_package = id(&expect_ok(&held, "packages")["packages"][0]);
        let vans = post(
            "/v1/vans:list",
            json!({"companyId": company, "businessIds": [business], "pagination": page}),
        )
        .await;
        let van = id(find(
            &expect_ok(&vans, "vans")["vans"],
            "displayName",
            "Mission Van 1",
        ));
        let abandoned = post(
            "/v1/abandoned_bookings:list",
            json!({"companyId": company, "businessIds": [business], "pagination": page}),
        )
        .await;
        let abandoned_booking = id(&expect_ok(&abandoned, "abandoned bookings")["bookings"][0]);
        let agreements = post(
            "/v1/agreements:list",
            json!({"companyId": company, "businessIds": [business], "pagination": page}),
        )
        .await;
        let agreement = id(find(
            &expect_ok(&agreements, "agreements")["agreement"],
            "title",
            "Grooming Service Waiver",
        ));

        // Three bookings at Mission a few months ahead, for the writes that move one.
        let mut booked = Vec::new();
        for day in 0..3 {
            let start = format!("2031-03-0{}T18:00:00Z", day + 4);
            let reply = post(
                "/v1/appointments",
                json!({"businessId": business, "customerId": customer, "ignoreConflict": false,
                       "petServices": [{"petId": pet, "services": [
                           {"id": bath, "duration": {"startTime": start}, "staffIds": [staff]}]}]}),
            )
            .await;
            booked.push(id(&expect_ok(&reply, "a booking")));
        }
        let note = post(
            "/v1/appointments/notes",
            json!({"appointmentId": booked[0], "note": "Likes treats", "type": "COMMENT"}),
        )
        .await;
        let appointment_note = id(&expect_ok(&note, "an appointment note"));

        let receiver = Receiver::start("scene-secret").await;
        let organizations = json!([{"id": company, "type": "COMPANY"}]);
        let mut webhooks = Vec::new();
        for url in [receiver.url.clone(), format!("{}?second", receiver.url)] {
            let reply = post(
                "/v1/webhooks",
                // An event no request of the tests emits, so that no delivery is ever queued.
                json!({"endpointUrl": url, "eventTypes": ["CUSTOMER_DELETED"],
                       "organizations": organizations}),
            )
            .await;
            webhooks.push(id(&expect_ok(&reply, "a webhook")));
        }
        let test = post(&format!("/v1/webhooks/{}/test", webhooks[0]), json!({})).await;
        let delivery = id(&expect_ok(&test, "a test delivery"));

        let wanderlust = &report.mogu[0];
        let mogu_auth = format!("Bearer {}", wanderlust.api_key);
        let mogu = |method: Method, path: &str, body: Value| {
            let (app, auth, path) = (&app, mogu_auth.clone(), path.to_string());
            async move {
                app.send(
                    app.client
                        .request(method, app.url(&path))
                        .header("authorization", auth)
                        .json(&body),
                )
                .await
            }
        };
        let trip = report
            .public_trips
            .iter()
            .find(|trip| trip.account_id == wanderlust.account_id)
            .unwrap()
            .trip_id;
        let catalog = report
            .public_catalogs
            .iter()
            .find(|catalog| catalog.account_id == wanderlust.account_id)
            .unwrap()
            .catalog_id;
        let spare_trip = mogu(Method::POST, "/trips", json!({"title": "To delete"})).await;
        let trip_to_delete = expect_ok(&spare_trip, "a trip")["id"].as_i64().unwrap();
        let spare_catalog = mogu(Method::POST, "/catalogs", json!({"title": "To delete"})).await;
        let catalog_to_delete = expect_ok(&spare_catalog, "a catalog")["id"]
            .as_i64()
            .unwrap();
        let import = mogu(
            Method::POST,
            "/ai/trips/from-document",
            json!({"source": {"type": "text", "text": "Day 1: Lisbon. Day 2: Sintra."}}),
        )
        .await;
        let job = expect_ok(&import, "an AI import")["jobId"]
            .as_str()
            .unwrap()
            .to_string();

        Scene {
            app,
            company,
            business,
            other_business,
            moego_auth: auth,
            customer,
            customer_note,
            pet,
            pet_code_carried,
            pet_code_free,
            lead,
            service,
            staff,
            appointment,
            order,
            payment,
            to_update_status: booked[0].clone(),
            to_cancel: booked[1].clone(),
            to_reschedule: booked[2].clone(),
            reschedule_start: wednesday_morning(),
            appointment_note,
            block,
            membership,
            package_customer,
            customer_package,
            van,
            abandoned_booking,
            agreement,
            webhook: webhooks[0].clone(),
            webhook_to_delete: webhooks[1].clone(),
            delivery,
            receiver,
            mogu_auth,
            trip,
            trip_to_delete,
            catalog,
            catalog_to_delete,
            job,
            report,
        }
    }

    /// The legitimate caller of the recipe's API: the victim's own key.
    pub fn owner(&self, api: Api) -> Vec<(String, String)> {
        let auth = match api {
            Api::Moego => &self.moego_auth,
            Api::Mogu => &self.mogu_auth,
        };
        vec![("authorization".to_string(), auth.clone())]
    }

    pub async fn send(&self, call: &Call, headers: &[(String, String)]) -> Reply {
        let mut request = self
            .app
            .client
            .request(call.method.clone(), self.app.url(&call.path));
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        self.app.send(request).await
    }
}

/// Every built operation: (method, path, operation ID) from the OpenAPI documents the APIs
/// generate from their handlers.
pub fn built_operations() -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for document in [moapi_moego::openapi(), moapi_mogu::openapi()] {
        let document = serde_json::to_value(&document).unwrap();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                if let Some(id) = operation["operationId"].as_str() {
                    found.push((method.to_uppercase(), path.clone(), id.to_string()));
                }
            }
        }
    }
    found
}

/// The recipes of every built operation; panics naming each built operation without one.
pub fn recipes_of_built_operations() -> Vec<&'static Recipe> {
    let built = built_operations();
    let missing: Vec<&String> = built
        .iter()
        .map(|(_, _, id)| id)
        .filter(|id| {
            !RECIPES
                .iter()
                .any(|recipe| recipe.operation_id == id.as_str())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "built operations without an entry in tests/common/route_catalog.rs: {missing:?}"
    );
    RECIPES
        .iter()
        .filter(|recipe| built.iter().any(|(_, _, id)| id == recipe.operation_id))
        .collect()
}

/// The hostile callers, made once per scene.
pub struct Hostiles {
    other_tenant_moego: String,
    other_business: String,
    revoked_moego: String,
    ip_outside: String,
    other_tenant_mogu: String,
    revoked_mogu: String,
    outside_grant: String,
    /// MoeGo keys lacking one scope, by that scope.
    missing_scope: HashMap<&'static str, String>,
    /// M2M tokens lacking one scope, by that scope.
    m2m_missing_scope: HashMap<&'static str, String>,
    victim_agent: String,
}

impl Hostiles {
    pub async fn new(scene: &Scene) -> Hostiles {
        let app = &scene.app;
        let key = |request: MoegoKeyRequest| async move {
            let mut db = app.state.db.conn();
            operator::create_moego_key(&app.state, &mut db, &request)
                .await
                .expect("the operator issues the key")
        };
        let other_business = key(MoegoKeyRequest {
            company: scene.company.clone(),
            businesses: vec![scene.other_business.clone()],
            ..Default::default()
        })
        .await
        .authorization;
        let revoked = key(MoegoKeyRequest {
            company: scene.company.clone(),
            ..Default::default()
        })
        .await;
        let ip_outside = key(MoegoKeyRequest {
            company: scene.company.clone(),
            allowed_ips: vec!["10.0.0.0/8".into()],
            ..Default::default()
        })
        .await
        .authorization;
        let mut missing_scope = HashMap::new();
        for scope in moapi_moego::SCOPES {
            let others = moapi_moego::SCOPES
                .iter()
                .filter(|other| *other != scope)
                .map(|other| other.to_string())
                .collect();
            let issued = key(MoegoKeyRequest {
                company: scene.company.clone(),
                scopes: others,
                ..Default::default()
            })
            .await;
            missing_scope.insert(*scope, issued.authorization);
        }
        let revoke = app.send(app.admin(Method::DELETE, &format!("/keys/{}", revoked.key_id)));
        assert_eq!(revoke.await.status, 204);

        let wanderlust = &scene.report.mogu[0];
        let sol_y_mar = &scene.report.mogu[2];
        let mogu_key = app
            .send(
                app.admin(Method::POST, "/keys/mogu")
                    .json(&json!({"agentEmail": wanderlust.agent_email})),
            )
            .await;
        let mogu_key = expect_ok(&mogu_key, "a MOGU key");
        let revoke = app.send(app.admin(
            Method::DELETE,
            &format!("/keys/{}", mogu_key["keyId"].as_str().unwrap()),
        ));
        assert_eq!(revoke.await.status, 204);
        let token = |scopes: Vec<String>, account_ids: Vec<i64>| async move {
            let mut db = app.state.db.conn();
            let client = operator::create_m2m_client(
                &mut db,
                &M2mClientRequest {
                    scopes,
                    account_ids,
                    ..Default::default()
                },
            )
            .await
            .expect("an M2M client");
            drop(db);
            let reply = app
                .send(app.client.post(app.url("/oauth/token")).form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", client.client_id.as_str()),
                    ("client_secret", client.client_secret.as_str()),
                ]))
                .await;
            format!(
                "Bearer {}",
                expect_ok(&reply, "an M2M token")["access_token"]
                    .as_str()
                    .unwrap()
            )
        };
        let every_scope = || -> Vec<String> {
            moapi_mogu::m2m::SCOPES
                .iter()
                .map(|scope| scope.to_string())
                .collect()
        };
        let outside_grant = token(every_scope(), vec![sol_y_mar.account_id]).await;
        let mut m2m_missing_scope = HashMap::new();
        for scope in moapi_mogu::m2m::SCOPES {
            let others = every_scope()
                .into_iter()
                .filter(|other| other != scope)
                .collect();
            m2m_missing_scope.insert(*scope, token(others, vec![wanderlust.account_id]).await);
        }
        Hostiles {
            other_tenant_moego: scene.report.moego[1].authorization.clone(),
            other_business,
            revoked_moego: revoked.authorization,
            ip_outside,
            other_tenant_mogu: format!("Bearer {}", sol_y_mar.api_key),
            revoked_mogu: format!("Bearer {}", mogu_key["apiKey"].as_str().unwrap()),
            outside_grant,
            missing_scope,
            m2m_missing_scope,
            victim_agent: wanderlust.agent_email.clone(),
        }
    }

    /// The headers of a hostile caller of `recipe`; `None` when the operation needs no scope
    /// the caller could lack.
    pub fn headers(&self, recipe: &Recipe, hostile: Hostile) -> Option<Vec<(String, String)>> {
        let auth = |value: &str| vec![("authorization".to_string(), value.to_string())];
        let acting = |token: &str| {
            let mut headers = auth(token);
            headers.push(("x-on-behalf-of".to_string(), self.victim_agent.clone()));
            headers
        };
        let mogu_scope = moapi_mogu::m2m::scope_of(recipe.operation_id);
        Some(match (recipe.api(), hostile) {
            (Api::Moego, Hostile::OtherTenant) => auth(&self.other_tenant_moego),
            (Api::Moego, Hostile::OtherBusiness) => auth(&self.other_business),
            (Api::Moego, Hostile::MissingScope) => auth(&self.missing_scope[recipe.scope]),
            (Api::Moego, Hostile::Revoked) => auth(&self.revoked_moego),
            (Api::Moego, Hostile::IpOutside) => auth(&self.ip_outside),
            (Api::Mogu, Hostile::OtherTenant) => auth(&self.other_tenant_mogu),
            (Api::Mogu, Hostile::Revoked) => auth(&self.revoked_mogu),
            (Api::Mogu, Hostile::M2mMissingScope) => acting(&self.m2m_missing_scope[mogu_scope?]),
            (Api::Mogu, Hostile::M2mOutsideGrant) => acting(&self.outside_grant),
            _ => return None,
        })
    }
}

/// Whether a reply is the dialect's refusal for this kind of hostile caller.
pub fn is_refusal(api: Api, hostile: Hostile, reply: &Reply) -> bool {
    match api {
        Api::Moego => {
            let code = reply.body["code"].as_i64();
            match hostile {
                Hostile::Revoked => reply.status == 401 && code == Some(16),
                _ => reply.status == 403 && code == Some(7),
            }
        }
        Api::Mogu => {
            let expected = match hostile {
                Hostile::OtherTenant => 404,
                Hostile::M2mMissingScope => 403,
                _ => 401,
            };
            // The AI operations answer `{"error":{"code","message"}}`, the others
            // `{"errors":{field:[...]}}`.
            reply.status == expected
                && (reply.body["errors"].is_object() || reply.body["error"]["code"].is_string())
        }
    }
}

/// Every row of every table, as text, for comparing the database before and after.
pub async fn snapshot(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let mut db = app.state.db.conn();
    let conn = db.get().await.unwrap();
    let tables: Vec<(String,)> = match app.state.db.backend() {
        moapi_core::db::Backend::Sqlite => {
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .fetch_all(&mut *conn)
                .await
        }
        moapi_core::db::Backend::Postgres => {
            sqlx::query_as(
                "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' \
                 ORDER BY tablename",
            )
            .fetch_all(&mut *conn)
            .await
        }
    }
    .unwrap();
    let mut snapshot = BTreeMap::new();
    // sqlx's own bookkeeping (its timestamps are a type the Any driver cannot read).
    for (table,) in tables
        .into_iter()
        .filter(|(table,)| table != "_sqlx_migrations")
    {
        let rows = sqlx::query(&format!("SELECT * FROM \"{table}\""))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let mut texts: Vec<String> = rows
            .iter()
            .map(|row| {
                (0..row.columns().len())
                    .map(|index| {
                        let name = row.columns()[index].name();
                        let value = row
                            .try_get::<Option<i64>, _>(index)
                            .map(|v| format!("{v:?}"))
                            .or_else(|_| {
                                row.try_get::<Option<String>, _>(index)
                                    .map(|v| format!("{v:?}"))
                            })
                            .or_else(|_| {
                                row.try_get::<Option<f64>, _>(index)
                                    .map(|v| format!("{v:?}"))
                            })
                            .or_else(|_| {
                                row.try_get::<Option<bool>, _>(index)
                                    .map(|v| format!("{v:?}"))
                            })
                            .or_else(|_| {
                                row.try_get::<Option<Vec<u8>>, _>(index)
                                    .map(|v| format!("{v:?}"))
                            })
                            .unwrap_or_else(|err| format!("<{err}>"));
                        format!("{name}={value}")
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        texts.sort();
        snapshot.insert(table, texts);
    }
    snapshot
}

/// The tables whose rows differ between two snapshots.
pub fn changed_tables(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let tables: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    tables
        .into_iter()
        .filter(|table| before.get(*table) != after.get(*table))
        .cloned()
        .collect()
}

fn call(method: Method, path: String, body: Option<Value>) -> Call {
    Call { method, path, body }
}

fn get(path: String) -> Call {
    call(Method::GET, path, None)
}

fn post(path: impl Into<String>, body: Value) -> Call {
    call(Method::POST, path.into(), Some(body))
}

fn page() -> Value {
    json!({"pageSize": 20})
}

fn usd(units: &str) -> Value {
    json!({"currencyCode": "USD", "units": units})
}

const COMPANY_WIDE: (Hostile, Expect) = (
    Hostile::OtherBusiness,
    Expect::NotApplicable("a company-wide resource: every key of the company reaches it"),
);

/// Creates in the caller's own tenant: another tenant's key creates its own.
const OWN_TENANT_CREATE: (Hostile, Expect) = (
    Hostile::OtherTenant,
    Expect::NotApplicable("creates in the caller's own account; no victim row is named"),
);

const PUBLIC: &[(Hostile, Expect)] = &[
    (
        Hostile::OtherTenant,
        Expect::NotApplicable("public: anyone holding the job's unguessable ID reads it"),
    ),
    (Hostile::Revoked, Expect::NotApplicable("public")),
    (Hostile::M2mMissingScope, Expect::NotApplicable("public")),
    (Hostile::M2mOutsideGrant, Expect::NotApplicable("public")),
];

fn none_with(items: &Value, member: &str, value: &str) -> bool {
    items
        .as_array()
        .is_some_and(|items| items.iter().all(|item| item[member] != value))
}

fn no_victim_trip(scene: &Scene, body: &Value) -> bool {
    body["data"]
        .as_array()
        .is_some_and(|items| items.iter().all(|item| item["id"] != scene.trip))
}

/// The recipes, in the order the matrix runs the owner's writes at its end: writes that
/// consume their target (cancel, delete, promote) come after the writes that need it.
pub static RECIPES: &[Recipe] = &[
    // CompanyService, BusinessService, StaffService
    Recipe {
        operation_id: "CompanyService_ListCompanies",
        kind: Kind::Read,
        scope: "companies:read",
        call: |_| post("/v1/companies:list", json!({"pagination": page()})),
        except: &[
            (
                Hostile::OtherTenant,
                Expect::OwnOnly(|s, body| none_with(&body["companies"], "id", &s.company)),
            ),
            COMPANY_WIDE,
        ],
    },
    Recipe {
        operation_id: "CompanyService_GetCompany",
        kind: Kind::Read,
        scope: "companies:read",
        call: |s| get(format!("/v1/companies/{}", s.company)),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "BusinessService_ListBusiness",
        kind: Kind::Read,
        scope: "businesses:read",
        call: |s| {
            post(
                "/v1/businesses:list",
                json!({"companyId": s.company, "pagination": page()}),
            )
        },
        except: &[(
            Hostile::OtherBusiness,
            Expect::OwnOnly(|s, body| none_with(&body["businesses"], "id", &s.business)),
        )],
    },
    Recipe {
        operation_id: "BusinessService_GetBusiness",
        kind: Kind::Read,
        scope: "businesses:read",
        call: |s| get(format!("/v1/businesses/{}", s.business)),
        except: &[],
    },
    Recipe {
        operation_id: "StaffService_ListStaffs",
        kind: Kind::Read,
        scope: "staffs:read",
        call: |s| {
            post(
                "/v1/staffs:list",
                json!({"companyId": s.company, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "StaffService_GetStaff",
        kind: Kind::Read,
        scope: "staffs:read",
        call: |s| get(format!("/v1/staffs/{}", s.staff)),
        except: &[COMPANY_WIDE],
    },
    // CustomerService
    Recipe {
        operation_id: "CustomerService_ListCustomers",
        kind: Kind::Read,
        scope: "customers:read",
        call: |s| {
            post(
                "/v1/customers:list",
                json!({"companyId": s.company, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_GetCustomer",
        kind: Kind::Read,
        scope: "customers:read",
        call: |s| get(format!("/v1/customers/{}", s.customer)),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_ListCustomerNotes",
        kind: Kind::Read,
        scope: "customers:read",
        call: |s| {
            post(
                format!("/v1/customers/{}/notes:list", s.customer),
                json!({"pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_ListCustomerTags",
        kind: Kind::Read,
        scope: "customers:read",
        call: |s| post(format!("/v1/customers/{}/tags:list", s.customer), json!({})),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_GenCustomerCofLink",
        kind: Kind::Read,
        scope: "customers:write",
        call: |s| get(format!("/v1/customers/{}/cof/link", s.customer)),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_CreateCustomer",
        kind: Kind::Write,
        scope: "customers:write",
        call: |s| {
            post(
                "/v1/customers",
                json!({"companyId": s.company, "preferredBusinessId": s.business,
                       "firstName": "Zoe", "lastName": "Hart", "phone": "(415) 555-0111"}),
            )
        },
        // The preferred business is Mission, which the Downtown key may not name.
        except: &[],
    },
    Recipe {
        operation_id: "CustomerService_UpdateCustomer",
        kind: Kind::Write,
        scope: "customers:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/customers/{}", s.customer),
                Some(json!({"companyId": s.company, "lastName": "Davis-Hart"})),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_AppendCustomerNotes",
        kind: Kind::Write,
        scope: "customers:write",
        call: |s| {
            post(
                format!("/v1/customers/{}/notes", s.customer),
                json!({"notes": [{"note": "Gate code 1234"}]}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_UpdateCustomerNote",
        kind: Kind::Write,
        scope: "customers:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/customers/{}/notes/{}", s.customer, s.customer_note),
                Some(json!({"note": "Prefers afternoons now"})),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_DeleteCustomerNote",
        kind: Kind::Write,
        scope: "customers:write",
        call: |s| {
            call(
                Method::DELETE,
                format!("/v1/customers/{}/notes/{}", s.customer, s.customer_note),
                None,
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "CustomerService_AppendCustomerTags",
        kind: Kind::Write,
        scope: "customers:write",
        call: |s| {
            post(
                format!("/v1/customers/{}/tags", s.customer),
                json!({"tags": [{"name": "Loyal"}]}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    // PetService
    Recipe {
        operation_id: "PetService_ListPets",
        kind: Kind::Read,
        scope: "pets:read",
        call: |s| post(format!("/v1/customers/{}/pets:list", s.customer), json!({})),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_ListAllPets",
        kind: Kind::Read,
        scope: "pets:read",
        call: |s| {
            post(
                "/v1/pets:list",
                json!({"companyId": s.company, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_GetPet",
        kind: Kind::Read,
        scope: "pets:read",
        call: |s| get(format!("/v1/customers/{}/pets/{}", s.customer, s.pet)),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_ListPetNotes",
        kind: Kind::Read,
        scope: "pets:read",
        call: |s| {
            post(
                format!("/v1/customers/{}/pets/{}/notes:list", s.customer, s.pet),
                json!({"pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_CreatePet",
        kind: Kind::Write,
        scope: "pets:write",
        call: |s| {
            post(
                format!("/v1/customers/{}/pets", s.customer),
                json!({"pet": {"name": "Pip", "type": "DOG", "breed": "Corgi"}}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_UpdatePet",
        kind: Kind::Write,
        scope: "pets:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/customers/{}/pets/{}", s.customer, s.pet),
                Some(json!({"breed": "Golden Retriever mix"})),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_AppendPetNotes",
        kind: Kind::Write,
        scope: "pets:write",
        call: |s| {
            post(
                format!("/v1/customers/{}/pets/{}/notes", s.customer, s.pet),
                json!({"notes": [{"content": "Sensitive ears"}]}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_AppendPetCodes",
        kind: Kind::Write,
        scope: "pets:write",
        call: |s| {
            post(
                format!("/v1/customers/{}/pets/{}/codes", s.customer, s.pet),
                json!({"petCodeIds": [s.pet_code_free]}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PetService_DeletePetCode",
        kind: Kind::Write,
        scope: "pets:write",
        call: |s| {
            call(
                Method::DELETE,
                format!(
                    "/v1/customers/{}/pets/{}/codes/{}",
                    s.customer, s.pet, s.pet_code_carried
                ),
                None,
            )
        },
        except: &[COMPANY_WIDE],
    },
    // LeadService
    Recipe {
        operation_id: "LeadService_ListLeads",
        kind: Kind::Read,
        scope: "leads:read",
        call: |s| {
            post(
                "/v1/leads:list",
                json!({"companyId": s.company, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "LeadService_GetLead",
        kind: Kind::Read,
        scope: "leads:read",
        call: |s| get(format!("/v1/leads/{}", s.lead)),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "LeadService_CreateLead",
        kind: Kind::Write,
        scope: "leads:write",
        call: |s| {
            post(
                "/v1/leads",
                json!({"lead": {"companyId": s.company, "firstName": "Ivy"}}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "LeadService_UpdateLead",
        kind: Kind::Write,
        scope: "leads:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/leads/{}", s.lead),
                Some(json!({"lead": {"lastName": "Tran"}})),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "LeadService_PromoteLead",
        kind: Kind::Write,
        scope: "leads:write",
        call: |s| post("/v1/leads:promote", json!({"id": s.lead})),
        except: &[COMPANY_WIDE],
    },
    // AggregationService
    Recipe {
        operation_id: "AggregationService_LookupClientPetProfile",
        kind: Kind::Read,
        scope: "clients:read",
        call: |s| {
            post(
                "/v1/aggregation/clients:lookupClientPetProfile",
                json!({"businessId": s.business, "phoneNumber": "(415) 555-0134"}),
            )
        },
        except: &[],
    },
    // SettingService
    Recipe {
        operation_id: "SettingService_ListServices",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/services:list", s.company),
                json!({"businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "SettingService_GetService",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            get(format!(
                "/v1/setting/companies/{}/services/{}",
                s.company, s.service
            ))
        },
        except: &[],
    },
    Recipe {
        operation_id: "SettingService_ListLodgings",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/lodgings", s.company),
                json!({}),
            )
        },
        // Happy Paws has no lodgings; the Downtown key sees Downtown's (none either).
        except: &[(
            Hostile::OtherBusiness,
            Expect::OwnOnly(|_, body| body.get("lodgings").is_none()),
        )],
    },
    Recipe {
        operation_id: "SettingService_ListCustomFields",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/custom_fields", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListCustomerReferralSources",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!(
                    "/v1/setting/companies/{}/customer/referral_sources:list",
                    s.company
                ),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListCustomerTags",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/customer/tags:list", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListLeadsActionStatus",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/leads/action_status", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListLeadsLifeCycles",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/leads/life_cycles", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListPetCoatTypes",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/pet/coat_types:list", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListPetCodes",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/pet/codes:list", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListPetSizes",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/pet/sizes:list", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_ListPetTypes",
        kind: Kind::Read,
        scope: "settings:read",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/pet/types:list", s.company),
                json!({}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "SettingService_CreateService",
        kind: Kind::Write,
        scope: "settings:write",
        call: |s| {
            post(
                format!("/v1/setting/companies/{}/services", s.company),
                json!({"name": "Teeth Cleaning", "serviceItemType": "GROOMING",
                       "serviceType": "ADDON", "price": usd("12"), "serviceTime": 15,
                       "availableBusinessIds": [s.business]}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "SettingService_UpdateService",
        kind: Kind::Write,
        scope: "settings:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/setting/companies/{}/services/{}", s.company, s.service),
                Some(json!({"name": "Puppy Daycare", "price": usd("39")})),
            )
        },
        except: &[],
    },
    // AppointmentService
    Recipe {
        operation_id: "AppointmentService_ListAppointments",
        kind: Kind::Read,
        scope: "appointments:read",
        call: |s| {
            post(
                "/v1/appointments:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_GetAppointment",
        kind: Kind::Read,
        scope: "appointments:read",
        call: |s| {
            get(format!(
                "/v1/appointments/{}?businessId={}",
                s.appointment, s.business
            ))
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_CheckAppointmentAvailability",
        kind: Kind::Read,
        scope: "appointments:read",
        call: |s| {
            post(
                "/v1/appointments:check",
                json!({"businessId": s.business, "petIds": [s.pet],
                       "dateRange": {"startTime": "2031-03-01T00:00:00Z", "endTime": "2031-03-10T00:00:00Z"}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_ListAppointmentNotes",
        kind: Kind::Read,
        scope: "appointments:read",
        call: |s| {
            post(
                "/v1/appointments/notes:list",
                json!({"appointmentId": s.to_update_status}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_ListGroomingReports",
        kind: Kind::Read,
        scope: "appointments:read",
        call: |s| {
            post(
                "/v1/grooming_reports:list",
                json!({"businessId": s.business, "appointmentIds": [s.appointment]}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_CreateAppointment",
        kind: Kind::Write,
        scope: "appointments:write",
        call: |s| {
            post(
                "/v1/appointments",
                json!({"businessId": s.business, "customerId": s.customer, "ignoreConflict": false,
                       "petServices": [{"petId": s.pet, "services": [
                           {"id": s.service, "duration": {"startTime": "2031-04-02T17:00:00Z"},
                            "staffIds": [s.staff]}]}]}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_CreateAppointmentNote",
        kind: Kind::Write,
        scope: "appointments:write",
        call: |s| {
            post(
                "/v1/appointments/notes",
                json!({"appointmentId": s.to_update_status, "note": "Bring the blue leash", "type": "ALERT_NOTES"}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_UpdateAppointmentNote",
        kind: Kind::Write,
        scope: "appointments:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/appointments/notes/{}", s.appointment_note),
                Some(json!({"note": "Likes treats, small ones"})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_UpdateAppointmentStatus",
        kind: Kind::Write,
        scope: "appointments:write",
        call: |s| {
            post(
                format!("/v1/appointments/{}:updateStatus", s.to_update_status),
                json!({"businessId": s.business, "status": "CONFIRMED"}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_RescheduleAppointment",
        kind: Kind::Write,
        scope: "appointments:write",
        call: |s| {
            post(
                format!("/v1/appointments/{}:reschedule", s.to_reschedule),
                json!({"businessId": s.business, "duration": {"startTime": s.reschedule_start}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AppointmentService_CancelAppointment",
        kind: Kind::Write,
        scope: "appointments:write",
        call: |s| {
            post(
                format!("/v1/appointments/{}:cancel", s.to_cancel),
                json!({"businessId": s.business}),
            )
        },
        except: &[],
    },
    // BlockService
    Recipe {
        operation_id: "BlockService_ListBlocks",
        kind: Kind::Read,
        scope: "blocks:read",
        call: |s| {
            post(
                "/v1/blocks:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "BlockService_GetBlock",
        kind: Kind::Read,
        scope: "blocks:read",
        call: |s| get(format!("/v1/blocks/{}", s.block)),
        except: &[],
    },
    Recipe {
        operation_id: "BlockService_CreateBlock",
        kind: Kind::Write,
        scope: "blocks:write",
        call: |s| {
            post(
                "/v1/blocks",
                json!({"businessId": s.business, "staffId": s.staff, "description": "Training",
                       "duration": {"startTime": "2031-05-06T17:00:00Z", "endTime": "2031-05-06T18:00:00Z"}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "BlockService_DeleteBlock",
        kind: Kind::Write,
        scope: "blocks:write",
        call: |s| call(Method::DELETE, format!("/v1/blocks/{}", s.block), None),
        except: &[],
    },
    // OrderService, PaymentService
    Recipe {
        operation_id: "OrderService_ListOrders",
        kind: Kind::Read,
        scope: "orders:read",
        call: |s| {
            post(
                "/v1/orders:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "OrderService_GetOrder",
        kind: Kind::Read,
        scope: "orders:read",
        call: |s| get(format!("/v1/orders/{}", s.order)),
        except: &[],
    },
    Recipe {
        operation_id: "OrderService_ListOrderLineItems",
        kind: Kind::Read,
        scope: "orders:read",
        call: |s| {
            post(
                "/v1/orders/items:list",
                json!({"companyId": s.company, "filter": {"orderIds": [s.order]}, "includeTax": true}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "OrderService_ListOrderDiscounts",
        kind: Kind::Read,
        scope: "orders:read",
        call: |s| {
            post(
                "/v1/orders/discounts:list",
                json!({"companyId": s.company, "filter": {"orderIds": [s.order]}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "OrderService_ListOrderRedeemPackages",
        kind: Kind::Read,
        scope: "orders:read",
        call: |s| {
            post(
                "/v1/orders/redeemPackages:list",
                json!({"companyId": s.company, "filter": {"orderIds": [s.order]}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "MembershipService_ListMemberships",
        kind: Kind::Read,
        scope: "memberships:read",
        call: |s| {
            post(
                "/v1/memberships:list",
                json!({"companyId": s.company, "filter": {"statusIn": ["ACTIVE"]}, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "MembershipService_ListSubscriptions",
        kind: Kind::Read,
        scope: "memberships:read",
        call: |s| {
            post(
                "/v1/memberships/subscriptions:list",
                json!({"companyId": s.company, "filter": {"membershipIdIn": [s.membership],
                       "customerIdIn": [s.customer]}, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "PackageService_ListPackages",
        kind: Kind::Read,
        scope: "packages:read",
        call: |s| {
            post(
                "/v1/packages:list",
                json!({"companyId": s.company, "businessId": s.business,
                       "customerId": s.package_customer, "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "PackageService_ListPackageDetails",
        kind: Kind::Read,
        scope: "packages:read",
        call: |s| {
            post(
                "/v1/packages/details:list",
                json!({"companyId": s.company, "businessId": s.business,
                       "packageIds": [s.customer_package], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "RetailService_ListPackages",
        kind: Kind::Read,
        scope: "retail:read",
        call: |s| {
            post(
                "/v1/retail/packages:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "RetailService_ListProducts",
        kind: Kind::Read,
        scope: "retail:read",
        call: |s| {
            post(
                "/v1/retail/products:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    // OfferingService
    Recipe {
        operation_id: "OfferingService_ListLodgings",
        kind: Kind::Read,
        scope: "offerings:read",
        call: |s| {
            post(
                "/v1/offerings/lodgings:list",
                json!({"companyId": s.company, "businessId": s.business,
                       "date": {"year": 2030, "month": 1, "day": 7}, "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "OfferingService_ListServices",
        kind: Kind::Read,
        scope: "offerings:read",
        call: |s| {
            post(
                "/v1/offerings/services:list",
                json!({"companyId": s.company, "businessId": s.business, "petIds": [s.pet],
                       "pagination": page()}),
            )
        },
        except: &[],
    },
    // OnlineBookingService
    Recipe {
        operation_id: "OnlineBookingService_GetBookingAvailability",
        kind: Kind::Read,
        scope: "online_booking:read",
        call: |s| {
            post(
                "/v1/online-booking/availability",
                json!({"companyId": s.company, "businessId": s.business, "filter": {
                    "startDate": {"year": 2030, "month": 1, "day": 7},
                    "pets": [{"id": s.pet, "serviceIds": [s.service]}]}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "OnlineBookingService_GetAbandonedBooking",
        kind: Kind::Read,
        scope: "online_booking:read",
        call: |s| get(format!("/v1/abandoned_bookings/{}", s.abandoned_booking)),
        except: &[],
    },
    Recipe {
        operation_id: "OnlineBookingService_ListAbandonedBookings",
        kind: Kind::Read,
        scope: "online_booking:read",
        call: |s| {
            post(
                "/v1/abandoned_bookings:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "PaymentService_ListPayments",
        kind: Kind::Read,
        scope: "payments:read",
        call: |s| {
            post(
                "/v1/payments:list",
                json!({"companyId": s.company, "filter": {"orderIds": [s.order]}, "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "PaymentService_GetPayment",
        kind: Kind::Read,
        scope: "payments:read",
        call: |s| get(format!("/v1/payment/{}", s.payment)),
        except: &[],
    },
    // VanService, VanRecordService
    Recipe {
        operation_id: "VanService_ListVans",
        kind: Kind::Read,
        scope: "vans:read",
        call: |s| {
            post(
                "/v1/vans:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    // ReportService
    Recipe {
        operation_id: "ReportService_ListReports",
        kind: Kind::Read,
        scope: "reports:read",
        call: |s| post("/v1/reports:list", json!({"companyId": s.company})),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "ReportService_FetchReportData",
        kind: Kind::Read,
        scope: "reports:read",
        call: |s| {
            post(
                "/v1/reports/data:fetch",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page(),
                       "condition": {"id": "rpt_sales_by_day", "queryPeriod": {
                           "startTime": "2026-01-01T00:00:00Z", "endTime": "2027-01-01T00:00:00Z"}}}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "VanRecordService_ListVanStaffRecords",
        kind: Kind::Read,
        scope: "vans:read",
        call: |s| {
            post(
                "/v1/van_staff_records:list",
                json!({"vanIds": [s.van], "date": "2026-06-17", "pagination": page()}),
            )
        },
        except: &[],
    },
    // ReviewService
    Recipe {
        operation_id: "ReviewService_ListReviews",
        kind: Kind::Read,
        scope: "reviews:read",
        call: |s| {
            post(
                "/v1/reviews:list",
                json!({"businessId": s.business, "pagination": page()}),
            )
        },
        except: &[],
    },
    // AgreementService
    Recipe {
        operation_id: "AgreementService_GetAgreement",
        kind: Kind::Read,
        scope: "agreements:read",
        call: |s| {
            get(format!(
                "/v1/agreements/{}?companyId={}",
                s.agreement, s.company
            ))
        },
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "AgreementService_ListAgreements",
        kind: Kind::Read,
        scope: "agreements:read",
        call: |s| {
            post(
                "/v1/agreements:list",
                json!({"companyId": s.company, "businessIds": [s.business], "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "AgreementService_GetAgreementSignLink",
        kind: Kind::Write,
        scope: "agreements:write",
        call: |s| {
            get(format!(
                "/v1/agreements/{}/sign_link?customer_id={}&business_id={}",
                s.agreement, s.customer, s.business
            ))
        },
        except: &[],
    },
    // MessageService
    Recipe {
        operation_id: "MessageService_SendMessageToCustomer",
        kind: Kind::Write,
        scope: "messages:write",
        call: |s| {
            post(
                "/v1/messages:sendToCustomer",
                json!({"customerId": s.customer, "messageBody": "See you Saturday!",
                       "messageType": "TEXT", "method": "MSG"}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    // DiscountService
    Recipe {
        operation_id: "DiscountService_CreateDiscount",
        kind: Kind::Write,
        scope: "discounts:write",
        call: |s| {
            post(
                "/v1/discounts",
                json!({"companyId": s.company, "discount": {"code": "MATRIX5", "percentage": 5,
                       "limitation": {"businessIds": [s.business]}}}),
            )
        },
        // The code is limited to Mission, which the Downtown key may not name.
        except: &[],
    },
    Recipe {
        operation_id: "DiscountService_GetDiscount",
        kind: Kind::Read,
        scope: "discounts:read",
        call: |s| get(format!("/v1/discounts/WELCOME10?companyId={}", s.company)),
        except: &[COMPANY_WIDE],
    },
    Recipe {
        operation_id: "DiscountService_ListDiscounts",
        kind: Kind::Read,
        scope: "discounts:read",
        call: |s| {
            post(
                "/v1/discounts:list",
                json!({"companyId": s.company, "pagination": page()}),
            )
        },
        except: &[COMPANY_WIDE],
    },
    // WebhookService
    Recipe {
        operation_id: "WebhookService_ListWebhooks",
        kind: Kind::Read,
        scope: "webhooks:read",
        call: |_| post("/v1/webhooks:list", json!({"pagination": page()})),
        except: &[
            (
                Hostile::OtherTenant,
                Expect::OwnOnly(|s, body| none_with(&body["webhooks"], "id", &s.webhook)),
            ),
            (
                Hostile::OtherBusiness,
                Expect::OwnOnly(|s, body| none_with(&body["webhooks"], "id", &s.webhook)),
            ),
        ],
    },
    Recipe {
        operation_id: "WebhookService_GetWebhook",
        kind: Kind::Read,
        scope: "webhooks:read",
        call: |s| get(format!("/v1/webhooks/{}", s.webhook)),
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_ListWebhookDeliveries",
        kind: Kind::Read,
        scope: "webhooks:read",
        call: |s| {
            post(
                "/v1/webhook/deliveries:list",
                json!({"webhookId": s.webhook, "pagination": page()}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_GetWebhookDelivery",
        kind: Kind::Read,
        scope: "webhooks:read",
        call: |s| get(format!("/v1/webhook/deliveries/{}", s.delivery)),
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_CreateWebhook",
        kind: Kind::Write,
        scope: "webhooks:write",
        call: |s| {
            post(
                "/v1/webhooks",
                json!({"endpointUrl": format!("{}?third", s.receiver.url), "eventTypes": ["CUSTOMER_DELETED"],
                       "organizations": [{"id": s.company, "type": "COMPANY"}]}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_UpdateWebhook",
        kind: Kind::Write,
        scope: "webhooks:write",
        call: |s| {
            call(
                Method::PUT,
                format!("/v1/webhooks/{}", s.webhook),
                Some(
                    json!({"endpointUrl": s.receiver.url, "eventTypes": ["CUSTOMER_DELETED", "PET_DELETED"]}),
                ),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_TriggerTestWebhookDelivery",
        kind: Kind::Write,
        scope: "webhooks:write",
        call: |s| post(format!("/v1/webhooks/{}/test", s.webhook), json!({})),
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_RedeliverWebhookDeliveries",
        kind: Kind::Write,
        scope: "webhooks:write",
        call: |s| {
            post(
                format!(
                    "/v1/webhooks/deliveries/{}/redeliver?webhookId={}",
                    s.delivery, s.webhook
                ),
                json!({}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "WebhookService_DeleteWebhook",
        kind: Kind::Write,
        scope: "webhooks:write",
        call: |s| {
            call(
                Method::DELETE,
                format!("/v1/webhooks/{}", s.webhook_to_delete),
                None,
            )
        },
        except: &[],
    },
    // MOGU trips
    Recipe {
        operation_id: "getTrips",
        kind: Kind::Read,
        scope: "",
        call: |_| get("/trips".into()),
        except: &[(Hostile::OtherTenant, Expect::OwnOnly(no_victim_trip))],
    },
    Recipe {
        operation_id: "getTripById",
        kind: Kind::Read,
        scope: "",
        call: |s| get(format!("/trips/{}", s.trip)),
        except: &[],
    },
    Recipe {
        operation_id: "getTripConfig",
        kind: Kind::Read,
        scope: "",
        call: |s| get(format!("/trips/{}/config", s.trip)),
        except: &[],
    },
    Recipe {
        operation_id: "getTripVisualizations",
        kind: Kind::Read,
        scope: "",
        call: |s| get(format!("/trips/{}/visualizations", s.trip)),
        except: &[],
    },
    Recipe {
        operation_id: "createTrip",
        kind: Kind::Write,
        scope: "",
        call: |_| post("/trips", json!({"title": "Madeira Hikes", "duration": 5})),
        except: &[OWN_TENANT_CREATE],
    },
    Recipe {
        operation_id: "updateTrip",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::PATCH,
                format!("/trips/{}", s.trip),
                Some(json!({"title": "Paris in July"})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "updateTripConfig",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::PATCH,
                format!("/trips/{}/config", s.trip),
                Some(json!({"contact": {"agentName": "Ana"}})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "setTripVisibility",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::PATCH,
                format!("/trips/{}/visibility", s.trip),
                Some(json!({"isPublic": false})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "deleteTrip",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::DELETE,
                "/trips".into(),
                Some(json!({"tripId": [s.trip_to_delete]})),
            )
        },
        // A bulk delete deletes the caller's own trips among those named: another account's
        // key deletes nothing and says so.
        except: &[(
            Hostile::OtherTenant,
            Expect::OwnOnly(|_, body| body["deleted"].as_array().is_some_and(Vec::is_empty)),
        )],
    },
    // MOGU catalogs
    Recipe {
        operation_id: "getCatalogs",
        kind: Kind::Read,
        scope: "",
        call: |_| get("/catalogs".into()),
        except: &[(
            Hostile::OtherTenant,
            Expect::OwnOnly(|s, body| {
                body["data"]
                    .as_array()
                    .is_some_and(|items| items.iter().all(|item| item["id"] != s.catalog))
            }),
        )],
    },
    Recipe {
        operation_id: "getCatalogById",
        kind: Kind::Read,
        scope: "",
        call: |s| get(format!("/catalogs/{}", s.catalog)),
        except: &[],
    },
    Recipe {
        operation_id: "getCatalogTrips",
        kind: Kind::Read,
        scope: "",
        call: |s| get(format!("/catalogs/{}/trips", s.catalog)),
        except: &[],
    },
    Recipe {
        operation_id: "createCatalog",
        kind: Kind::Write,
        scope: "",
        call: |_| post("/catalogs", json!({"title": "Islands"})),
        except: &[OWN_TENANT_CREATE],
    },
    Recipe {
        operation_id: "updateCatalog",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::PATCH,
                format!("/catalogs/{}", s.catalog),
                Some(json!({"title": "Europe Favourites"})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "addTripsToCatalog",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            post(
                format!("/catalogs/{}/trips", s.catalog),
                json!({"tripIds": [s.trip]}),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "removeTripsFromCatalog",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::DELETE,
                format!("/catalogs/{}/trips", s.catalog),
                Some(json!({"tripIds": [s.trip]})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "setCatalogVisibility",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::PATCH,
                format!("/catalogs/{}/visibility", s.catalog),
                Some(json!({"isPublic": false})),
            )
        },
        except: &[],
    },
    Recipe {
        operation_id: "deleteCatalog",
        kind: Kind::Write,
        scope: "",
        call: |s| {
            call(
                Method::DELETE,
                format!("/catalogs/{}", s.catalog_to_delete),
                None,
            )
        },
        except: &[],
    },
    // MOGU AI imports
    Recipe {
        operation_id: "getJobStatus",
        kind: Kind::Read,
        scope: "",
        call: |s| get(format!("/ai/trips/{}/status", s.job)),
        except: PUBLIC,
    },
    Recipe {
        operation_id: "createTripFromDocument",
        kind: Kind::Write,
        scope: "",
        call: |_| {
            post(
                "/ai/trips/from-document",
                json!({"source": {"type": "text", "text": "Day 1: Porto."}}),
            )
        },
        except: &[OWN_TENANT_CREATE],
    },
    Recipe {
        operation_id: "cancelJob",
        kind: Kind::Write,
        scope: "",
        call: |s| post(format!("/ai/trips/{}/actions/cancel", s.job), json!({})),
        except: &[],
    },
];
