//! The wire types of the service operations, field for field as the vendor swagger defines
//! them. Request fields a PUT may leave out are options, so an absent field keeps its value.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::wire::is_false;
use crate::wire::proto_enum;

proto_enum!(
    /// `ServiceItemType`: the care a service gives.
    ServiceItemType as ServiceItemType {
        Unspecified = "SERVICE_ITEM_TYPE_UNSPECIFIED",
        Grooming = "GROOMING", Boarding = "BOARDING", Daycare = "DAYCARE",
        Evaluation = "EVALUATION", Training = "TRAINING",
    }
);

proto_enum!(
    /// `v1ServiceType`: a standalone service or an add-on.
    ServiceType as v1ServiceType { Unspecified = "SERVICE_TYPE_UNSPECIFIED", Service = "SERVICE", Addon = "ADDON" }
);

/// `v1CustomizedBreed`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = v1CustomizedBreed)]
pub struct CustomizedBreed {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pet_type_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pet_type_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breeds: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_all: Option<bool>,
}

/// `v1PetCodeFilter`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = v1PetCodeFilter)]
pub struct PetCodeFilter {
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_white_list: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_all_pet_code: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pet_code_ids: Vec<String>,
}

impl Default for PetCodeFilter {
    fn default() -> Self {
        PetCodeFilter {
            is_white_list: false,
            is_all_pet_code: true,
            pet_code_ids: Vec::new(),
        }
    }
}

/// `v1ServiceFilter`: the services an add-on goes with.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = v1ServiceFilter)]
pub struct ServiceFilter {
    #[serde(default, skip_serializing_if = "ServiceItemType::is_unspecified")]
    pub service_item_type: ServiceItemType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_for_all_services: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub available_service_id_list: Vec<String>,
}

/// The pet and add-on filters of a service, as the wire has them (and the `filters` column
/// keeps them). Only operators set them: the public create and update bodies have none. The
/// default lets every pet in, as a flag set to true means "all".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceFilters {
    #[serde(default, skip_serializing_if = "is_false")]
    pub breed_filter: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customized_breeds: Vec<CustomizedBreed>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub pet_size_filter: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customized_pet_sizes: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub coat_filter: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customized_coats: Vec<String>,
    #[serde(default)]
    pub pet_code_filter: PetCodeFilter,
    #[serde(default, skip_serializing_if = "is_false")]
    pub service_filter: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_filter_list: Vec<ServiceFilter>,
}

impl Default for ServiceFilters {
    fn default() -> Self {
        ServiceFilters {
            breed_filter: true,
            customized_breeds: Vec::new(),
            pet_size_filter: true,
            customized_pet_sizes: Vec::new(),
            coat_filter: true,
            customized_coats: Vec::new(),
            pet_code_filter: PetCodeFilter::default(),
            service_filter: true,
            service_filter_list: Vec::new(),
        }
    }
}

/// `businesssettingv1Service`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businesssettingv1Service)]
pub struct Service {
    pub id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String, format = Int64)]
    pub raw_id: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "ServiceItemType::is_unspecified")]
    pub service_item_type: ServiceItemType,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub category: String,
    pub price: Money,
    #[serde(skip_serializing_if = "ServiceType::is_unspecified")]
    pub service_type: ServiceType,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub service_time: i32,
    #[serde(skip_serializing_if = "is_false")]
    pub available_all_business: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_business_ids: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub available_all_staff: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_staff_ids: Vec<String>,
    #[serde(flatten)]
    pub filters: ServiceFilters,
}

/// The fields the create and update bodies share.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceFields {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Option<Vec<String>>,
    #[serde(default)]
    pub price: Option<Money>,
    #[serde(default, alias = "service_time", with = "moapi_core::wire::opt_int32")]
    #[schema(value_type = Option<i32>)]
    pub service_time: Option<i32>,
    #[serde(default, alias = "available_all_business")]
    pub available_all_business: Option<bool>,
    #[serde(default, alias = "available_business_ids")]
    pub available_business_ids: Option<Vec<String>>,
    #[serde(default, alias = "available_all_staff")]
    pub available_all_staff: Option<bool>,
    #[serde(default, alias = "available_staff_ids")]
    pub available_staff_ids: Option<Vec<String>>,
}

/// `SettingServiceCreateServiceBody`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SettingServiceCreateServiceBody)]
pub struct CreateServiceBody {
    #[serde(flatten)]
    pub fields: ServiceFields,
    #[serde(default, alias = "service_item_type")]
    pub service_item_type: ServiceItemType,
    #[serde(default, alias = "service_type")]
    pub service_type: ServiceType,
}

/// `SettingServiceUpdateServiceBody`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SettingServiceUpdateServiceBody)]
pub struct UpdateServiceBody {
    #[serde(flatten)]
    pub fields: ServiceFields,
    #[serde(default)]
    pub inactive: Option<bool>,
}

/// `v1ListServicesRequestFilter`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListServicesRequestFilter)]
pub struct ListServicesFilter {
    #[serde(default, alias = "item_types")]
    pub item_types: Vec<ServiceItemType>,
}

/// `SettingServiceListServicesBody`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SettingServiceListServicesBody)]
pub struct ListServicesBody {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<ListServicesFilter>,
}

/// `v1ListServicesResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListServicesResponse)]
pub struct ListServicesResponse {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
}
