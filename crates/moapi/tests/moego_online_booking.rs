//! MoeGo online booking availability (OnlineBookingService GetBookingAvailability) over
//! HTTP: slots follow working hours, closed days, staff time and lodging room in the company's
//! time zone; every slot offered can be booked with conflicts checked, and booking one takes
//! it out of the next answer, on both databases.

mod common;

use common::booking::ServiceSpec;
use common::fidelity::assert_moego;
use common::TestApp;
use serde_json::{json, Value};

const ONLINE_BOOKING: &str = "online_booking/v1/online_booking_service.swagger.json";

struct Shop {
    app: TestApp,
    auth: String,
    company: String,
    business: String,
    customer: String,
    pet: String,
    groom: String,
    ann: String,
}

async fn shop() -> Shop {
    let app = common::spawn().await;
    let auth = app.moego_auth(0);
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let pet = app.create_pet(&auth, &customer, "Rex").await;
    let groom = app.insert_service(0, ServiceSpec::default()).await;
    let (ann, _) = app.staff("Ann").await;
    Shop {
        company: app.seed.moego[0].company_id.clone(),
        business: app.business_id(0, 0),
        app,
        auth,
        customer,
        pet,
        groom,
        ann,
    }
}

impl Shop {
    async fn availability(&self, path: &str, filter: Value) -> common::Reply {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                path,
                json!({"companyId": self.company, "businessId": self.business, "filter": filter}),
            )
            .await;
        if reply.status == 200 {
            assert_moego(
                ONLINE_BOOKING,
                "v1GetBookingAvailabilityResponse",
                &reply.body,
            );
        }
        reply
    }

    /// Ann's slot starts on each available date of a groom for the pet.
    async fn ann_slots(
        &self,
        from: (i32, i32, i32),
        to: (i32, i32, i32),
    ) -> Vec<(Value, Vec<String>)> {
        let reply = self
            .availability(
                "/v1/online-booking/availability",
                json!({"startDate": date(from), "endDate": date(to), "staffIds": [self.ann],
                       "pets": [{"id": self.pet, "serviceIds": [self.groom]}]}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(
            reply.body["availableDates"],
            json!(reply.body["availability"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|by_date| by_date["date"].clone())
                .collect::<Vec<_>>())
        );
        reply.body["availability"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|by_date| {
                let staff = &by_date["staff"][0];
                assert_eq!(staff["staffId"], self.ann.as_str());
                let starts = staff["availableSlots"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|slot| slot["startTime"].as_str().unwrap().to_string())
                    .collect();
                (by_date["date"].clone(), starts)
            })
            .collect()
    }

    async fn book(&self, start: &str) -> common::Reply {
        self.app
            .book(
                &self.auth,
                common::booking::booking(
                    &self.business,
                    &self.customer,
                    &self.pet,
                    &self.groom,
                    &self.ann,
                    start,
                ),
            )
            .await
    }
}

fn date((year, month, day): (i32, i32, i32)) -> Value {
    json!({"year": year, "month": month, "day": day})
}

/// Quarter-hour starts from `first` to `last` (UTC hours and minutes) on a day.
fn starts(day: &str, first: (u32, u32), last: (u32, u32)) -> Vec<String> {
    let (mut minutes, end) = (first.0 * 60 + first.1, last.0 * 60 + last.1);
    let mut starts = Vec::new();
    while minutes <= end {
        starts.push(format!("{day}T{:02}:{:02}:00Z", minutes / 60, minutes % 60));
        minutes += 15;
    }
    starts
}

#[tokio::test]
async fn slots_follow_hours_closed_days_and_staff_time_and_booking_one_takes_it() {
    let shop = shop().await;
    // Tuesdays 09:00-12:00 in New York (UTC-5 in January); 2030-01-15, a Tuesday, closed.
    let settings = shop
        .app
        .put_booking_settings(
            &shop.business,
            json!({"workingHours": {"TUESDAY": [{"start": 540, "end": 720}]}}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    shop.app
        .insert_closed_dates(0, 0, "2030-01-15", "2030-01-15")
        .await;

    // A 60-minute groom fits from 09:00 to 11:00, on the 8th only.
    let tuesday = json!({"year": 2030, "month": 1, "day": 8});
    assert_eq!(
        shop.ann_slots((2030, 1, 8), (2030, 1, 15)).await,
        [(tuesday.clone(), starts("2030-01-08", (14, 0), (16, 0)))]
    );
    // Booking the first slot takes every slot overlapping it; the last one can be booked too.
    let first = shop.book("2030-01-08T14:00:00Z").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        shop.ann_slots((2030, 1, 8), (2030, 1, 8)).await,
        [(tuesday.clone(), starts("2030-01-08", (15, 0), (16, 0)))]
    );
    let last = shop.book("2030-01-08T16:00:00Z").await;
    assert_eq!(last.status, 200, "{}", last.text);
    assert_eq!(
        shop.ann_slots((2030, 1, 8), (2030, 1, 8)).await,
        [(tuesday.clone(), starts("2030-01-08", (15, 0), (15, 0)))]
    );
    // A slot no longer offered is refused to a booking that checks conflicts.
    let taken = shop.book("2030-01-08T14:30:00Z").await;
    assert_eq!(taken.body["code"], 9, "{}", taken.text);

    // The path a newer vendor version uses answers the same.
    let filter = json!({"startDate": tuesday, "staffIds": [shop.ann],
                        "pets": [{"id": shop.pet, "serviceIds": [shop.groom]}]});
    let hyphen = shop
        .availability("/v1/online-booking/availability", filter.clone())
        .await;
    let underscore = shop
        .availability("/v1/online_booking/availability", filter)
        .await;
    assert_eq!(hyphen.body, underscore.body);
}

/// Held time that began long before the range (a three-day block) still takes its slots,
/// and a short block inside the day takes only what it overlaps.
#[tokio::test]
async fn holds_begun_before_the_range_count() {
    let shop = shop().await;
    for (start, end) in [
        ("2030-01-05T00:00:00Z", "2030-01-08T15:30:00Z"),
        ("2030-01-08T17:00:00Z", "2030-01-08T17:15:00Z"),
    ] {
        let block = shop
            .app
            .moego_post(
                &shop.auth,
                "/v1/blocks",
                json!({"businessId": shop.business, "staffId": shop.ann, "description": "Away",
                       "duration": {"startTime": start, "endTime": end}}),
            )
            .await;
        assert_eq!(block.status, 200, "{}", block.text);
    }
    let settings = shop
        .app
        .put_booking_settings(
            &shop.business,
            json!({"workingHours": {"TUESDAY": [{"start": 540, "end": 780}]}}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    // Open 09:00-13:00 New York (14:00-18:00 UTC); away until 15:30 UTC and 17:00-17:15 UTC.
    // A 60-minute visit fits from 15:30 to 16:00 UTC only.
    assert_eq!(
        shop.ann_slots((2030, 1, 8), (2030, 1, 8)).await,
        [(date((2030, 1, 8)), starts("2030-01-08", (15, 30), (16, 0)))]
    );
}

#[tokio::test]
async fn boarding_days_follow_lodging_room() {
    let shop = shop().await;
    let unit = shop.app.insert_lodging_unit(0, 0, 1).await;
    let boarding = shop
        .app
        .insert_service(
            0,
            ServiceSpec {
                name: "Overnight",
                minutes: 1440,
                item_type: "BOARDING",
                ..Default::default()
            },
        )
        .await;
    let stay = shop
        .app
        .book(
            &shop.auth,
            json!({"businessId": shop.business, "customerId": shop.customer,
                   "ignoreConflict": false, "petServices": [{"petId": shop.pet, "services": [
                       {"id": boarding, "lodgingId": unit,
                        "duration": {"startTime": "2030-06-03T12:00:00Z"}}]}]}),
        )
        .await;
    assert_eq!(stay.status, 200, "{}", stay.text);
    // A described pet (not yet a customer's) for the boarding alone: no staff needed.
    let reply = shop
        .availability(
            "/v1/online-booking/availability",
            json!({"startDate": date((2030, 6, 2)), "endDate": date((2030, 6, 5)),
                   "pets": [{"name": "Bo", "type": "DOG", "breed": "Beagle",
                             "serviceIds": [boarding]}]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["availableDates"],
        json!([date((2030, 6, 2)), date((2030, 6, 5))])
    );
    assert!(reply.body["availability"][0].get("staff").is_none());
}

#[tokio::test]
async fn bad_filters_and_other_tenants_are_refused() {
    let shop = shop().await;
    let poodles_only = shop
        .app
        .operator_post(
            &format!("/moego/companies/{}/services", shop.company),
            json!({"name": "Poodle Cut", "serviceItemType": "GROOMING", "price": "50",
                   "serviceTime": 60, "filters": {"breedFilter": false,
                   "customizedBreeds": [{"petTypeName": "Dog", "breeds": ["Poodle"]}],
                   "petSizeFilter": true, "coatFilter": true,
                   "petCodeFilter": {"isAllPetCode": true}, "serviceFilter": true}}),
        )
        .await;
    assert_eq!(poodles_only.status, 201, "{}", poodles_only.text);
    let poodle_cut = poodles_only.body["serviceId"].as_str().unwrap();
    let day = date((2030, 1, 8));
    for (filter, code, field) in [
        (json!({"startDate": day}), 3, "serviceIds"),
        (
            json!({"startDate": day, "endDate": date((2030, 1, 7)), "serviceIds": [shop.groom]}),
            3,
            "filter.endDate",
        ),
        (
            json!({"startDate": day, "endDate": date((2030, 4, 8)), "serviceIds": [shop.groom]}),
            3,
            "62 days",
        ),
        (
            json!({"startDate": {"year": 2030, "month": 2, "day": 30}, "serviceIds": [shop.groom]}),
            3,
            "filter.startDate",
        ),
        (
            json!({"pets": [{"type": "DOG", "breed": "Beagle", "serviceIds": [poodle_cut]}]}),
            3,
            "not offered to this pet",
        ),
        (json!({"serviceIds": ["svc_nope"]}), 13, "obfuscate"),
    ] {
        let reply = shop
            .availability("/v1/online-booking/availability", filter.clone())
            .await;
        assert_eq!(reply.body["code"], code, "{filter}: {}", reply.text);
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
    let elsewhere = shop
        .app
        .moego_post(
            &shop.auth,
            "/v1/online-booking/availability",
            json!({"companyId": shop.company, "businessId": shop.app.business_id(1, 0),
                   "filter": {"serviceIds": [shop.groom]}}),
        )
        .await;
    assert_eq!(elsewhere.body["code"], 7, "{}", elsewhere.text);
}
