//! The fixture format of `moapi seed FILE` and `POST /admin/v1/seed` (JSON or YAML), and the
//! built-in demo set. Businesses and staff refer to each other by name inside a company.

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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixtureStaff {
    #[serde(flatten)]
    pub staff: NewStaff,
    /// Names of the company's businesses the member works at.
    #[serde(default)]
    pub businesses: Vec<String>,
}

/// A MOGU account with its agents and, optionally, trips created by its first agent.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoguAccount {
    pub name: String,
    #[serde(default)]
    pub agents: Vec<MoguAgent>,
    #[serde(default)]
    pub trips: Vec<moapi_mogu::trip::wire::TripCreateRequest>,
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
    }

    #[test]
    fn unknown_fixture_fields_are_refused() {
        assert!(Fixtures::parse("moego: []\nmogoo: []\n").is_err());
        assert!(Fixtures::parse(r#"{"moego":[{"name":"x","companies":[]}]}"#).is_ok());
    }
}
