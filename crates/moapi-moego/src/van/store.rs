//! Vans and their staff assignments in SQL. An assignment row holds a van's staff from its
//! `effective_date` (`YYYY-MM-DD` text, which sorts as dates do) until the van's next
//! assignment, so the staff of a van on a day are those of its latest assignment on or before
//! that day.

use moapi_core::{IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::wire::{AssignedStaff, Van, VanStaffRecord};
use crate::access::{BusinessScope, Owned};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VanRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub display_name: String,
    pub license_plate: String,
}

/// Vans belong to a business: a key restricted to other businesses does not reach them.
impl Owned for VanRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

/// A staff member on a van's assignment, in the order they were assigned.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignedRow {
    pub van_id: i64,
    pub staff_id: i64,
    pub first_name: String,
    pub last_name: String,
}

impl AssignedRow {
    fn to_wire(&self, ids: &IdCodec) -> AssignedStaff {
        AssignedStaff {
            id: ids.encode(IdKind::Staff, self.staff_id),
            raw_id: self.staff_id,
            name: format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
        }
    }
}

/// The staff of one van among the assignment rows of several.
fn staff_of(ids: &IdCodec, van_id: i64, assigned: &[AssignedRow]) -> Vec<AssignedStaff> {
    assigned
        .iter()
        .filter(|row| row.van_id == van_id)
        .map(|row| row.to_wire(ids))
        .collect()
}

impl VanRow {
    /// The van with its staff of today (`assigned`: rows of several vans).
    pub fn to_wire(&self, ids: &IdCodec, assigned: &[AssignedRow]) -> Van {
        Van {
            id: ids.encode(IdKind::Van, self.id),
            raw_id: self.id,
            company_id: ids.encode(IdKind::Company, self.company_id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            display_name: self.display_name.clone(),
            license_plate: self.license_plate.clone(),
            assigned_staffs: staff_of(ids, self.id, assigned),
        }
    }

    /// The van's staff on `date` (`assigned`: rows of several vans on that date).
    pub fn to_record(&self, ids: &IdCodec, date: &str, assigned: &[AssignedRow]) -> VanStaffRecord {
        VanStaffRecord {
            van_id: ids.encode(IdKind::Van, self.id),
            van_raw_id: self.id,
            business_id: ids.encode(IdKind::Business, self.business_id),
            date: date.to_string(),
            assigned_staffs: staff_of(ids, self.id, assigned),
        }
    }
}

const COLUMNS: &str = "id, company_id, business_id, display_name, license_plate";

/// `$first, $first+1, ...`: the placeholders of an `IN` list of `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A page of a company's live vans, at `business_ids` when given, by ID (one row more, see
/// `Page::finish`).
pub async fn list(
    conn: &mut AnyConnection,
    company_id: i64,
    business_ids: Option<&[i64]>,
    page: moapi_core::pagination::Page,
) -> Result<Vec<VanRow>, sqlx::Error> {
    let at_businesses = match business_ids {
        Some(ids) => format!("AND business_id IN ({})", placeholders(4, ids.len())),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM moego_vans WHERE company_id = $1 AND deleted = 0 {at_businesses} \
         ORDER BY id LIMIT $2 OFFSET $3"
    );
    let mut query = sqlx::query_as(&sql)
        .bind(company_id)
        .bind(page.fetch_limit())
        .bind(page.offset());
    for id in business_ids.unwrap_or_default() {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// The vans of `ids`, deleted ones too (their history stays readable), by ID.
pub async fn find_all(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<VanRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM moego_vans WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// The staff of each of `van_ids` on `date`: those of each van's latest assignment on or
/// before it, by van, in the order they were assigned.
pub async fn staff_on(
    conn: &mut AnyConnection,
    van_ids: &[i64],
    date: &str,
) -> Result<Vec<AssignedRow>, sqlx::Error> {
    if van_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT a.van_id, s.id AS staff_id, s.first_name, s.last_name \
         FROM moego_van_assignments a \
         JOIN moego_van_assignment_staff x ON x.assignment_id = a.id \
         JOIN moego_staff s ON s.id = x.staff_id \
         WHERE a.van_id IN ({}) AND a.effective_date = (SELECT MAX(b.effective_date) \
         FROM moego_van_assignments b WHERE b.van_id = a.van_id AND b.effective_date <= $1) \
         ORDER BY a.van_id, x.position",
        placeholders(2, van_ids.len())
    );
    let mut query = sqlx::query_as(&sql).bind(date);
    for id in van_ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// Creates a van of a business at `at`; returns it.
pub async fn insert(
    conn: &mut AnyConnection,
    business: BusinessScope,
    display_name: &str,
    license_plate: &str,
    at: i64,
) -> Result<VanRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO moego_vans (company_id, business_id, display_name, license_plate, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    ))
    .bind(business.company_id)
    .bind(business.business_id)
    .bind(display_name)
    .bind(license_plate)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// Renames a live van and sets its plate; `None` when there is no such live van.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    display_name: &str,
    license_plate: &str,
    at: i64,
) -> Result<Option<VanRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE moego_vans SET display_name = $2, license_plate = $3, updated_at = $4 \
         WHERE id = $1 AND deleted = 0 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(display_name)
    .bind(license_plate)
    .bind(at)
    .fetch_optional(conn)
    .await
}

/// Deletes a live van; false when there is no such live van.
pub async fn delete(conn: &mut AnyConnection, id: i64, at: i64) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query(
        "UPDATE moego_vans SET deleted = 1, updated_at = $2 WHERE id = $1 AND deleted = 0",
    )
    .bind(id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(deleted.rows_affected() > 0)
}

/// A live van, its row locked for the rest of the transaction (a write on it); `None` when
/// there is no such live van.
pub async fn lock_live(
    conn: &mut AnyConnection,
    id: i64,
    at: i64,
) -> Result<Option<VanRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE moego_vans SET updated_at = $2 WHERE id = $1 AND deleted = 0 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(at)
    .fetch_optional(conn)
    .await
}

/// Locks the staff rows for the rest of the transaction, so that assignments of one staff
/// member to two vans take turns (PostgreSQL; SQLite has one writer).
pub async fn lock_staff(conn: &mut AnyConnection, staff_ids: &[i64]) -> Result<(), sqlx::Error> {
    if staff_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE moego_staff SET updated_at = updated_at WHERE id IN ({})",
        placeholders(1, staff_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in staff_ids {
        query = query.bind(*id);
    }
    query.execute(conn).await?;
    Ok(())
}

/// The van's first assignment after `date`, which ends one made for `date`.
pub async fn next_date(
    conn: &mut AnyConnection,
    van_id: i64,
    date: &str,
) -> Result<Option<String>, sqlx::Error> {
    let (next,): (Option<String>,) = sqlx::query_as(
        "SELECT MIN(effective_date) FROM moego_van_assignments \
         WHERE van_id = $1 AND effective_date > $2",
    )
    .bind(van_id)
    .bind(date)
    .fetch_one(conn)
    .await?;
    Ok(next)
}

/// A staff member of `staff_ids` on another live van of the company on some day from `from`
/// until `until` (exclusive; `None`: no end): the staff member, that van's name and the
/// first such day.
pub struct Clash {
    pub staff_id: i64,
    pub van_name: String,
    pub date: String,
}

/// The first [`Clash`], if any. Another van's assignment holds from its date until that van's
/// next one, so it overlaps the days from `from` to `until` when it starts before `until` and
/// the van has no later assignment on or before `from`.
pub async fn clash(
    conn: &mut AnyConnection,
    van: &VanRow,
    staff_ids: &[i64],
    (from, until): (&str, Option<&str>),
) -> Result<Option<Clash>, sqlx::Error> {
    if staff_ids.is_empty() {
        return Ok(None);
    }
    let (before_until, first_staff) = match until {
        Some(_) => ("AND a.effective_date < $4", 5),
        None => ("", 4),
    };
    let sql = format!(
        "SELECT x.staff_id, v.display_name, a.effective_date FROM moego_van_assignments a \
         JOIN moego_vans v ON v.id = a.van_id \
         JOIN moego_van_assignment_staff x ON x.assignment_id = a.id \
         WHERE v.company_id = $1 AND v.deleted = 0 AND a.van_id <> $2 {before_until} \
         AND NOT EXISTS (SELECT 1 FROM moego_van_assignments b WHERE b.van_id = a.van_id \
         AND b.effective_date > a.effective_date AND b.effective_date <= $3) \
         AND x.staff_id IN ({}) ORDER BY a.effective_date, x.staff_id LIMIT 1",
        placeholders(first_staff, staff_ids.len())
    );
    let mut query = sqlx::query_as(&sql)
        .bind(van.company_id)
        .bind(van.id)
        .bind(from);
    if let Some(until) = until {
        query = query.bind(until);
    }
    for id in staff_ids {
        query = query.bind(*id);
    }
    let found: Option<(i64, String, String)> = query.fetch_optional(conn).await?;
    Ok(found.map(|(staff_id, van_name, starts)| Clash {
        staff_id,
        van_name,
        date: starts.max(from.to_string()),
    }))
}

/// Makes `staff_ids` the van's staff from `date` on, replacing an assignment of that date.
pub async fn replace_assignment(
    conn: &mut AnyConnection,
    van_id: i64,
    date: &str,
    staff_ids: &[i64],
    at: i64,
) -> Result<(), Status> {
    let (assignment_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_van_assignments (van_id, effective_date, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) ON CONFLICT (van_id, effective_date) \
         DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
    )
    .bind(van_id)
    .bind(date)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM moego_van_assignment_staff WHERE assignment_id = $1")
        .bind(assignment_id)
        .execute(&mut *conn)
        .await?;
    for (position, staff_id) in staff_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO moego_van_assignment_staff (assignment_id, staff_id, position) \
             VALUES ($1, $2, $3)",
        )
        .bind(assignment_id)
        .bind(*staff_id)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
