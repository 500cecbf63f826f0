//! Turns CustomerService request bodies into validated values: every error names the field
//! (`phone`, `tags[2].id`, `filter.lastUpdatedTime.startTime`) and is found before anything is
//! written.

use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use super::store::{ListQuery, NewCustomer};
use super::wire::{
    ComplianceConfig, ComplianceConfigUpdate, CustomerNote, CustomerTag, ListCustomersFilter,
    Preference, PreferenceInput,
};
use crate::business::wire::Address;
use crate::contact::{normalize_email, normalize_phone};
use crate::wire::{check_max_items, interval};

const MAX_NAME: usize = 255;
const MAX_NOTE: usize = 10_000;
const MAX_TAG_NAME: usize = 100;

fn invalid(field: &str, message: impl std::fmt::Display) -> Status {
    Status::invalid_argument(format!("{field}: {message}"))
}

/// A required text: present, not blank, at most `max` characters; returned trimmed.
pub fn required_text(field: &str, value: Option<&str>, max: usize) -> Result<String, Status> {
    let text = value.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(invalid(field, "value is required"));
    }
    bounded_text(field, text, max)
}

fn bounded_text(field: &str, text: &str, max: usize) -> Result<String, Status> {
    if text.chars().count() > max {
        return Err(invalid(
            field,
            format!("value must be at most {max} characters"),
        ));
    }
    Ok(text.trim().to_string())
}

pub fn phone(field: &str, value: &str, country: &str) -> Result<String, Status> {
    normalize_phone(value, country).map_err(|err| invalid(field, err))
}

/// An optional email: blank means none.
pub fn email(field: &str, value: &str) -> Result<String, Status> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    normalize_email(value).map_err(|err| invalid(field, err))
}

pub fn address(field: &str, address: &Address) -> Result<Address, Status> {
    if let Some(point) = &address.coordinate {
        if !(-90.0..=90.0).contains(&point.latitude) {
            return Err(invalid(
                &format!("{field}.coordinate.latitude"),
                "value must be inside range [-90, 90]",
            ));
        }
        if !(-180.0..=180.0).contains(&point.longitude) {
            return Err(invalid(
                &format!("{field}.coordinate.longitude"),
                "value must be inside range [-180, 180]",
            ));
        }
    }
    for (name, value) in [
        ("address1", &address.address1),
        ("address2", &address.address2),
        ("city", &address.city),
        ("state", &address.state),
        ("postalCode", &address.postal_code),
        ("country", &address.country),
    ] {
        bounded_text(&format!("{field}.{name}"), value, MAX_NAME)?;
    }
    Ok(Address {
        id: String::new(),
        ..address.clone()
    })
}

/// A business of the customer's company the key may act for.
pub async fn preferred_business(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    owner: CompanyOwner,
    id: &str,
) -> Result<i64, Status> {
    let scope =
        crate::access::business(conn, &state.ids, principal, "preferredBusinessId", id).await?;
    if scope.company_id != owner.company_id {
        return Err(Status::no_permission());
    }
    Ok(scope.business_id)
}

pub fn preference(input: Option<&PreferenceInput>) -> Preference {
    let defaults = Preference::default();
    let Some(input) = input else {
        return defaults;
    };
    Preference {
        receive_auto_message: input
            .receive_auto_message
            .unwrap_or(defaults.receive_auto_message),
        receive_auto_email: input
            .receive_auto_email
            .unwrap_or(defaults.receive_auto_email),
        subscribe_to_marketing_emails: input
            .subscribe_to_marketing_emails
            .unwrap_or(defaults.subscribe_to_marketing_emails),
        receive_appointment_reminder: input
            .receive_appointment_reminder
            .unwrap_or(defaults.receive_appointment_reminder),
    }
}

/// Applies a compliance update: a present field replaces, an absent one keeps. The
/// unspecified channel is refused, a repeated one kept once.
pub fn apply_compliance(
    field: &str,
    current: &ComplianceConfig,
    update: &ComplianceConfigUpdate,
) -> Result<ComplianceConfig, Status> {
    let channels = |name: &str, list: &Option<super::wire::ChannelListUpdate>, current: &[_]| {
        let Some(list) = list else {
            return Ok(current.to_vec());
        };
        let mut out = Vec::new();
        for (index, channel) in list.channels.iter().enumerate() {
            if *channel == super::wire::ComplianceChannel::ComplianceChannelUnspecified {
                return Err(invalid(
                    &format!("{field}.{name}.channels[{index}]"),
                    "COMPLIANCE_CHANNEL_UNSPECIFIED is not a channel",
                ));
            }
            if !out.contains(channel) {
                out.push(*channel);
            }
        }
        Ok(out)
    };
    Ok(ComplianceConfig {
        service_related_channels: channels(
            "serviceRelatedChannels",
            &update.service_related_channels,
            &current.service_related_channels,
        )?,
        marketing_campaigns_channels: channels(
            "marketingCampaignsChannels",
            &update.marketing_campaigns_channels,
            &current.marketing_campaigns_channels,
        )?,
        branded_app_enabled: update
            .branded_app_enabled
            .unwrap_or(current.branded_app_enabled),
        is_agreed_marketing_policy: update
            .is_agreed_marketing_policy
            .unwrap_or(current.is_agreed_marketing_policy),
        is_consented: update.is_consented.unwrap_or(current.is_consented),
    })
}

/// A tag named in a request: one of the company's tags, or a name to find or create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagRef {
    Id(i64),
    Name(String),
}

pub fn tags(state: &AppState, field: &str, tags: &[CustomerTag]) -> Result<Vec<TagRef>, Status> {
    check_max_items(field, tags.len())?;
    tags.iter()
        .enumerate()
        .map(|(index, tag)| {
            if !tag.id.is_empty() {
                state
                    .ids
                    .decode(IdKind::CustomerTag, &tag.id)
                    .map(TagRef::Id)
                    .map_err(|_| Status::invalid_obfuscate())
            } else {
                required_text(
                    &format!("{field}[{index}].name"),
                    Some(&tag.name),
                    MAX_TAG_NAME,
                )
                .map(TagRef::Name)
            }
        })
        .collect()
}

/// A note named in a request: new text, or (in an update) new text for one of the customer's
/// notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteInput {
    pub id: Option<i64>,
    pub text: String,
}

pub fn notes(
    state: &AppState,
    field: &str,
    notes: &[CustomerNote],
    ids_allowed: bool,
) -> Result<Vec<NoteInput>, Status> {
    check_max_items(field, notes.len())?;
    notes
        .iter()
        .enumerate()
        .map(|(index, note)| {
            let id = if note.id.is_empty() || !ids_allowed {
                None
            } else {
                Some(
                    state
                        .ids
                        .decode(IdKind::CustomerNote, &note.id)
                        .map_err(|_| Status::invalid_obfuscate())?,
                )
            };
            Ok(NoteInput {
                id,
                text: note_text(&format!("{field}[{index}].note"), Some(&note.note))?,
            })
        })
        .collect()
}

pub fn note_text(field: &str, text: Option<&str>) -> Result<String, Status> {
    required_text(field, text, MAX_NOTE)
}

pub fn name(field: &str, value: Option<&str>) -> Result<String, Status> {
    required_text(field, value, MAX_NAME)
}

pub fn avatar_path(value: &str) -> Result<String, Status> {
    bounded_text("avatarPath", value, 2048)
}

/// The list query of `customers:list`, phone read in the company's country.
pub fn list_query(
    company_id: i64,
    country: &str,
    filter: Option<&ListCustomersFilter>,
) -> Result<ListQuery, Status> {
    let mut query = ListQuery {
        company_id,
        ..ListQuery::default()
    };
    let Some(filter) = filter else {
        return Ok(query);
    };
    if let Some(window) = &filter.last_updated_time {
        (query.updated_from, query.updated_before) = interval("filter.lastUpdatedTime", window)?;
    }
    if let Some(number) = filter.main_phone_number.as_deref() {
        if !number.trim().is_empty() {
            query.phone = Some(phone("filter.mainPhoneNumber", number, country)?);
        }
    }
    query.include_deleted = filter.include_deleted.unwrap_or(false);
    Ok(query)
}

/// The validated fields of a `PUT /v1/customers/{id}` body; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    /// `Some(None)` clears the preferred business.
    pub preferred_business_id: Option<Option<i64>>,
    pub avatar_path: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<Address>,
    pub compliance: Option<ComplianceConfigUpdate>,
}

impl CustomerPatch {
    /// Applies the patch to the stored values (compliance fields merge one by one).
    pub fn apply(&self, customer: &mut NewCustomer) -> Result<(), Status> {
        fn set<T: Clone>(target: &mut T, value: &Option<T>) {
            if let Some(value) = value {
                *target = value.clone();
            }
        }
        set(
            &mut customer.preferred_business_id,
            &self.preferred_business_id,
        );
        set(&mut customer.avatar_path, &self.avatar_path);
        set(&mut customer.first_name, &self.first_name);
        set(&mut customer.last_name, &self.last_name);
        set(&mut customer.phone, &self.phone);
        set(&mut customer.email, &self.email);
        if let Some(address) = &self.address {
            customer.address = Some(address.clone());
        }
        if let Some(update) = &self.compliance {
            customer.compliance =
                apply_compliance("complianceConfig", &customer.compliance, update)?;
        }
        Ok(())
    }
}
