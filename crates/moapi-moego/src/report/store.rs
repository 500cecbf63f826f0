//! The reports' reads: one aggregate statement per report over one index range of the
//! period, summing live rows by local day (its index worked out from the counted instant by
//! arithmetic, see `input::Calendar`), business, the report's own dimensions and currency.
//! Amounts are summed as integer nanos: each stored decimal is read as a double and rounded
//! to its nanos (exact for amounts under 2^20 units, far beyond any one line or order), so
//! sums are exact integers on both databases, where SQLite has no exact decimal type.

use moapi_core::Status;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::definitions::Source;
use super::input::{Calendar, MICROS_PER_DAY};

/// One group of the finest grain a report's statement answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Index of the day in the period's days.
    pub day: usize,
    /// 0 for customers without a preferred business.
    pub business_id: i64,
    pub labels: [String; 2],
    /// '' where nothing counted carries an amount.
    pub currency: String,
    pub sums: Vec<i64>,
}

/// What a report covers.
pub struct Scope<'a> {
    pub company_id: i64,
    /// The businesses whose rows count; never empty for reports of business rows.
    pub business_ids: &'a [i64],
    /// Whether the request (or the key) limited the report to `business_ids`; customers,
    /// company-wide rows, then count only those preferring one of them.
    pub limited: bool,
    pub calendar: &'a Calendar,
}

/// The businesses a report may show, by ID, with their names: the company's, or those of
/// `subset`.
pub async fn businesses(
    conn: &mut AnyConnection,
    company_id: i64,
    subset: Option<&[i64]>,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM moego_businesses WHERE company_id = $1 ORDER BY id")
            .bind(company_id)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter(|(id, _)| subset.is_none_or(|subset| subset.contains(id)))
        .collect())
}

/// A stored decimal as integer nanos (see the module's note).
fn nanos(column: &str) -> String {
    format!("CAST(ROUND(CAST({column} AS DOUBLE PRECISION) * 1000000000) AS BIGINT)")
}

fn sum(expression: &str) -> String {
    format!("CAST(COALESCE(SUM({expression}), 0) AS BIGINT)")
}

/// Parameters in order, with the placeholders that name them.
struct Binds(Vec<i64>);

impl Binds {
    fn push(&mut self, value: i64) -> String {
        self.0.push(value);
        format!("${}", self.0.len())
    }

    fn list(&mut self, values: &[i64]) -> String {
        values
            .iter()
            .map(|value| self.push(*value))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The index of `column`'s local day (see [`Calendar`]).
fn day_of(binds: &mut Binds, calendar: &Calendar, column: &str) -> String {
    let day = binds.push(MICROS_PER_DAY);
    let Some(((_, last_shift), earlier)) = calendar.stretches.split_last() else {
        return "0".to_string();
    };
    let mut cases = String::new();
    for (index, (_, shift)) in earlier.iter().enumerate() {
        let until = binds.push(calendar.stretches[index + 1].0);
        let shift = binds.push(*shift);
        cases.push_str(&format!(
            "WHEN {column} < {until} THEN ({column} + {shift}) / {day} "
        ));
    }
    let last = format!("({column} + {}) / {day}", binds.push(*last_shift));
    match cases.is_empty() {
        true => last,
        false => format!("CASE {cases}ELSE {last} END"),
    }
}

/// `column` within the period.
fn within(binds: &mut Binds, calendar: &Calendar, column: &str) -> String {
    format!(
        "{column} >= {} AND {column} < {}",
        binds.push(calendar.start),
        binds.push(calendar.end)
    )
}

/// Orders sold in the period at the businesses (`o`), with what `joins` adds.
fn sold_orders(joins: &str, businesses: &str, period: &str) -> String {
    format!(
        "FROM moego_orders o {joins} WHERE o.business_id IN ({businesses}) AND {period} \
         AND o.status <> 'REMOVED'"
    )
}

/// The report's statement over `scope`, with its parameters.
fn statement(source: Source, scope: &Scope) -> (String, Vec<i64>) {
    let mut binds = Binds(Vec::new());
    let calendar = scope.calendar;
    // Customers of a report not limited to businesses count whatever they prefer.
    let businesses = match (source, scope.limited) {
        (Source::NewCustomers, false) => String::new(),
        _ => binds.list(scope.business_ids),
    };
    let line_revenue = sum(&format!("{} * li.quantity", nanos("li.unit_price")));
    let quantity = sum("li.quantity");
    let lines = "JOIN moego_order_line_items li ON li.order_id = o.id";
    let sql = match source {
        Source::Sales => {
            let day = day_of(&mut binds, calendar, "o.sales_at");
            let period = within(&mut binds, calendar, "o.sales_at");
            format!(
                "SELECT {day} AS bucket, o.business_id, '' AS label0, '' AS label1, \
                 o.currency_code, COUNT(*), {}, {}, {}, {}, {}, {}, {} {} \
                 GROUP BY bucket, o.business_id, o.currency_code",
                sum(&nanos("o.sub_total")),
                sum(&nanos("o.discount_amount")),
                sum(&nanos("o.tax_amount")),
                sum(&nanos("o.tips_amount")),
                sum(&nanos("o.total_amount")),
                sum(&format!(
                    "{} - {}",
                    nanos("o.paid_amount"),
                    nanos("o.refunded_amount")
                )),
                sum(&nanos("o.refunded_amount")),
                sold_orders("", &businesses, &period),
            )
        }
        Source::AppointmentsByStatus => {
            let day = day_of(&mut binds, calendar, "a.start_at");
            let period = within(&mut binds, calendar, "a.start_at");
            format!(
                "SELECT {day} AS bucket, a.business_id, a.status AS label0, '' AS label1, \
                 COALESCE(p.currency_code, bs.currency_code, 'USD') AS currency_code, \
                 COUNT(DISTINCT a.id), COUNT(p.id), {}, {} \
                 FROM moego_appointments a \
                 LEFT JOIN moego_pet_service_details p ON p.appointment_id = a.id \
                 LEFT JOIN moego_business_settings bs ON bs.business_id = a.business_id \
                 WHERE a.business_id IN ({businesses}) AND {period} AND a.deleted = 0 \
                 GROUP BY bucket, a.business_id, a.status, p.currency_code, bs.currency_code",
                sum(&nanos("p.price")),
                sum("p.duration_minutes"),
            )
        }
        Source::RevenueByService => {
            let day = day_of(&mut binds, calendar, "o.sales_at");
            let period = within(&mut binds, calendar, "o.sales_at");
            format!(
                "SELECT {day} AS bucket, o.business_id, li.name AS label0, '' AS label1, \
                 o.currency_code, {quantity}, {line_revenue} {} \
                 AND li.object_type = 'SERVICE' \
                 GROUP BY bucket, o.business_id, li.name, o.currency_code",
                sold_orders(lines, &businesses, &period),
            )
        }
        Source::RevenueByStaff => {
            let day = day_of(&mut binds, calendar, "o.sales_at");
            let period = within(&mut binds, calendar, "o.sales_at");
            let joins = format!(
                "{lines} LEFT JOIN moego_pet_service_details p ON p.id = li.pet_detail_id \
                 LEFT JOIN moego_staff st ON st.id = p.staff_id"
            );
            format!(
                "SELECT {day} AS bucket, o.business_id, \
                 COALESCE(TRIM(st.first_name || ' ' || st.last_name), '') AS label0, \
                 '' AS label1, o.currency_code, {quantity}, {line_revenue} {} \
                 AND li.object_type = 'SERVICE' \
                 GROUP BY bucket, o.business_id, st.id, st.first_name, st.last_name, \
                 o.currency_code",
                sold_orders(&joins, &businesses, &period),
            )
        }
        Source::NewCustomers => {
            let company = binds.push(scope.company_id);
            let day = day_of(&mut binds, calendar, "c.created_at");
            let period = within(&mut binds, calendar, "c.created_at");
            let preferred = match scope.limited {
                true => format!("AND c.preferred_business_id IN ({businesses})"),
                false => String::new(),
            };
            format!(
                "SELECT {day} AS bucket, COALESCE(c.preferred_business_id, 0), '' AS label0, \
                 '' AS label1, '' AS currency_code, COUNT(*) FROM moego_customers c \
                 WHERE c.company_id = {company} AND {period} AND c.deleted = 0 {preferred} \
                 GROUP BY bucket, c.preferred_business_id"
            )
        }
        Source::PackageAndMembershipSales => {
            let day = day_of(&mut binds, calendar, "o.sales_at");
            let period = within(&mut binds, calendar, "o.sales_at");
            let bills = format!(
                "JOIN moego_subscription_bills b ON b.order_id = o.id \
                 JOIN moego_subscriptions su ON su.id = b.subscription_id \
                 JOIN moego_memberships m ON m.id = su.membership_id {lines}"
            );
            format!(
                "SELECT {day} AS bucket, o.business_id, 'PACKAGE' AS label0, li.name AS label1, \
                 o.currency_code, {quantity}, {line_revenue} {} \
                 AND li.object_type = 'PACKAGE' \
                 GROUP BY bucket, o.business_id, li.name, o.currency_code \
                 UNION ALL \
                 SELECT {day} AS bucket, o.business_id, 'MEMBERSHIP', m.name, o.currency_code, \
                 {quantity}, {line_revenue} {} \
                 GROUP BY bucket, o.business_id, m.id, m.name, o.currency_code",
                sold_orders(lines, &businesses, &period),
                sold_orders(&bills, &businesses, &period),
            )
        }
    };
    (sql, binds.0)
}

fn cell(row: &AnyRow, measures: usize) -> Result<Cell, sqlx::Error> {
    let day: i64 = row.try_get(0)?;
    Ok(Cell {
        day: usize::try_from(day).map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
        business_id: row.try_get(1)?,
        labels: [row.try_get(2)?, row.try_get(3)?],
        currency: row.try_get(4)?,
        sums: (5..5 + measures)
            .map(|index| row.try_get(index))
            .collect::<Result<_, _>>()?,
    })
}

/// The report's groups of the finest grain over `scope`, each with its `measures` sums.
pub async fn cells(
    conn: &mut AnyConnection,
    source: Source,
    scope: &Scope<'_>,
    measures: usize,
) -> Result<Vec<Cell>, Status> {
    let unlimited_customers = source == Source::NewCustomers && !scope.limited;
    if scope.calendar.start == scope.calendar.end
        || (scope.business_ids.is_empty() && !unlimited_customers)
    {
        return Ok(Vec::new());
    }
    let (sql, binds) = statement(source, scope);
    let rows = binds
        .into_iter()
        .fold(sqlx::query(&sql), |query, value| query.bind(value))
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(|row| cell(row, measures))
        .collect::<Result<_, _>>()?)
}
