//! AppointmentService's wire types, field for field as the vendor swagger defines them.
//! Request types read what clients send (snake_case accepted too); response types omit
//! protojson defaults.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::pet::wire::Pet;
use crate::setting::lodging::Lodging;
pub use crate::setting::service::wire::{ServiceItemType, ServiceType};
use crate::wire::{is_false, proto_enum, Date, Interval};

proto_enum!(
    /// `v1AppointmentStatus`.
    AppointmentStatus as v1AppointmentStatus {
        Unspecified = "STATUS_UNSPECIFIED",
        Unconfirmed = "UNCONFIRMED", Confirmed = "CONFIRMED", CheckedIn = "CHECKED_IN",
        Ready = "READY", Finished = "FINISHED", Canceled = "CANCELED",
    }
);

proto_enum!(
    /// `AppointmentPaymentStatus`.
    PaymentStatus as AppointmentPaymentStatus {
        Unspecified = "PAYMENT_STATUS_UNSPECIFIED",
        Unpaid = "UNPAID", PartialPaid = "PARTIAL_PAID", FullPaid = "FULL_PAID",
        PartialRefunded = "PARTIAL_REFUNDED", FullRefunded = "FULL_REFUNDED",
    }
);

proto_enum!(
    /// `v1AppointmentNoteType`.
    NoteType as v1AppointmentNoteType {
        Unspecified = "APPOINTMENT_NOTE_TYPE_UNSPECIFIED",
        AlertNotes = "ALERT_NOTES", Comment = "COMMENT", Cancel = "CANCEL", Additional = "ADDITIONAL",
    }
);

proto_enum!(
    /// `v1MessageDeliveryMethod`: accepted, but moapi sends no auto messages.
    MessageDeliveryMethod as v1MessageDeliveryMethod {
        Unspecified = "MESSAGE_DELIVERY_METHOD_UNSPECIFIED",
        Msg = "MSG", Email = "EMAIL", Call = "CALL", App = "APP",
    }
);

proto_enum!(
    /// `UpdateAppointmentStatusRequestMessageMethod`: accepted, no notification is sent.
    MessageMethod as UpdateAppointmentStatusRequestMessageMethod {
        Unspecified = "MESSAGE_METHOD_UNSPECIFIED", Sms = "SMS", Email = "EMAIL",
    }
);

proto_enum!(
    /// `v1GroomingReportStatus`.
    GroomingReportStatus as v1GroomingReportStatus {
        Unspecified = "STATUS_UNSPECIFIED",
        Created = "CREATED", Draft = "DRAFT", Submitted = "SUBMITTED", Sent = "SENT",
    }
);

proto_enum!(
    /// `GroomingReportSendType`.
    SendType as GroomingReportSendType { Unspecified = "SEND_TYPE_UNSPECIFIED", Manual = "MANUAL", Auto = "AUTO" }
);

proto_enum!(
    /// `GroomingReportSendMethod`.
    SendMethod as GroomingReportSendMethod { Unspecified = "SEND_METHOD_UNSPECIFIED", Sms = "SMS", Email = "EMAIL" }
);

proto_enum!(
    /// `GroomingReportSendStatus`.
    SendStatus as GroomingReportSendStatus { Unspecified = "SEND_STATUS_UNSPECIFIED", Success = "SEND_SUCCESS", Fail = "SEND_FAIL" }
);

/// `v1Appointment`. `rawId` is restricted by the vendor and 0 (omitted) for API keys.
#[derive(Debug, Clone, Serialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Appointment)]
pub struct Appointment {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub business_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Interval>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pet_service_details: Vec<PetServiceDetail>,
    #[serde(skip_serializing_if = "AppointmentStatus::is_unspecified")]
    pub status: AppointmentStatus,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ticket_comment: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub color_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub order_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<Money>,
    #[serde(skip_serializing_if = "PaymentStatus::is_unspecified")]
    pub payment_status: PaymentStatus,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub created_time: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_updated_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub check_in_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub check_out_time: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub booking_request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub confirmed_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub ready_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub canceled_time: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub no_show: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub is_deleted: bool,
}

/// `v1PetServiceDetail`: one pet and the services it gets.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1PetServiceDetail)]
pub struct PetServiceDetail {
    pub pet: Pet,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_details: Vec<ServiceDetail>,
}

/// `v1ServiceDetail`: a service as booked for a pet.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ServiceDetail)]
pub struct ServiceDetail {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "ServiceItemType::is_unspecified")]
    pub service_item_type: ServiceItemType,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    pub duration: Interval,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staff_ids: Vec<String>,
    #[serde(skip_serializing_if = "ServiceType::is_unspecified")]
    pub service_type: ServiceType,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub service_time: i32,
    pub pet_service_detail_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lodging_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lodging_unit_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lodging_type_name: String,
}

/// `v1CreateAppointmentRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateAppointmentRequest)]
pub struct CreateAppointmentRequest {
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default, alias = "customer_id")]
    pub customer_id: String,
    #[serde(default, alias = "pet_services")]
    pub pet_services: Vec<PetServiceInput>,
    /// The vendor documents `true` as the default: only an explicit `false` checks conflicts.
    #[serde(default, alias = "ignore_conflict")]
    pub ignore_conflict: Option<bool>,
    #[serde(default, alias = "appointment_notes")]
    pub appointment_notes: Vec<NoteInput>,
    #[serde(default, alias = "auto_message_methods")]
    pub auto_message_methods: Vec<MessageDeliveryMethod>,
}

/// `CreateAppointmentRequestPetService`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CreateAppointmentRequestPetService)]
pub struct PetServiceInput {
    #[serde(default, alias = "pet_id")]
    pub pet_id: String,
    #[serde(default)]
    pub services: Vec<ServiceInput>,
}

/// `v1CreateAppointmentRequestService`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateAppointmentRequestService)]
pub struct ServiceInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub duration: Option<Interval>,
    #[serde(default, alias = "staff_ids")]
    pub staff_ids: Vec<String>,
    /// The lodging unit (`lodgu_`): required for BOARDING, optional for DAYCARE, refused for
    /// GROOMING (the vendor's newer swagger).
    #[serde(default, alias = "lodging_id")]
    pub lodging_id: Option<String>,
    /// A price overriding the catalog's, in the service's currency.
    #[serde(default)]
    pub price: Option<Money>,
}

/// `CreateAppointmentRequestAppointmentNoteInput`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CreateAppointmentRequestAppointmentNoteInput)]
pub struct NoteInput {
    #[serde(default)]
    pub note: String,
    #[serde(default, rename = "type")]
    pub note_type: NoteType,
}

/// `AppointmentServiceCancelAppointmentBody`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AppointmentServiceCancelAppointmentBody)]
pub struct CancelAppointmentBody {
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default, alias = "auto_message_methods")]
    pub auto_message_methods: Vec<MessageDeliveryMethod>,
}

/// `AppointmentServiceRescheduleAppointmentBody`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AppointmentServiceRescheduleAppointmentBody)]
pub struct RescheduleAppointmentBody {
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default)]
    pub duration: Option<Interval>,
    #[serde(default, alias = "auto_message_methods")]
    pub auto_message_methods: Vec<MessageDeliveryMethod>,
}

/// `AppointmentServiceUpdateAppointmentStatusBody`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AppointmentServiceUpdateAppointmentStatusBody)]
pub struct UpdateAppointmentStatusBody {
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default)]
    pub status: AppointmentStatus,
    #[serde(default, alias = "message_method")]
    pub message_method: MessageMethod,
    #[serde(default, alias = "check_out")]
    pub check_out: Option<CheckOut>,
}

/// `UpdateAppointmentStatusRequestCheckOut`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = UpdateAppointmentStatusRequestCheckOut)]
pub struct CheckOut {
    #[serde(default, alias = "end_date")]
    pub end_date: Option<Date>,
}

/// `v1ListAppointmentsRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAppointmentsRequest)]
pub struct ListAppointmentsRequest {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<ListAppointmentsFilter>,
}

/// `v1ListAppointmentsRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAppointmentsRequestFilter)]
pub struct ListAppointmentsFilter {
    #[serde(default, alias = "start_time")]
    pub start_time: Option<Interval>,
    #[serde(default, alias = "end_time")]
    pub end_time: Option<Interval>,
    #[serde(default, alias = "last_updated_time")]
    pub last_updated_time: Option<Interval>,
    #[serde(default)]
    pub statuses: Vec<AppointmentStatus>,
    #[serde(default, alias = "check_in_time")]
    pub check_in_time: Option<Interval>,
    #[serde(default, alias = "check_out_time")]
    pub check_out_time: Option<Interval>,
    #[serde(default, alias = "service_types")]
    pub service_types: Vec<ServiceItemType>,
    #[serde(default, alias = "service_ids")]
    pub service_ids: Vec<String>,
    #[serde(default, alias = "pet_ids")]
    pub pet_ids: Vec<String>,
    #[serde(default, alias = "customer_ids")]
    pub customer_ids: Vec<String>,
}

/// `v1ListAppointmentsResponse`: by start time, ascending.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAppointmentsResponse)]
pub struct ListAppointmentsResponse {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
    pub appointments: Vec<Appointment>,
}

/// `v1CheckAppointmentAvailabilityRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CheckAppointmentAvailabilityRequest)]
pub struct CheckAvailabilityRequest {
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default, alias = "date_range")]
    pub date_range: Option<Interval>,
    #[serde(default, alias = "pet_ids")]
    pub pet_ids: Vec<String>,
    #[serde(default, alias = "customer_id")]
    pub customer_id: Option<String>,
    #[serde(default, alias = "appointment_id")]
    pub appointment_id: Option<String>,
    #[serde(default, alias = "lodging_unit_ids")]
    pub lodging_unit_ids: Vec<String>,
}

/// `v1CheckAppointmentAvailabilityResponse`: every check is present, empty when it passed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CheckAppointmentAvailabilityResponse)]
pub struct CheckAvailabilityResponse {
    pub appointment_conflict_check: ConflictCheck,
    pub business_closed_date_check: ClosedDateCheck,
    pub lodging_over_capacity_check: LodgingCapacityCheck,
}

/// `CheckAppointmentAvailabilityResponseAppointmentDateConflictCheckResult`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CheckAppointmentAvailabilityResponseAppointmentDateConflictCheckResult)]
pub struct ConflictCheck {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<PetAppointmentsOverview>,
}

/// `CheckAppointmentAvailabilityResponsePetAppointmentsOverview`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CheckAppointmentAvailabilityResponsePetAppointmentsOverview)]
pub struct PetAppointmentsOverview {
    pub pet: Pet,
    pub appointments: Vec<Appointment>,
}

/// `CheckAppointmentAvailabilityResponseBusinessClosedDateCheckResult`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CheckAppointmentAvailabilityResponseBusinessClosedDateCheckResult)]
pub struct ClosedDateCheck {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub closed_dates: Vec<Date>,
}

/// `CheckAppointmentAvailabilityResponseLodgingOverCapacityCheckResult`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CheckAppointmentAvailabilityResponseLodgingOverCapacityCheckResult)]
pub struct LodgingCapacityCheck {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lodgings: Vec<Lodging>,
}

/// `v1AppointmentNote`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1AppointmentNote)]
pub struct AppointmentNote {
    pub id: String,
    pub business_id: String,
    pub customer_id: String,
    pub company_id: String,
    pub appointment_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(rename = "type", skip_serializing_if = "NoteType::is_unspecified")]
    pub note_type: NoteType,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_updated_by: String,
}

/// `v1CreateAppointmentNoteRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateAppointmentNoteRequest)]
pub struct CreateAppointmentNoteRequest {
    #[serde(default, alias = "appointment_id")]
    pub appointment_id: String,
    #[serde(default)]
    pub note: String,
    #[serde(default, rename = "type")]
    pub note_type: NoteType,
}

/// `AppointmentServiceUpdateAppointmentNoteBody`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = AppointmentServiceUpdateAppointmentNoteBody)]
pub struct UpdateAppointmentNoteBody {
    #[serde(default)]
    pub note: Option<String>,
}

/// `v1ListAppointmentNotesRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAppointmentNotesRequest)]
pub struct ListAppointmentNotesRequest {
    #[serde(default, alias = "appointment_id")]
    pub appointment_id: String,
    #[serde(default, rename = "type")]
    pub note_type: NoteType,
}

/// `v1ListAppointmentNotesResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1ListAppointmentNotesResponse)]
pub struct ListAppointmentNotesResponse {
    pub notes: Vec<AppointmentNote>,
}

/// `v1GroomingReport`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GroomingReport)]
pub struct GroomingReport {
    pub id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String)]
    pub raw_id: i64,
    pub appointment_id: String,
    pub business_id: String,
    pub customer_id: String,
    pub pet_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template_json: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub content_json: String,
    #[serde(skip_serializing_if = "GroomingReportStatus::is_unspecified")]
    pub status: GroomingReportStatus,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub report_url: String,
    #[serde(skip_serializing_if = "SendType::is_unspecified")]
    pub send_type: SendType,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub template_publish_time: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sending_method_list: Vec<SendMethod>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub last_sending_method_list: Vec<SendMethod>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub send_log: Vec<SendLog>,
}

/// `GroomingReportSendLog`, stored as the wire has it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GroomingReportSendLog)]
pub struct SendLog {
    #[serde(default, skip_serializing_if = "SendMethod::is_unspecified")]
    pub send_method: SendMethod,
    #[serde(default, skip_serializing_if = "SendStatus::is_unspecified")]
    pub send_status: SendStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub sent_time: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sender_id: String,
    #[serde(
        default,
        with = "moapi_core::wire::int64",
        skip_serializing_if = "crate::wire::is_zero_i64"
    )]
    #[schema(value_type = String)]
    pub error_code: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error_msg: String,
}

/// `v1ListGroomingReportsRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListGroomingReportsRequest)]
pub struct ListGroomingReportsRequest {
    #[serde(default, alias = "appointment_ids")]
    pub appointment_ids: Vec<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: String,
}

/// `v1ListGroomingReportsResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListGroomingReportsResponse)]
pub struct ListGroomingReportsResponse {
    pub grooming_reports: Vec<GroomingReport>,
}
