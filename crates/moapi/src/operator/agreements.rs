//! Operator verbs for agreements (what a business writes in the vendor's app): creating a
//! company's agreement, editing it (optionally requiring everyone to sign again), deleting it,
//! and reading its records with their signatures; and the fixture section `agreements`, whose
//! signatures go through the same sign links and the same signing as a customer's.

use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};
use moapi_moego::agreement::input::{self, AgreementText, AgreementValues};
use moapi_moego::agreement::{self, store};
use moapi_moego::company::store::CompanyRow;
use serde::{Deserialize, Serialize};

use super::bookings::{full_name, Names, SeedCalendar};
use super::{
    from_status, invalid, resolve_businesses, resolve_company, resolve_id, OperatorError, Result,
};
use crate::fixtures::MoegoCompany;

/// An agreement as created and edited. `businessIds` (`bus_` IDs or raw numbers) are those it
/// applies at, the first being its `businessId`; none: every business of the company.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgreementRequest {
    pub title: String,
    pub content: String,
    pub signed_policy: String,
    #[serde(default)]
    pub sms_template: String,
    #[serde(default)]
    pub email_template_title: String,
    #[serde(default)]
    pub email_template_body: String,
    #[serde(default)]
    pub business_ids: Vec<String>,
    /// The staff member who wrote it (`stf_` ID or raw number), creation only.
    #[serde(default)]
    pub creator_id: Option<String>,
    /// On an edit: earlier signatures no longer count (`lastRequiredTime` becomes now).
    #[serde(default)]
    pub require_signing_again: bool,
}

/// An agreement record as operators read it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementRecord {
    pub agreement_record_id: String,
    pub customer_id: String,
    pub business_id: String,
    pub signed_status: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub signature: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_time: Option<String>,
    pub created_time: String,
}

async fn values_of(
    state: &AppState,
    db: &mut Conn,
    company_id: i64,
    request: &AgreementRequest,
) -> Result<AgreementValues> {
    let business_ids = resolve_businesses(state, db, company_id, &request.business_ids).await?;
    input::agreement_values(
        AgreementText {
            signed_policy: &request.signed_policy,
            title: &request.title,
            content: &request.content,
            sms_template: &request.sms_template,
            email_template_title: &request.email_template_title,
            email_template_body: &request.email_template_body,
        },
        business_ids,
    )
    .map_err(from_status)
}

/// A staff member of the company (`stf_` ID or raw number).
async fn creator_of(
    state: &AppState,
    db: &mut Conn,
    company_id: i64,
    reference: Option<&str>,
) -> Result<Option<i64>> {
    let Some(reference) = reference else {
        return Ok(None);
    };
    let id = resolve_id(state, IdKind::Staff, reference)?;
    match moapi_moego::staff::store::find(db.get().await?, id).await? {
        Some(staff) if staff.company_id == company_id => Ok(Some(id)),
        _ => invalid(format!(
            "creatorId: {reference} is no staff member of the company"
        )),
    }
}

/// Creates an agreement of a company (`cmp_` ID or raw number) at `at`; returns its `agr_` ID.
pub async fn create_agreement(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &AgreementRequest,
    at: i64,
) -> Result<String> {
    let company = resolve_company(state, db, company).await?;
    let values = values_of(state, db, company.id, request).await?;
    let creator = creator_of(state, db, company.id, request.creator_id.as_deref()).await?;
    let id = agreement::create(db, company.id, creator, &values, at)
        .await
        .map_err(from_status)?;
    Ok(state.ids.encode(IdKind::Agreement, id))
}

/// The live agreement an operator names, with its company.
async fn live_agreement(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
) -> Result<store::AgreementRow> {
    let id = resolve_id(state, IdKind::Agreement, reference)?;
    store::find(db.get().await?, id)
        .await?
        .filter(store::AgreementRow::is_live)
        .ok_or_else(|| OperatorError::NotFound(format!("agreement {reference} not found")))
}

/// Replaces a live agreement's values (its creator stays).
pub async fn edit_agreement(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
    request: &AgreementRequest,
    at: i64,
) -> Result<String> {
    let current = live_agreement(state, db, reference).await?;
    let values = values_of(state, db, current.company_id, request).await?;
    agreement::edit(db, current.id, &values, request.require_signing_again, at)
        .await
        .map_err(from_status)?;
    Ok(state.ids.encode(IdKind::Agreement, current.id))
}

/// Deletes a live agreement: it leaves the list and takes no new signatures.
pub async fn delete_agreement(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
    at: i64,
) -> Result<()> {
    let id = resolve_id(state, IdKind::Agreement, reference)?;
    agreement::delete(db, id, at).await.map_err(from_status)
}

/// An agreement's records (deleted agreements' too), newest first.
pub async fn agreement_records(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
) -> Result<Vec<AgreementRecord>> {
    let id = resolve_id(state, IdKind::Agreement, reference)?;
    let conn = db.get().await?;
    if store::find(&mut *conn, id).await?.is_none() {
        return Err(OperatorError::NotFound(format!(
            "agreement {reference} not found"
        )));
    }
    let ids = &state.ids;
    Ok(store::records_of(conn, id)
        .await?
        .into_iter()
        .map(|record| AgreementRecord {
            agreement_record_id: ids.encode(IdKind::AgreementRecord, record.id),
            customer_id: ids.encode(IdKind::Customer, record.customer_id),
            business_id: ids.encode(IdKind::Business, record.business_id),
            signed_status: if record.is_signed() {
                "SIGNED"
            } else {
                "UNSIGNED"
            },
            signed_time: record.signed_at.map(moapi_core::time::protojson_timestamp),
            signature: record.signature,
            created_time: moapi_core::time::protojson_timestamp(record.created_at),
        })
        .collect())
}

/// A fixture agreement: businesses by name (none: all), its creator by "First Last", and the
/// customers it was sent to.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureAgreement {
    pub title: String,
    pub content: String,
    pub signed_policy: String,
    #[serde(default)]
    pub sms_template: String,
    #[serde(default)]
    pub email_template_title: String,
    #[serde(default)]
    pub email_template_body: String,
    #[serde(default)]
    pub businesses: Vec<String>,
    #[serde(default)]
    pub creator: Option<String>,
    #[serde(default)]
    pub sent_to: Vec<FixtureSignature>,
}

/// A sign link made for a customer ("First Last") at a business (by name); `signedAs`, when
/// given, is the name they signed with, else the link waits unsigned.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureSignature {
    pub customer: String,
    pub business: String,
    #[serde(default)]
    pub signed_as: Option<String>,
}

fn text_of(fixture: &FixtureAgreement) -> AgreementText<'_> {
    AgreementText {
        signed_policy: &fixture.signed_policy,
        title: &fixture.title,
        content: &fixture.content,
        sms_template: &fixture.sms_template,
        email_template_title: &fixture.email_template_title,
        email_template_body: &fixture.email_template_body,
    }
}

/// Checks the `agreements` section before anything is written: valid values, known
/// businesses and customers, signatures at businesses the agreement applies to.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    for (index, fixture) in company.agreements.iter().enumerate() {
        let what = format!("company {:?}: agreements[{index}]", company.name);
        let fail = |message: String| invalid(format!("{what}: {message}"));
        if let Err(status) = input::agreement_values(text_of(fixture), Vec::new()) {
            return fail(status.message().to_string());
        }
        let known = |name: &String| company.businesses.iter().any(|b| &b.name == name);
        if let Some(unknown) = fixture.businesses.iter().find(|name| !known(name)) {
            return fail(format!("unknown business {unknown:?}"));
        }
        for signature in &fixture.sent_to {
            let applies =
                fixture.businesses.is_empty() || fixture.businesses.contains(&signature.business);
            if !known(&signature.business) || !applies {
                return fail(format!(
                    "sentTo: the agreement does not apply at {:?}",
                    signature.business
                ));
            }
            let is_customer = company.customers.iter().any(|customer| {
                full_name(&customer.first_name, &customer.last_name) == signature.customer.trim()
            });
            if !is_customer {
                return fail(format!("sentTo: unknown customer {:?}", signature.customer));
            }
            if let Some(name) = &signature.signed_as {
                if let Some(problem) = input::signature_problem(name, true) {
                    return fail(format!("sentTo: signedAs: {problem}"));
                }
            }
        }
    }
    Ok(())
}

/// Seeds the company's agreements and their records, stamped at the seed's instant.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company_row: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.agreements.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company_row.id).await?;
    let calendar = SeedCalendar::in_zone(moapi_moego::company::time_zone(&company_row.timezone_id));
    for (index, fixture_agreement) in fixture.agreements.iter().enumerate() {
        let context = |err: OperatorError| err.in_fixture(&fixture.name, "agreements", index);
        let business_ids = fixture_agreement
            .businesses
            .iter()
            .map(|name| names.business_id(name))
            .collect::<Result<Vec<i64>>>()
            .map_err(context)?;
        let values = input::agreement_values(text_of(fixture_agreement), business_ids)
            .map_err(from_status)
            .map_err(context)?;
        let creator = fixture_agreement
            .creator
            .as_deref()
            .map(|name| names.staff_id(name))
            .transpose()
            .map_err(context)?;
        let agreement_id = agreement::create(db, company_row.id, creator, &values, calendar.now)
            .await
            .map_err(from_status)
            .map_err(context)?;
        for signature in &fixture_agreement.sent_to {
            let business = moapi_moego::access::BusinessScope {
                company_id: company_row.id,
                business_id: names.business_id(&signature.business).map_err(context)?,
            };
            let customer_id = names.customer_id(&signature.customer).map_err(context)?;
            let record_id =
                agreement::record_to_sign(db, agreement_id, business, customer_id, calendar.now)
                    .await
                    .map_err(from_status)
                    .map_err(context)?;
            if let Some(name) = &signature.signed_as {
                agreement::sign(db, record_id, name, calendar.now)
                    .await
                    .map_err(from_status)
                    .map_err(context)?;
            }
        }
    }
    Ok(())
}
