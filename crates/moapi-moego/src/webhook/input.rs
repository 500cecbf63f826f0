//! Checks a webhook's fields before they are stored: the receiver URL (scheme, credentials,
//! the SSRF guard after DNS resolution), event type names, the organizations (within the
//! key's reach and its client) and the custom headers.

use std::collections::BTreeSet;

use axum::http::{HeaderName, HeaderValue};
use moapi_core::auth::{MoegoPrincipal, MoegoRestriction};
use moapi_core::outbound::{Outbound, OutboundError};
use moapi_core::{AppState, Config, IdKind, Status};
use sqlx::AnyConnection;

use super::store::StoredOrganization;
use super::wire::{Headers, Organization, CONTENT_TYPE_JSON};
use crate::event::EventType;
use crate::wire::check_max_items;

/// The vendor's limit of webhooks per API client.
pub const MAX_WEBHOOKS_PER_CLIENT: i64 = 50;
const MAX_URL_CHARS: usize = 2_048;
const MAX_SECRET_CHARS: usize = 512;
const MAX_HEADERS: usize = 32;
/// Bound on the names and values of a webhook's custom headers together, so that every
/// delivery stays well under the request header limits of common servers.
const MAX_HEADER_BYTES: usize = 8 * 1024;

pub const COMPANY: &str = "COMPANY";
pub const BUSINESS: &str = "BUSINESS";

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

/// The receiver URL, normalised: absolute, HTTPS (or HTTP when the operator allows it),
/// without credentials, and resolving only to addresses the SSRF guard permits.
pub async fn endpoint_url(config: &Config, raw: Option<&str>) -> Result<String, Status> {
    const FIELD: &str = "endpointUrl";
    let raw = raw
        .map(str::trim)
        .filter(|raw| !raw.is_empty())
        .ok_or_else(|| invalid(format!("{FIELD}: value is required")))?;
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(invalid(format!(
            "{FIELD}: at most {MAX_URL_CHARS} characters"
        )));
    }
    let outbound = Outbound::new(&config.outbound);
    let refused = |err: OutboundError| invalid(format!("{FIELD}: {err}"));
    let url = outbound.check_url(raw).map_err(refused)?;
    match url.scheme() {
        "https" => {}
        "http" if config.webhooks.allow_http => {}
        _ => {
            return Err(invalid(format!(
                "{FIELD}: the receiver must be an https:// URL (plain HTTP only when the operator sets MOAPI_WEBHOOK_ALLOW_HTTP=true)"
            )))
        }
    }
    // Credentials in the URL would be stored and logged in clear; custom headers carry them.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(format!(
            "{FIELD}: credentials in the URL are not accepted; send them in headers"
        )));
    }
    // A resolver that never answers is cut by the server's request timeout.
    outbound.vet(&url).await.map_err(refused)?;
    Ok(url.to_string())
}

/// `v1EventType` names, each known and not TYPE_UNSPECIFIED, duplicates dropped.
pub fn event_types(field: &str, names: &[String]) -> Result<Vec<String>, Status> {
    check_max_items(field, names.len())?;
    let mut kept: Vec<String> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let known = EventType::from_name(name).ok_or_else(|| {
            invalid(format!(
                "{field}[{index}]: {name:?} is not an event type (TYPE_UNSPECIFIED included)"
            ))
        })?;
        if !kept.iter().any(|seen| seen == known.name()) {
            kept.push(known.name().to_string());
        }
    }
    Ok(kept)
}

/// The event types a create or replace names: required and not empty (protobuf cannot tell
/// an empty list from a missing one).
pub fn required_event_types(names: Option<&[String]>) -> Result<Vec<String>, Status> {
    let names = names
        .filter(|names| !names.is_empty())
        .ok_or_else(|| invalid("eventTypes: at least one event type is required".into()))?;
    event_types("eventTypes", names)
}

/// An optional `secretToken`: "" is none.
pub fn secret_token(value: &str) -> Result<Option<&str>, Status> {
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > MAX_SECRET_CHARS {
        return Err(invalid(format!(
            "secretToken: at most {MAX_SECRET_CHARS} characters"
        )));
    }
    Ok(Some(value))
}

/// Only JSON is delivered; unspecified means JSON.
pub fn content_type(value: Option<&str>) -> Result<(), Status> {
    match value.unwrap_or_default() {
        "" | "CONTENT_TYPE_UNSPECIFIED" | CONTENT_TYPE_JSON => Ok(()),
        other => Err(invalid(format!(
            "contentType: {other:?} is not supported; use {CONTENT_TYPE_JSON}"
        ))),
    }
}

/// Headers a delivery sets itself (or that belong to the connection); a webhook's custom
/// headers may not replace them.
fn reserved_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("x-moe-")
        || name.starts_with("webhook-")
        || matches!(
            name.as_str(),
            "user-agent"
                | "content-type"
                | "content-length"
                | "content-encoding"
                | "host"
                | "connection"
                | "keep-alive"
                | "proxy-connection"
                | "transfer-encoding"
                | "te"
                | "trailer"
                | "upgrade"
                | "expect"
        )
}

/// Custom headers: names are HTTP tokens given once (whatever their case) and not reserved,
/// each has at least one printable value without CR or LF, and all together stay bounded.
pub fn headers(headers: &Headers) -> Result<Headers, Status> {
    if headers.len() > MAX_HEADERS {
        return Err(invalid(format!("headers: at most {MAX_HEADERS} headers")));
    }
    let mut seen = BTreeSet::new();
    let mut bytes = 0;
    for (name, values) in headers {
        let field = format!("headers.{name}");
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(invalid(format!("{field}: not a valid header name")));
        }
        if reserved_header(name) {
            return Err(invalid(format!(
                "{field}: set by moapi on every delivery; it cannot be overridden"
            )));
        }
        if !seen.insert(name.to_ascii_lowercase()) {
            return Err(invalid(format!(
                "{field}: the header is given twice (names are case-insensitive)"
            )));
        }
        if values.values.is_empty() {
            return Err(invalid(format!("{field}.values: at least one value")));
        }
        for (index, value) in values.values.iter().enumerate() {
            if HeaderValue::from_str(value).is_err() {
                return Err(invalid(format!(
                    "{field}.values[{index}]: printable ASCII only, no CR or LF"
                )));
            }
            bytes += name.len() + value.len();
        }
    }
    if bytes > MAX_HEADER_BYTES {
        return Err(invalid(format!(
            "headers: at most {MAX_HEADER_BYTES} bytes of names and values together"
        )));
    }
    Ok(headers.clone())
}

/// The organizations a key reaches, as webhook checks need them.
pub enum Reach {
    /// A key of its whole client: every organization of the client, and webhooks that listen
    /// to all of them.
    Client,
    /// A key limited to one company: the company and its businesses.
    Company {
        company_id: i64,
        business_ids: Vec<i64>,
    },
    /// A key limited to some businesses.
    Businesses(Vec<i64>),
}

impl Reach {
    pub async fn of(conn: &mut AnyConnection, principal: &MoegoPrincipal) -> Result<Reach, Status> {
        Ok(match &principal.restriction {
            MoegoRestriction::AllowedIps(_) => Reach::Client,
            MoegoRestriction::Company(company_id) => Reach::Company {
                company_id: *company_id,
                business_ids: crate::business::store::ids_of_company(conn, *company_id).await?,
            },
            MoegoRestriction::Businesses { business_ids, .. } => {
                Reach::Businesses(business_ids.clone())
            }
        })
    }

    fn covers(&self, organization: &StoredOrganization) -> bool {
        let id = organization.id;
        match (self, organization.kind.as_str()) {
            (Reach::Client, _) => true,
            (Reach::Company { company_id, .. }, COMPANY) => *company_id == id,
            (Reach::Company { business_ids, .. }, BUSINESS)
            | (Reach::Businesses(business_ids), BUSINESS) => business_ids.contains(&id),
            _ => false,
        }
    }

    /// Whether the key may see and manage a webhook listening to `organizations` (empty: all
    /// of the client's, which only a key of the whole client reaches).
    pub fn covers_all(&self, organizations: &[StoredOrganization]) -> bool {
        if organizations.is_empty() {
            matches!(self, Reach::Client)
        } else {
            organizations
                .iter()
                .all(|organization| self.covers(organization))
        }
    }
}

fn decode(state: &AppState, kind: IdKind, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(kind, id.trim())
        .map_err(|_| Status::invalid_obfuscate())
}

/// Resolves the organizations a webhook names: COMPANY or BUSINESS IDs of the key's client
/// (code 7 for another client's or beyond the key's reach, NOT_FOUND for none), duplicates
/// dropped. A key limited to a company or businesses must name them: "all organizations"
/// would reach beyond it.
pub async fn organizations(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    reach: &Reach,
    organizations: &[Organization],
) -> Result<Vec<StoredOrganization>, Status> {
    check_max_items("organizations", organizations.len())?;
    let mut resolved: Vec<StoredOrganization> = Vec::new();
    for (index, organization) in organizations.iter().enumerate() {
        let field = format!("organizations[{index}]");
        let kind = organization.kind.as_deref().unwrap_or_default();
        let (id, company_id) = match kind {
            COMPANY => {
                let id = decode(state, IdKind::Company, &organization.id)?;
                (id, id)
            }
            BUSINESS => {
                let id = decode(state, IdKind::Business, &organization.id)?;
                let business = crate::business::store::find(&mut *conn, id)
                    .await?
                    .ok_or_else(|| Status::not_found(format!("{field}.id: business not found")))?;
                (id, business.company_id)
            }
            "ENTERPRISE" => {
                return Err(invalid(format!(
                    "{field}.type: moapi has no ENTERPRISE organizations; name the COMPANY or BUSINESS IDs instead"
                )))
            }
            _ => {
                return Err(invalid(format!(
                    "{field}.type: COMPANY or BUSINESS is required"
                )))
            }
        };
        let owner = crate::company::store::owner(&mut *conn, company_id)
            .await?
            .ok_or_else(|| Status::not_found(format!("{field}.id: company not found")))?;
        let stored = StoredOrganization {
            id,
            kind: kind.to_string(),
        };
        if owner.client_id != principal.client_id || !reach.covers(&stored) {
            return Err(Status::no_permission());
        }
        if !resolved.contains(&stored) {
            resolved.push(stored);
        }
    }
    if !reach.covers_all(&resolved) {
        return Err(all_organizations_beyond_reach());
    }
    Ok(resolved)
}

/// The answer to a key limited to some organizations that asks for all of them.
pub fn all_organizations_beyond_reach() -> Status {
    Status::new(
        moapi_core::Code::PermissionDenied,
        "organizations: this API key is limited to some organizations; name them (an empty list means every organization of the client)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::wire::HeaderValues;

    fn one(name: &str, value: &str) -> Headers {
        Headers::from([(
            name.to_string(),
            HeaderValues {
                values: vec![value.to_string()],
            },
        )])
    }

    #[test]
    fn headers_refuse_reserved_names_bad_syntax_and_line_breaks() {
        assert!(headers(&one("X-Api-Key", "abc 123")).is_ok());
        for name in [
            "User-Agent",
            "content-type",
            "X-Moe-Signature",
            "Webhook-Id",
            "Host",
        ] {
            assert!(headers(&one(name, "v")).is_err(), "{name}");
        }
        for name in ["Bad Name", "", "X:Y", "X\r\nY"] {
            assert!(headers(&one(name, "v")).is_err(), "{name:?}");
        }
        for value in ["a\r\nInjected: yes", "a\nb", "nul\0"] {
            assert!(headers(&one("X-Ok", value)).is_err(), "{value:?}");
        }
        let mut twice = one("X-A", "1");
        twice.extend(one("x-a", "2"));
        assert!(headers(&twice).is_err());
        assert!(headers(&Headers::from([("X-A".into(), HeaderValues::default())])).is_err());
        assert!(headers(&one("X-Big", &"a".repeat(MAX_HEADER_BYTES))).is_err());
    }

    #[test]
    fn event_types_are_vendor_names_deduplicated() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            event_types("e", &names(&["PET_CREATED", "HEALTH_CHECK", "PET_CREATED"])).unwrap(),
            names(&["PET_CREATED", "HEALTH_CHECK"])
        );
        assert!(event_types("e", &names(&["TYPE_UNSPECIFIED"])).is_err());
        assert!(event_types("e", &names(&["ORDER_CREATED"])).is_err());
        assert!(required_event_types(Some(&[])).is_err());
        assert!(required_event_types(None).is_err());
    }
}
