//! The reports moapi computes: each one's ID, fields and default grouping, and which stored
//! rows make it (`Source`, read by the store). Every report is a table of dimensions (the
//! fields a request may group by: the day, the business, and the report's own) and of
//! measures, summed over the rows of each group.

use moapi_core::Status;

use super::wire::{Field, FieldType, Report};

/// Where a field's values come from in the store's finest-grained rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The local calendar day of the counted instant.
    Day,
    /// The business, by name.
    Business,
    /// The report's own dimension `n` (0 or 1), as text.
    Label(usize),
    /// Measure `n`, summed: a count, minutes, or an amount in nanos of its currency.
    Sum(usize),
}

#[derive(Debug)]
pub struct FieldDef {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldType,
    pub column: Column,
}

impl FieldDef {
    pub fn groupable(&self) -> bool {
        !matches!(self.column, Column::Sum(_))
    }

    pub fn to_wire(&self) -> Field {
        Field {
            label: self.label.to_string(),
            field_type: self.kind,
            key: self.key.to_string(),
            group_by_enable: self.groupable(),
        }
    }
}

/// The stored rows a report sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Sales,
    AppointmentsByStatus,
    RevenueByService,
    RevenueByStaff,
    NewCustomers,
    PackageAndMembershipSales,
}

#[derive(Debug)]
pub struct Definition {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub fields: &'static [FieldDef],
    /// What rows are grouped by when the request names no field.
    pub default_grouping: &'static [&'static str],
    pub source: Source,
}

impl Definition {
    pub fn to_wire(&self) -> Report {
        Report {
            id: self.id.to_string(),
            name: self.name.to_string(),
            description: self.description.to_string(),
            fields: self.fields.iter().map(FieldDef::to_wire).collect(),
        }
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|field| field.key == key)
    }
}

const fn field(
    key: &'static str,
    label: &'static str,
    kind: FieldType,
    column: Column,
) -> FieldDef {
    FieldDef {
        key,
        label,
        kind,
        column,
    }
}

const DATE: FieldDef = field("date", "Date", FieldType::Date, Column::Day);
const BUSINESS: FieldDef = field("business", "Business", FieldType::Text, Column::Business);

const fn money(key: &'static str, label: &'static str, measure: usize) -> FieldDef {
    field(key, label, FieldType::Money, Column::Sum(measure))
}

const fn number(key: &'static str, label: &'static str, measure: usize) -> FieldDef {
    field(key, label, FieldType::Number, Column::Sum(measure))
}

const fn text(key: &'static str, label: &'static str, dimension: usize) -> FieldDef {
    field(key, label, FieldType::Text, Column::Label(dimension))
}

/// Every report moapi computes, in the order `ListReports` answers them.
pub static REPORTS: &[Definition] = &[
    Definition {
        id: "rpt_sales_by_day",
        name: "Sales by day",
        description: "Orders sold each day (by their sales time, in the company's time zone), \
                      removed orders left out: how many, their subtotal, discounts, tax, tips \
                      and total, what was paid on them net of refunds, and what was refunded.",
        fields: &[
            DATE,
            BUSINESS,
            number("orders", "Orders", 0),
            money("gross_sales", "Gross sales", 1),
            money("discounts", "Discounts", 2),
            money("tax", "Tax", 3),
            money("tips", "Tips", 4),
            money("total_sales", "Total sales", 5),
            money("paid", "Paid (net of refunds)", 6),
            money("refunded", "Refunded", 7),
        ],
        default_grouping: &["date"],
        source: Source::Sales,
    },
    Definition {
        id: "rpt_appointments_by_status",
        name: "Appointments by status",
        description: "Appointments starting in the period (deleted ones left out) by status: \
                      how many, the services booked on them, their booked prices and their \
                      service minutes.",
        fields: &[
            DATE,
            BUSINESS,
            text("status", "Status", 0),
            number("appointments", "Appointments", 0),
            number("services", "Services", 1),
            money("booked_value", "Booked value", 2),
            field(
                "service_minutes",
                "Service minutes",
                FieldType::Duration,
                Column::Sum(3),
            ),
        ],
        default_grouping: &["status"],
        source: Source::AppointmentsByStatus,
    },
    Definition {
        id: "rpt_revenue_by_service",
        name: "Revenue by service",
        description: "Service lines of the orders sold in the period (removed orders left \
                      out), by the service's name on the line: the quantity sold and the \
                      revenue (unit price times quantity, before discounts and tax).",
        fields: &[
            DATE,
            BUSINESS,
            text("service", "Service", 0),
            number("quantity", "Quantity", 0),
            money("revenue", "Revenue", 1),
        ],
        default_grouping: &["service"],
        source: Source::RevenueByService,
    },
    Definition {
        id: "rpt_revenue_by_staff",
        name: "Revenue by staff",
        description: "Service lines of the orders sold in the period (removed orders left \
                      out), by the staff member of the appointment service each line bills \
                      (empty for lines no staff member served): the quantity and the revenue \
                      (unit price times quantity, before discounts and tax).",
        fields: &[
            DATE,
            BUSINESS,
            text("staff", "Staff", 0),
            number("quantity", "Quantity", 0),
            money("revenue", "Revenue", 1),
        ],
        default_grouping: &["staff"],
        source: Source::RevenueByStaff,
    },
    Definition {
        id: "rpt_new_customers",
        name: "New customers",
        description: "Customers created in the period (deleted ones left out), by the day \
                      they were created and their preferred business (empty when none).",
        fields: &[DATE, BUSINESS, number("new_customers", "New customers", 0)],
        default_grouping: &["date"],
        source: Source::NewCustomers,
    },
    Definition {
        id: "rpt_package_membership_sales",
        name: "Package and membership sales",
        description: "Packages sold (package lines of the orders sold in the period) and \
                      membership periods billed (the fee line of each period's order, sold at \
                      the period's start), removed orders left out, by kind (PACKAGE or \
                      MEMBERSHIP) and name: how many and for how much (before tax).",
        fields: &[
            DATE,
            BUSINESS,
            text("kind", "Kind", 0),
            text("item", "Package or membership", 1),
            number("sold", "Sold", 0),
            money("amount", "Amount", 1),
        ],
        default_grouping: &["kind", "item"],
        source: Source::PackageAndMembershipSales,
    },
];

/// The report `condition.id` names: INVALID_ARGUMENT when missing, NOT_FOUND when unknown.
pub fn find(id: &str) -> Result<&'static Definition, Status> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Status::invalid_argument("condition.id: value is required"));
    }
    REPORTS
        .iter()
        .find(|report| report.id == id)
        .ok_or_else(|| Status::not_found(format!("condition.id: report {id:?} not found")))
}
