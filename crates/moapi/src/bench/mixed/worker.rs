//! One load connection: the requests it draws from the mix, the rows it made (which only it
//! changes), and the tally of what it was answered.

use super::*;

/// The appointment statuses a move may go to, in order (FINISHED is final).
pub(super) const STAGES: [&str; 5] = [
    "UNCONFIRMED",
    "CONFIRMED",
    "CHECKED_IN",
    "READY",
    "FINISHED",
];

/// An appointment a connection booked and may still move.
pub(super) struct OwnAppointment {
    pub(super) company: usize,
    pub(super) id: String,
    pub(super) staff: usize,
    pub(super) stage: usize,
}

/// A pet a connection created, with the pet code it carries, if any.
pub(super) struct OwnPet {
    pub(super) company: usize,
    pub(super) customer: String,
    pub(super) id: String,
    pub(super) code: Option<String>,
}

/// Rows a connection created, which only it changes or deletes (so that none of its writes
/// is refused for another connection's doing).
#[derive(Default)]
pub(super) struct Own {
    pub(super) appointments: Vec<OwnAppointment>,
    /// (company, appointment, note).
    pub(super) appointment_notes: Vec<(usize, String, String)>,
    pub(super) customers: Vec<(usize, String)>,
    /// (company, customer, note).
    pub(super) customer_notes: Vec<(usize, String, String)>,
    pub(super) pets: Vec<OwnPet>,
    pub(super) leads: Vec<(usize, String)>,
    /// (company, service, its name).
    pub(super) services: Vec<(usize, String, String)>,
    pub(super) blocks: Vec<(usize, String)>,
    pub(super) webhook: Option<(usize, String)>,
    pub(super) trips: Vec<(usize, i64)>,
}

/// Appends `row`, forgetting the oldest beyond [`OWN_ROWS`].
pub(super) fn remember<T>(rows: &mut Vec<T>, row: T) {
    if rows.len() >= OWN_ROWS {
        rows.remove(0);
    }
    rows.push(row);
}

/// What to learn from a 2xx answer: the ID of the row a create made.
pub(super) enum Keep {
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
pub(super) enum Caller {
    Company(usize),
    Account(usize),
}

/// A request before it is built, and what to keep from its answer.
pub(super) struct Call {
    pub(super) op: Op,
    pub(super) caller: Caller,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) body: Option<Value>,
    pub(super) keep: Keep,
}

impl Call {
    pub(super) fn keep(mut self, keep: Keep) -> Call {
        self.keep = keep;
        self
    }
}

pub(super) fn call(
    op: Op,
    caller: Caller,
    method: Method,
    path: String,
    body: Option<Value>,
) -> Option<Call> {
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
pub(super) fn moego(
    op: Op,
    c: usize,
    method: Method,
    path: String,
    body: Option<Value>,
) -> Option<Call> {
    call(op, Caller::Company(c), method, path, body)
}

pub(super) struct Planned {
    pub(super) op: Op,
    pub(super) request: reqwest::RequestBuilder,
    pub(super) keep: Keep,
}

pub(super) struct Shared {
    pub(super) base: String,
    pub(super) receiver: String,
    pub(super) companies: Vec<Company>,
    pub(super) accounts: Vec<Account>,
    /// Running sums of the mix's weights.
    pub(super) cumulative: Vec<u32>,
}

/// One load connection: its client, its draws and the rows it made.
pub(super) struct Worker {
    pub(super) index: usize,
    pub(super) shared: Arc<Shared>,
    pub(super) client: reqwest::Client,
    pub(super) rng: StdRng,
    pub(super) own: Own,
    pub(super) serial: u64,
}

pub(super) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> Option<&'a T> {
    items.choose(rng)
}

pub(super) fn page() -> Value {
    json!({"pageSize": 20})
}

/// A `google.type.Interval` of `length` microseconds from `start`.
pub(super) fn window(start: i64, length: i64) -> Value {
    json!({"startTime": protojson_timestamp(start), "endTime": protojson_timestamp(start + length)})
}

/// A random North American number of the area code, as a person would type it.
pub(super) fn phone(rng: &mut StdRng, area: &str) -> String {
    format!(
        "({area}) {:03}-{:04}",
        rng.gen_range(200..1000),
        rng.gen_range(0..10_000)
    )
}

impl Worker {
    pub(super) fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// The next request: an operation drawn from the mix, on a random tenant (or on a row
    /// this connection made, for the writes that change or delete one).
    pub(super) fn plan(&mut self) -> Planned {
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
    pub(super) fn plan_op(&mut self, op: Op) -> Option<Call> {
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
    pub(super) fn plan_mogu(&mut self, op: Op) -> Option<Call> {
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

    pub(super) fn forget_appointment(&mut self, index: usize) {
        let gone = self.own.appointments.swap_remove(index);
        self.own
            .appointment_notes
            .retain(|(_, appointment, _)| *appointment != gone.id);
    }

    /// Remembers the row a 2xx create answered with; `false` when the answer lacks its ID.
    pub(super) fn keep(&mut self, keep: Keep, body: &[u8]) -> bool {
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
pub(super) struct Failure {
    pub(super) operation: &'static str,
    pub(super) status: u16,
    pub(super) excerpt: String,
    pub(super) count: usize,
}

/// What one connection saw.
pub(super) struct Tally {
    /// Latencies of 2xx answers, microseconds, by `Op`.
    pub(super) latencies: Vec<Vec<u64>>,
    /// Non-2xx answers and requests without an answer, by `Op`.
    pub(super) non_2xx: Vec<usize>,
    pub(super) unanswered: Vec<usize>,
    /// 2xx answers to creates without the created row's ID.
    pub(super) malformed: usize,
    pub(super) failures: Vec<Failure>,
}

impl Tally {
    pub(super) fn new() -> Tally {
        Tally {
            latencies: vec![Vec::new(); MIX.len()],
            non_2xx: vec![0; MIX.len()],
            unanswered: vec![0; MIX.len()],
            malformed: 0,
            failures: Vec::new(),
        }
    }

    pub(super) fn fail(&mut self, op: Op, status: u16, excerpt: String) {
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

    pub(super) fn merge(&mut self, other: Tally) {
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

pub(super) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(240).collect()
}

pub(super) async fn run_connection(mut worker: Worker, deadline: Instant) -> Tally {
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
