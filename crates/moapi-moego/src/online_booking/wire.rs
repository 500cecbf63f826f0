//! OnlineBookingService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::appointment::wire::PetServiceDetail;
use crate::pet::wire::{Gender, PetType, WeightInput};
use crate::setting::service::wire::ServiceItemType;
use crate::wire::{proto_enum, Date, Interval};

/// `v1GetBookingAvailabilityRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetBookingAvailabilityRequest)]
pub struct GetBookingAvailabilityRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default)]
    pub filter: Option<AvailabilityFilter>,
}

/// `v1GetBookingAvailabilityRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetBookingAvailabilityRequestFilter)]
pub struct AvailabilityFilter {
    #[serde(default, alias = "start_date")]
    pub start_date: Option<Date>,
    #[serde(default, alias = "end_date")]
    pub end_date: Option<Date>,
    #[serde(default, alias = "service_ids")]
    pub service_ids: Vec<String>,
    #[serde(default, alias = "staff_ids")]
    pub staff_ids: Vec<String>,
    #[serde(default)]
    pub pets: Vec<PetParam>,
}

/// `GetBookingAvailabilityRequestPetParam`: an existing pet (`id`) or one described.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GetBookingAvailabilityRequestPetParam)]
pub struct PetParam {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birthday: Option<Date>,
    #[serde(default, rename = "type")]
    pub pet_type: PetType,
    #[serde(default)]
    pub breed: String,
    #[serde(default)]
    pub gender: Gender,
    #[serde(default)]
    pub weight: Option<WeightInput>,
    #[serde(default, alias = "staff_id")]
    pub staff_id: Option<String>,
    #[serde(default, alias = "service_ids")]
    pub service_ids: Vec<String>,
}

/// `v1GetBookingAvailabilityResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetBookingAvailabilityResponse)]
pub struct GetBookingAvailabilityResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_dates: Vec<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub availability: Vec<AvailabilityByDate>,
}

/// `GetBookingAvailabilityResponseAvailabilityByDate`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GetBookingAvailabilityResponseAvailabilityByDate)]
pub struct AvailabilityByDate {
    pub date: Date,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<StaffAvailability>,
}

/// `GetBookingAvailabilityResponseStaffAvailability`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GetBookingAvailabilityResponseStaffAvailability)]
pub struct StaffAvailability {
    pub staff_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_slots: Vec<Interval>,
}

proto_enum!(
    /// `AbandonedBookingStep`: the last step a visit of the booking page completed.
    Step as AbandonedBookingStep {
        Unspecified = "ABANDON_STEP_UNSPECIFIED",
        WelcomePage = "WELCOME_PAGE", BasicInfo = "BASIC_INFO",
        SelectCareType = "SELECT_CARE_TYPE", SelectAddress = "SELECT_ADDRESS",
        SelectPet = "SELECT_PET", SelectDate = "SELECT_DATE", SelectService = "SELECT_SERVICE",
        SelectGroomer = "SELECT_GROOMER", SelectTime = "SELECT_TIME",
        AdditionalPetInfo = "ADDITIONAL_PET_INFO", PersonalInfo = "PERSONAL_INFO",
        CardOnFile = "CARD_ON_FILE", Prepay = "PREPAY", PreAuth = "PRE_AUTH",
        SubmitAppt = "SUBMIT_APPT",
    }
);

proto_enum!(
    /// `v1AbandonedBookingStatus`.
    AbandonStatus as v1AbandonedBookingStatus {
        Unspecified = "ABANDON_STATUS_UNSPECIFIED",
        Abandoned = "ABANDONED", Contacted = "CONTACTED", Recovered = "RECOVERED",
    }
);

proto_enum!(
    /// `AbandonedBookingLeadType`.
    LeadType as AbandonedBookingLeadType {
        Unspecified = "LEAD_TYPE_UNSPECIFIED",
        NewVisitor = "NEW_VISITOR", ExistingClient = "EXISTING_CLIENT",
    }
);

proto_enum!(
    /// `AbandonedBookingRecoverType`.
    RecoverType as AbandonedBookingRecoverType {
        Unspecified = "ABANDON_RECOVER_TYPE_UNSPECIFIED",
        ScheduleAppointment = "RECOVERED_BY_SCHEDULE_APPOINTMENT",
        Email = "RECOVERED_BY_EMAIL", Message = "RECOVERED_BY_MESSAGE",
    }
);

proto_enum!(
    /// `abandonPreference.preferredDay` (vendor changelog, 2026-05-12).
    PreferredDay as AbandonedBookingPreferredDay {
        Unspecified = "PREFERRED_DAY_UNSPECIFIED",
        Today = "TODAY", Tomorrow = "TOMORROW", ThisWeek = "THIS_WEEK", Flexible = "FLEXIBLE",
    }
);

proto_enum!(
    /// `abandonPreference.preferredTime` (vendor changelog, 2026-05-12).
    PreferredTime as AbandonedBookingPreferredTime {
        Unspecified = "PREFERRED_TIME_UNSPECIFIED",
        Morning = "MORNING", Afternoon = "AFTERNOON", Either = "EITHER",
    }
);

/// `v1AbandonedBooking`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1AbandonedBooking)]
pub struct AbandonedBooking {
    pub id: String,
    pub business_id: String,
    pub customer: AbandonedBookingCustomer,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pets: Vec<AbandonedBookingPet>,
    pub abandon_step: Step,
    pub abandon_time: String,
    pub abandon_status: AbandonStatus,
    #[serde(skip_serializing_if = "RecoverType::is_unspecified")]
    pub recovery_type: RecoverType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_time: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub appointment_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_time: Option<String>,
    pub lead_type: LeadType,
    pub created_time: String,
    pub last_updated_time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub additional_note: String,
    #[serde(skip_serializing_if = "ServiceItemType::is_unspecified")]
    pub care_type: ServiceItemType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abandon_preference: Option<AbandonPreference>,
}

/// `v1AbandonedBookingCustomer`: who the visitor said they are.
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1AbandonedBookingCustomer)]
pub struct AbandonedBookingCustomer {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone_number: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preferred_groomer_id: String,
}

/// `v1AbandonedBookingPet`: a pet of the visit with the services chosen for it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1AbandonedBookingPet)]
pub struct AbandonedBookingPet {
    pub pet_service_detail: PetServiceDetail,
}

/// `abandonPreference`: when the visitor said they would like to come, when no time suited.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1AbandonedBookingAbandonPreference)]
pub struct AbandonPreference {
    pub preferred_day: PreferredDay,
    pub preferred_time: PreferredTime,
    pub preference_submitted_at: String,
}

/// `v1ListAbandonedBookingsRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAbandonedBookingsRequest)]
pub struct ListAbandonedBookingsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
    /// The swagger's `filter`; the module guide writes `filters`.
    #[serde(default, alias = "filters")]
    pub filter: Option<AbandonedBookingsFilter>,
}

/// `v1ListAbandonedBookingsRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAbandonedBookingsRequestFilter)]
pub struct AbandonedBookingsFilter {
    #[serde(default, alias = "abandon_time")]
    pub abandon_time: Option<Interval>,
    #[serde(default, alias = "lead_types")]
    pub lead_types: Vec<LeadType>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub statuses: Vec<AbandonStatus>,
}

/// `v1ListAbandonedBookingsResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAbandonedBookingsResponse)]
pub struct ListAbandonedBookingsResponse {
    pub next_page_token: String,
    pub bookings: Vec<AbandonedBooking>,
}
