//! PetService's wire types, field for field as the vendor swagger defines them. Request types
//! read what clients send (read-only fields such as `id` or `customerId` are ignored); response
//! types omit protojson defaults.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::Interval;
use crate::wire::{is_false, proto_enum, Date};

proto_enum!(
    /// `v1PetType`: the species.
    PetType as v1PetType {
        Unspecified = "TYPE_UNSPECIFIED",
        Other = "OTHER", Dog = "DOG", Cat = "CAT", Bird = "BIRD", Rabbit = "RABBIT",
        GuineaPig = "GUINEA_PIG", Horse = "HORSE", Hamster = "HAMSTER", Rat = "RAT",
        Mouse = "MOUSE", Chinchilla = "CHINCHILLA",
    }
);

proto_enum!(
    /// `v1PetStatus`.
    PetStatus as v1PetStatus { Unspecified = "STATUS_UNSPECIFIED", Alive = "ALIVE", PassedAway = "PASSED_AWAY" }
);

proto_enum!(
    /// `PetGender`.
    Gender as PetGender { Unspecified = "GENDER_UNSPECIFIED", Male = "MALE", Female = "FEMALE", Unknown = "UNKNOWN" }
);

proto_enum!(
    /// `v1PetEvaluationStatus`.
    EvaluationStatus as v1PetEvaluationStatus { Unspecified = "EVALUATION_STATUS_UNSPECIFIED", Pass = "PASS", Fail = "FAIL" }
);

proto_enum!(
    /// `WeightUnit`.
    WeightUnit as WeightUnit { Unspecified = "UNIT_UNSPECIFIED", Kilogram = "KILOGRAM", Pound = "POUND" }
);

/// `v1Weight` (moego.common.v1.Weight): a uint32 value, written as a JSON number.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[schema(as = v1Weight)]
pub struct Weight {
    #[serde(skip_serializing_if = "is_zero")]
    pub value: u32,
    #[serde(skip_serializing_if = "WeightUnit::is_unspecified")]
    pub unit: WeightUnit,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// A weight as sent: the value is checked by the input rules (a whole, non-negative number).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = v1WeightInput)]
pub struct WeightInput {
    #[serde(default)]
    #[schema(value_type = u32)]
    pub value: Option<serde_json::Value>,
    #[serde(default)]
    pub unit: WeightUnit,
}

/// `PetVaccination`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
#[schema(as = PetVaccination)]
pub struct Vaccination {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, alias = "expired_at", skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub expired_at: Option<String>,
}

/// `PetVet`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
#[schema(as = PetVet)]
pub struct Vet {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(
        default,
        alias = "phone_number",
        skip_serializing_if = "String::is_empty"
    )]
    pub phone_number: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
}

/// `v1PetCode` (a company setting).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[schema(as = v1PetCode)]
pub struct PetCode {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub abbreviation: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub color: String,
}

/// `v1PetNote`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1PetNote)]
pub struct PetNote {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub content: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_updated_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
}

/// `v1Pet`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Pet)]
pub struct Pet {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(
        with = "moapi_core::wire::int64",
        skip_serializing_if = "crate::wire::is_zero_i64"
    )]
    #[schema(value_type = String, format = Int64)]
    pub raw_id: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<Date>,
    #[serde(skip_serializing_if = "PetStatus::is_unspecified")]
    pub status: PetStatus,
    #[serde(rename = "type", skip_serializing_if = "PetType::is_unspecified")]
    pub pet_type: PetType,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub breed: String,
    #[serde(skip_serializing_if = "Gender::is_unspecified")]
    pub gender: Gender,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fixed: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub coat: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub behavior: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pet_codes: Vec<PetCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<PetNote>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vaccinations: Vec<Vaccination>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vet: Option<Vet>,
    #[serde(skip_serializing_if = "EvaluationStatus::is_unspecified")]
    pub evaluation_status: EvaluationStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub created_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub photo: String,
    #[serde(skip_serializing_if = "is_false")]
    pub deleted: bool,
}

/// A pet's writable fields as a client sends them in `CreatePet` (and inside a lead). The
/// output-only fields of `v1Pet` are not read.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1PetInput)]
pub struct PetInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birthday: Option<Date>,
    #[serde(default)]
    pub status: PetStatus,
    #[serde(default, rename = "type")]
    pub pet_type: PetType,
    #[serde(default)]
    pub breed: String,
    #[serde(default)]
    pub gender: Gender,
    #[serde(default)]
    pub weight: Option<WeightInput>,
    #[serde(default)]
    pub fixed: String,
    #[serde(default)]
    pub coat: String,
    #[serde(default)]
    pub behavior: String,
    #[serde(default, alias = "pet_codes")]
    pub pet_codes: Vec<PetCodeRef>,
    #[serde(default)]
    pub notes: Vec<NoteInput>,
    #[serde(default)]
    pub vaccinations: Vec<Vaccination>,
    #[serde(default)]
    pub vet: Option<Vet>,
    #[serde(default, alias = "evaluation_status")]
    pub evaluation_status: EvaluationStatus,
    #[serde(default)]
    pub photo: String,
}

/// A pet code named by ID (its other fields are the company setting's).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = v1PetCodeRef)]
pub struct PetCodeRef {
    #[serde(default)]
    pub id: String,
}

/// A note as a client writes it: only its content.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = v1PetNoteInput)]
pub struct NoteInput {
    #[serde(default)]
    pub content: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = PetServiceCreatePetBody)]
pub struct CreatePetBody {
    pub pet: Option<PetInput>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1CreatePetResponse)]
pub struct CreatePetResponse {
    pub pet: Pet,
}

/// `PetServiceUpdatePetBody`: every field optional; an absent (or null) one keeps its value.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PetServiceUpdatePetBody)]
pub struct UpdatePetBody {
    pub name: Option<String>,
    pub birthday: Option<Date>,
    #[serde(rename = "type")]
    pub pet_type: Option<PetType>,
    pub breed: Option<String>,
    pub gender: Option<Gender>,
    pub weight: Option<WeightInput>,
    pub fixed: Option<String>,
    pub coat: Option<String>,
    pub behavior: Option<String>,
    pub vet: Option<Vet>,
    #[serde(alias = "evaluation_status")]
    pub evaluation_status: Option<EvaluationStatus>,
    pub photo: Option<String>,
    pub vaccinations: Option<Vec<Vaccination>>,
    /// Not in the vendor's update body, which has no status; accepted so a pet can be marked
    /// PASSED_AWAY through the API (docs/compatibility.md).
    pub status: Option<PetStatus>,
}

/// `PetServiceListPetsBody` (empty in the swagger) plus moapi's `includeDeleted`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PetServiceListPetsBody)]
pub struct ListPetsBody {
    #[serde(default, alias = "include_deleted")]
    pub include_deleted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1ListPetsResponse)]
pub struct ListPetsResponse {
    pub pets: Vec<Pet>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAllPetsRequest)]
pub struct ListAllPetsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListAllPetsFilter>,
    /// moapi's extension: deleted pets are left out unless asked for.
    #[serde(default, alias = "include_deleted")]
    pub include_deleted: bool,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAllPetsRequestFilter)]
pub struct ListAllPetsFilter {
    #[serde(default, alias = "customer_ids")]
    pub customer_ids: Vec<String>,
    #[serde(default, alias = "last_updated_time")]
    pub last_updated_time: Option<Interval>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAllPetsResponse)]
pub struct ListAllPetsResponse {
    pub next_page_token: String,
    pub pets: Vec<Pet>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = PetServiceAppendPetNotesBody)]
pub struct AppendPetNotesBody {
    #[serde(default)]
    pub notes: Vec<NoteInput>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1AppendPetNotesResponse)]
pub struct AppendPetNotesResponse {
    pub notes: Vec<PetNote>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = PetServiceListPetNotesBody)]
pub struct ListPetNotesBody {
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPetNotesResponse)]
pub struct ListPetNotesResponse {
    pub next_page_token: String,
    pub notes: Vec<PetNote>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PetServiceAppendPetCodesBody)]
pub struct AppendPetCodesBody {
    #[serde(default, alias = "pet_code_ids")]
    pub pet_code_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1AppendPetCodesResponse)]
pub struct AppendPetCodesResponse {
    pub codes: Vec<PetCode>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1DeletePetCodeResponse)]
pub struct DeletePetCodeResponse {}
