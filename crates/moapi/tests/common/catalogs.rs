//! Helpers of the settings catalog tests: the nine list operations with the array each answers
//! and its swagger definition, and catalog entries created through the operator API.

use reqwest::Method;
use serde_json::Value;

use super::{Reply, TestApp};

pub const SETTING: &str = "setting/v1/setting_service.swagger.json";

/// A catalog list operation: its path after `/v1/setting/companies/{companyId}`, the array
/// its response carries and the response's swagger definition.
pub struct CatalogList {
    pub path: &'static str,
    pub array: &'static str,
    pub definition: &'static str,
}

pub const CATALOG_LISTS: [CatalogList; 9] = [
    CatalogList {
        path: "/custom_fields",
        array: "customFields",
        definition: "v1ListCustomFieldsResponse",
    },
    CatalogList {
        path: "/customer/referral_sources:list",
        array: "referralSources",
        definition: "v1ListCustomerReferralSourcesResponse",
    },
    CatalogList {
        path: "/customer/tags:list",
        array: "tags",
        definition: "businesssettingv1ListCustomerTagsResponse",
    },
    CatalogList {
        path: "/leads/action_status",
        array: "actionStatuses",
        definition: "v1ListLeadsActionStatusResponse",
    },
    CatalogList {
        path: "/leads/life_cycles",
        array: "lifeCycles",
        definition: "v1ListLeadsLifeCyclesResponse",
    },
    CatalogList {
        path: "/pet/coat_types:list",
        array: "petCoatTypes",
        definition: "v1ListPetCoatTypesResponse",
    },
    CatalogList {
        path: "/pet/codes:list",
        array: "codes",
        definition: "v1ListPetCodesResponse",
    },
    CatalogList {
        path: "/pet/sizes:list",
        array: "petSizes",
        definition: "v1ListPetSizesResponse",
    },
    CatalogList {
        path: "/pet/types:list",
        array: "petTypes",
        definition: "v1ListPetTypesResponse",
    },
];

impl TestApp {
    /// `POST /admin/v1/moego/companies/{company}/<catalog>` for company `index`.
    pub async fn create_catalog_entry(&self, index: usize, catalog: &str, body: Value) -> Reply {
        let company = &self.seed.moego[index].company_id;
        self.send(
            self.admin(
                Method::POST,
                &format!("/moego/companies/{company}/{catalog}"),
            )
            .json(&body),
        )
        .await
    }

    /// Calls a catalog list of `company` (a `cmp_` ID) with `auth`.
    pub async fn list_catalog(&self, auth: &str, company: &str, path: &str, body: Value) -> Reply {
        self.moego_post(
            auth,
            &format!("/v1/setting/companies/{company}{path}"),
            body,
        )
        .await
    }
}
