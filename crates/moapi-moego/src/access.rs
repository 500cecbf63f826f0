//! Who may reach what: the one place that decides whether a key reaches a company, one of its
//! businesses, or a stored row that belongs to them. Handlers resolve what a request names
//! through these functions and never compare owners themselves, so that a key restricted to
//! some businesses is held to them by every operation alike.
//!
//! Two kinds of resources: company-wide ones (customers, pets, leads, staff, settings
//! catalogs) that any key of the company reaches, and business-scoped ones (appointments and
//! their notes and grooming reports, blocks, orders, payments, lodgings, booking settings,
//! vans) that a key restricted to some businesses reaches only at those. A row says which it is
//! through [`Owned`]. Refusals are PERMISSION_DENIED (code 7) as the vendor answers them.

use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::{IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use crate::{business, company};

/// What a stored row belongs to.
pub trait Owned {
    fn company_id(&self) -> i64;
    /// The business of a business-scoped row; `None` for a company-wide one.
    fn business_id(&self) -> Option<i64>;
}

/// A business the key may act in: its raw ID and its company.
#[derive(Debug, Clone, Copy)]
pub struct BusinessScope {
    pub company_id: i64,
    pub business_id: i64,
}

impl Owned for BusinessScope {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

/// Code 7 unless the key reaches a company (whose owner chain the caller has read) and, when
/// one is named, a business of it.
pub fn require(
    principal: &MoegoPrincipal,
    owner: CompanyOwner,
    business_id: Option<i64>,
) -> Result<(), Status> {
    let reached = match business_id {
        None => principal.allows_company(owner),
        Some(business_id) => principal.allows_business(owner, business_id),
    };
    match reached {
        true => Ok(()),
        false => Err(Status::no_permission()),
    }
}

/// The owner chain of the company a stored row belongs to (rows always have one).
pub async fn owner_of(conn: &mut AnyConnection, company_id: i64) -> Result<CompanyOwner, Status> {
    company::store::owner(conn, company_id)
        .await?
        .ok_or_else(|| Status::internal(format!("company {company_id} of a stored row is missing")))
}

/// Code 7 unless the key reaches the row: its company and, for a business-scoped row, its
/// business. Answers the row's company.
pub async fn check<R: Owned + ?Sized>(
    conn: &mut AnyConnection,
    principal: &MoegoPrincipal,
    row: &R,
) -> Result<CompanyOwner, Status> {
    let owner = owner_of(conn, row.company_id()).await?;
    require(principal, owner, row.business_id())?;
    Ok(owner)
}

/// Code 7 unless the key reaches every row (see [`check`]), reading each company's owner
/// chain once.
pub async fn check_all<R: Owned>(
    conn: &mut AnyConnection,
    principal: &MoegoPrincipal,
    rows: &[R],
) -> Result<(), Status> {
    let mut owners: Vec<CompanyOwner> = Vec::new();
    for row in rows {
        let owner = match owners
            .iter()
            .find(|owner| owner.company_id == row.company_id())
        {
            Some(owner) => *owner,
            None => {
                let owner = owner_of(conn, row.company_id()).await?;
                owners.push(owner);
                owner
            }
        };
        require(principal, owner, row.business_id())?;
    }
    Ok(())
}

fn decode(ids: &IdCodec, kind: IdKind, id: &str) -> Result<i64, Status> {
    ids.decode(kind, id.trim())
        .map_err(|_| Status::invalid_obfuscate())
}

fn requested_company(ids: &IdCodec, company_id: Option<&str>) -> Result<i64, Status> {
    let company_id = company_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Status::invalid_argument("companyId: value is required"))?;
    decode(ids, IdKind::Company, company_id)
}

/// Resolves a request's `companyId` and checks the key may act in it: INVALID_ARGUMENT when it
/// is missing, "invalid obfuscate" when malformed, NOT_FOUND, or code 7.
pub async fn company(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
) -> Result<CompanyOwner, Status> {
    Ok(company_row(conn, ids, principal, company_id).await?.owner())
}

/// [`company`], answering the company's row (its country, say) read by the same statement.
pub async fn company_row(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
) -> Result<company::store::CompanyRow, Status> {
    let row = company::store::find(conn, requested_company(ids, company_id)?)
        .await?
        .ok_or_else(|| Status::not_found("company not found"))?;
    require(principal, row.owner(), None)?;
    Ok(row)
}

/// A list's `companyId` and the `businessIds` it names (see [`businesses`]): the company's
/// owner chain and the businesses, each of the company and reached by the key.
pub async fn listed_businesses(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
    business_ids: &[String],
) -> Result<(CompanyOwner, Vec<i64>), Status> {
    let (owner, of_company) = company_with_businesses(conn, ids, principal, company_id).await?;
    let listed = businesses(
        conn,
        ids,
        principal,
        (owner, &of_company),
        "businessIds",
        business_ids,
    )
    .await?;
    Ok((owner, listed))
}

/// A list's `companyId` and its optional businesses (`field`): those it names, checked as
/// [`listed_businesses`] checks them, or, when it names none, those the key reaches (`None`:
/// every business of the company).
pub async fn optionally_listed_businesses(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
    field: &str,
    business_ids: &[String],
) -> Result<(CompanyOwner, Option<Vec<i64>>), Status> {
    if business_ids.is_empty() {
        let owner = company(conn, ids, principal, company_id).await?;
        return Ok((owner, business_subset(principal)));
    }
    let (owner, of_company) = company_with_businesses(conn, ids, principal, company_id).await?;
    let listed = businesses(
        conn,
        ids,
        principal,
        (owner, &of_company),
        field,
        business_ids,
    )
    .await?;
    Ok((owner, Some(listed)))
}

/// [`company`], also answering the IDs of the company's businesses (one statement for both),
/// for the lists that name businesses ([`businesses`]).
async fn company_with_businesses(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
) -> Result<(CompanyOwner, Vec<i64>), Status> {
    let (owner, business_ids) =
        company::store::owner_with_businesses(conn, requested_company(ids, company_id)?)
            .await?
            .ok_or_else(|| Status::not_found("company not found"))?;
    require(principal, owner, None)?;
    Ok((owner, business_ids))
}

/// Resolves a request's business (`field` names it in errors): INVALID_ARGUMENT when missing,
/// "invalid obfuscate" when malformed, NOT_FOUND, or code 7 for a business the key does not
/// reach.
pub async fn business(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    field: &str,
    business_id: &str,
) -> Result<BusinessScope, Status> {
    if business_id.trim().is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}: value is required"
        )));
    }
    let id = decode(ids, IdKind::Business, business_id)?;
    let owner = business::store::owner(conn, id)
        .await?
        .ok_or_else(|| Status::not_found(format!("{field}: business not found")))?;
    require(principal, owner, Some(id))?;
    Ok(BusinessScope {
        company_id: owner.company_id,
        business_id: id,
    })
}

/// A request's `companyId` and one business of it (`field`): [`company`], then [`business`];
/// a business of another company is code 7.
pub async fn company_business(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    company_id: Option<&str>,
    field: &str,
    business_id: &str,
) -> Result<BusinessScope, Status> {
    let owner = company(conn, ids, principal, company_id).await?;
    let scope = business(conn, ids, principal, field, business_id).await?;
    if scope.company_id != owner.company_id {
        return Err(Status::no_permission());
    }
    Ok(scope)
}

/// A request's `customerId`, a live customer of the scope's company: INVALID_ARGUMENT when
/// missing, "invalid obfuscate" when malformed, NOT_FOUND for no such customer of the company,
/// code 7 for a company the key does not reach.
pub async fn company_customer(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    scope: BusinessScope,
    customer_id: &str,
) -> Result<i64, Status> {
    if customer_id.trim().is_empty() {
        return Err(Status::invalid_argument("customerId: value is required"));
    }
    let id = decode(ids, IdKind::Customer, customer_id)?;
    let row = crate::customer::store::find(&mut *conn, id)
        .await?
        .filter(|row| !row.is_deleted())
        .ok_or_else(|| Status::not_found("customerId: customer not found"))?;
    check(conn, principal, &row).await?;
    if row.company_id != scope.company_id {
        return Err(Status::not_found("customerId: customer not found"));
    }
    Ok(id)
}

/// The businesses a list names (`field`, required non-empty, at most 1,000), each one of the
/// company's (`of_company`) and reached by the key: an unknown business is NOT_FOUND, another
/// company's or one beyond a restricted key code 7.
async fn businesses(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    principal: &MoegoPrincipal,
    (owner, of_company): (CompanyOwner, &[i64]),
    field: &str,
    references: &[String],
) -> Result<Vec<i64>, Status> {
    if references.is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}: value must contain at least 1 item"
        )));
    }
    crate::wire::check_max_items(field, references.len())?;
    let mut business_ids = Vec::with_capacity(references.len());
    for reference in references {
        let id = decode(ids, IdKind::Business, reference)?;
        if !of_company.contains(&id) {
            return Err(match business::store::owner(conn, id).await? {
                None => Status::not_found(format!("{field}: business not found")),
                Some(_) => Status::no_permission(),
            });
        }
        require(principal, owner, Some(id))?;
        business_ids.push(id);
    }
    Ok(business_ids)
}

/// The businesses a company-wide list may show a key: all of the company's, or those of a
/// key restricted to some (`None`: no restriction).
pub fn business_subset(principal: &MoegoPrincipal) -> Option<Vec<i64>> {
    principal.business_subset().map(<[i64]>::to_vec)
}
