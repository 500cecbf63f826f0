//! The fixture format of `moapi seed FILE` and `POST /admin/v1/seed` (JSON or YAML), and the
//! built-in demo set. Businesses and staff refer to each other by name inside a company.

use std::collections::BTreeMap;

use serde::Deserialize;

use moapi_moego::business::store::NewBusiness;
use moapi_moego::staff::store::NewStaff;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixtures {
    #[serde(default)]
    pub moego: Vec<MoegoOrganization>,
    #[serde(default)]
    pub mogu: Vec<MoguAccount>,
}

/// A MoeGo API client (the vendor's organization owner) and its companies.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoegoOrganization {
    pub name: String,
    #[serde(default)]
    pub companies: Vec<MoegoCompany>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoegoCompany {
    pub name: String,
    #[serde(default)]
    pub country: String,
    /// IANA time zone, e.g. `America/New_York`.
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub businesses: Vec<NewBusiness>,
    #[serde(default)]
    pub staff: Vec<FixtureStaff>,
    #[serde(default)]
    pub customers: Vec<FixtureCustomer>,
    /// The company's pet codes (a setting), named by abbreviation in `pets`.
    #[serde(default)]
    pub pet_codes: Vec<crate::operator::pets::NewPetCodeRequest>,
    /// Lead life cycle stages, named by name in `leads`.
    #[serde(default)]
    pub lead_life_cycles: Vec<crate::operator::pets::NewLeadSettingRequest>,
    /// Lead action statuses, named by name in `leads`.
    #[serde(default)]
    pub lead_action_statuses: Vec<crate::operator::pets::NewLeadSettingRequest>,
    /// Pets of the company's customers, created as `CreatePet` would (with their events).
    #[serde(default)]
    pub pets: Vec<FixturePet>,
    #[serde(default)]
    pub leads: Vec<FixtureLead>,
    /// Booking settings (currency, tax, working hours) by business name.
    #[serde(default)]
    pub booking_settings:
        BTreeMap<String, crate::operator::booking_settings::BusinessSettingsRequest>,
    /// Closed dates by business name.
    #[serde(default)]
    pub closed_dates:
        BTreeMap<String, Vec<crate::operator::booking_settings::NewClosedDateRequest>>,
    /// Lodging types with their units, by business name.
    #[serde(default)]
    pub lodgings: BTreeMap<String, Vec<crate::operator::booking_settings::NewLodgingTypeRequest>>,
    /// The service catalog; businesses named by name, staff by "First Last".
    #[serde(default)]
    pub services: Vec<crate::operator::booking_settings::NewServiceRequest>,
    /// Settings catalogs (created before customers, whose `tags` may name these tags).
    #[serde(default)]
    pub customer_tags: Vec<String>,
    #[serde(default)]
    pub referral_sources: Vec<String>,
    #[serde(default)]
    pub pet_types: Vec<String>,
    #[serde(default)]
    pub pet_coat_types: Vec<String>,
    #[serde(default)]
    pub pet_sizes: Vec<moapi_moego::setting::catalog::input::PetSizeInput>,
    #[serde(default)]
    pub custom_fields: Vec<moapi_moego::setting::catalog::input::CustomFieldInput>,
    /// The package catalog by business name; item services by `svc_` ID or name.
    #[serde(default)]
    pub packages: BTreeMap<String, Vec<crate::operator::retail::NewRetailPackageRequest>>,
    /// Products (each with its supplier) by business name.
    #[serde(default)]
    pub products: BTreeMap<String, Vec<crate::operator::retail::NewProductRequest>>,
    /// Catalog packages sold to customers before the appointments are booked, so that a
    /// booking of a service one covers redeems it.
    #[serde(default)]
    pub package_sales: Vec<crate::operator::retail::FixturePackageSale>,
    /// Appointments booked after everything above, with their status moves and payments.
    #[serde(default)]
    pub appointments: Vec<crate::operator::bookings::FixtureAppointment>,
    /// Discount codes, created before the appointments (whose `discount` may name one).
    #[serde(default)]
    pub discount_codes: Vec<crate::operator::discounts::FixtureDiscountCode>,
    /// Staff blocks, created before the appointments (whose conflict checks see them).
    #[serde(default)]
    pub blocks: Vec<crate::operator::bookings::FixtureBlock>,
    /// Memberships, created after the appointments; services, pet types, sizes and coats by
    /// name.
    #[serde(default)]
    pub memberships: Vec<crate::operator::memberships::NewMembershipRequest>,
    /// Subscriptions of customers ("First Last") to memberships (by name), days counted from
    /// the seed day as appointments count them; periods begun by the seed are billed.
    #[serde(default)]
    pub subscriptions: Vec<crate::operator::memberships::FixtureSubscription>,
    /// Vans of businesses (by name) with their staff ("First Last") by day, days counted from
    /// the seed day.
    #[serde(default)]
    pub vans: Vec<crate::operator::vans::FixtureVan>,
    /// Visits of businesses' booking pages (`online_booking::page::walk`) that stopped at a
    /// step hours before the seed; one walked to SUBMIT_APPT books.
    #[serde(default)]
    pub abandoned_bookings: Vec<crate::operator::abandoned_bookings::FixtureAbandonedBooking>,
    /// Agreements (businesses by name, none: all) and the customers ("First Last") sent a sign
    /// link, signed or still waiting.
    #[serde(default)]
    pub agreements: Vec<crate::operator::agreements::FixtureAgreement>,
    /// Messages sent to customers ("First Last") at the seed, each on one channel.
    #[serde(default)]
    pub messages: Vec<crate::operator::messages::FixtureMessage>,
    /// Reviews of FINISHED appointments (named by business, customer and day), each given
    /// `hoursAfter` the visit ended through its `source`.
    #[serde(default)]
    pub reviews: Vec<crate::operator::reviews::FixtureReview>,
}

/// A customer of the company; created as `POST /v1/customers` would (with its event).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureCustomer {
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    /// Any common format; stored in E.164, read in the company's country.
    pub phone: String,
    #[serde(default)]
    pub email: String,
    pub address: Option<moapi_moego::business::wire::Address>,
    /// Name of the company's business the customer prefers (default: its first business).
    pub preferred_business: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Names of company tags, created on first use.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A pet: the fields of `v1Pet`, its owner's phone and the abbreviations of its codes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixturePet {
    /// The owner's phone (any common format), as in the customer fixture.
    pub owner: String,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(flatten)]
    pub pet: moapi_moego::pet::wire::PetInput,
}

/// A lead: the fields of `v1Lead` (its pets included), with its life cycle, action status and
/// referral source named by name.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixtureLead {
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    pub life_cycle: Option<String>,
    pub action_status: Option<String>,
    pub referral_source: Option<String>,
    #[serde(default)]
    pub pets: Vec<moapi_moego::pet::wire::PetInput>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixtureStaff {
    #[serde(flatten)]
    pub staff: NewStaff,
    /// Names of the company's businesses the member works at.
    #[serde(default)]
    pub businesses: Vec<String>,
}

/// A MOGU account with its agents and, optionally, trips created by its first agent and
/// catalogs of those trips.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoguAccount {
    pub name: String,
    #[serde(default)]
    pub agents: Vec<MoguAgent>,
    #[serde(default)]
    pub trips: Vec<MoguTrip>,
    #[serde(default)]
    pub catalogs: Vec<MoguCatalog>,
}

/// A trip: the fields of `POST /trips` (`isPublic` included) and, optionally, the block tree
/// of its TripConfig, as `PATCH /trips/{tripId}/config` takes `blocks`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoguTrip {
    #[serde(flatten)]
    pub trip: moapi_mogu::trip::wire::TripCreateRequest,
    #[serde(default)]
    pub blocks: Vec<moapi_mogu::trip::config::Block>,
}

/// A catalog: the fields of `POST /catalogs` except `tripIds`, which `trips` replaces with
/// trip titles of the same account; `isPublic` as `PATCH /catalogs/{id}/visibility` sets it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoguCatalog {
    #[serde(flatten)]
    pub catalog: moapi_mogu::catalog::wire::CatalogCreateRequest,
    #[serde(default)]
    pub trips: Vec<String>,
    #[serde(default)]
    pub is_public: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoguAgent {
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub picture_url: Option<String>,
}

impl Fixtures {
    /// Parses JSON or YAML (YAML is a superset of JSON, so one parser reads both).
    pub fn parse(text: &str) -> Result<Fixtures, String> {
        serde_yaml_ng::from_str(text).map_err(|err| format!("invalid fixtures: {err}"))
    }

    pub fn demo() -> Fixtures {
        Fixtures::parse(DEMO).expect("the built-in demo fixtures parse")
    }
}

const DEMO: &str = include_str!("demo.yaml");

#[cfg(test)]
mod tests {
    use super::*;
    use moapi_mogu::trip::wire::BodyField;

    #[test]
    fn demo_set_has_two_tenants_of_each_product() {
        let demo = Fixtures::demo();
        let companies: usize = demo.moego.iter().map(|o| o.companies.len()).sum();
        assert!(companies >= 2 && demo.mogu.len() >= 2);
        assert!(
            demo.moego
                .iter()
                .flat_map(|o| &o.companies)
                .all(|company| !company.customers.is_empty()),
            "every demo company has customers to list"
        );
        for account in &demo.mogu {
            let is_public =
                |trip: &&MoguTrip| matches!(trip.trip.0.is_public, BodyField::Value(true));
            assert!(
                account
                    .trips
                    .iter()
                    .filter(is_public)
                    .any(|trip| !trip.blocks.is_empty()),
                "{}: a public trip with blocks",
                account.name
            );
            let public_titles: Vec<&BodyField<String>> = account
                .trips
                .iter()
                .filter(is_public)
                .map(|trip| &trip.trip.0.title)
                .collect();
            assert!(
                account.catalogs.iter().any(|catalog| catalog.is_public
                    && catalog.trips.iter().any(|title| {
                        public_titles.contains(&&BodyField::Value(title.clone()))
                    })),
                "{}: a public catalog holding a public trip",
                account.name
            );
        }
    }

    #[test]
    fn demo_set_has_pets_and_a_lead() {
        let demo = Fixtures::demo();
        let companies = || demo.moego.iter().flat_map(|o| &o.companies);
        assert!(companies().all(|company| !company.pets.is_empty()));
        assert!(companies().any(|company| !company.leads.is_empty()));
    }

    #[test]
    fn unknown_fixture_fields_are_refused() {
        assert!(Fixtures::parse("moego: []\nmogoo: []\n").is_err());
        assert!(Fixtures::parse(r#"{"moego":[{"name":"x","companies":[]}]}"#).is_ok());
    }
}
