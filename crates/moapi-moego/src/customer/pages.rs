//! The HTML of the pages customers open from signed links. Each page is one self-contained
//! document (inline CSS, no scripts, fonts or images from elsewhere) that reads on a phone and
//! on a desktop. Everything that came from a database or a form is escaped.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::card::{CardError, CardForm};
use super::store::CardRow;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;background:#f4f5f7;color:#1f2430}\
main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem}\
.card{background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1.5rem}\
h1{font-size:1.4rem;margin:0 0 .25rem}\
p.sub{color:#5b6170;margin:0 0 1.25rem}\
label{display:block;font-weight:600;margin:.9rem 0 .3rem}\
input,textarea{width:100%;font:inherit;padding:.65rem .75rem;border:1px solid #c4c8d0;border-radius:8px}\
input:focus,textarea:focus{outline:2px solid #2f6fed;border-color:#2f6fed}\
.row{display:flex;gap:.75rem}.row>div{flex:1}\
button{margin-top:1.25rem;width:100%;font:inherit;font-weight:600;padding:.8rem;border:0;border-radius:8px;background:#2f6fed;color:#fff;cursor:pointer}\
.error{background:#fdecec;color:#a61b1b;border-radius:8px;padding:.75rem;margin:0 0 1rem}\
.ok{background:#e8f6ee;color:#1d6b3c;border-radius:8px;padding:.75rem;margin:0 0 1rem}\
ul{list-style:none;padding:0;margin:0}li{padding:.75rem 0;border-bottom:1px solid #eceef2}li:last-child{border:0}\
.muted{color:#5b6170}.note{font-size:.85rem;color:#5b6170;margin-top:1rem}\
fieldset{border:0;padding:0;margin:0}legend{font-weight:600;margin:.9rem 0 .3rem}\
label.option{display:flex;gap:.6rem;align-items:flex-start;font-weight:400;margin:.4rem 0;padding:.6rem .75rem;border:1px solid #c4c8d0;border-radius:8px;cursor:pointer}\
label.option input{width:auto;margin-top:.3rem}select{width:100%;font:inherit;padding:.6rem;border:1px solid #c4c8d0;border-radius:8px;background:#fff}\
.steps{font-size:.8rem;color:#5b6170;margin:0 0 .5rem}a{color:#2f6fed}button.secondary{background:#eceef2;color:#1f2430}\
@media (min-width:48rem){main{padding-top:4rem}}";

/// A complete page around `body`.
pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title><style>{STYLE}</style></head>\
         <body><main><div class=\"card\">{body}</div></main></body></html>",
        escape(title)
    )
}

/// A page as the answer: never cached, since each shows one visitor's state.
pub fn respond(status: StatusCode, html: String) -> Response {
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Html(html),
    )
        .into_response()
}

/// A page that explains why the request cannot be honoured.
pub fn refusal(status: StatusCode, title: &str, message: &str) -> Response {
    respond(status, error_page(title, message))
}

/// The page for a form whose body stopped arriving before it was complete (`what` names what
/// it carried); `None` for any other form.
pub fn stalled_form<T>(
    form: &Result<T, axum::extract::rejection::FormRejection>,
    what: &str,
) -> Option<Response> {
    match form {
        Err(rejection) if moapi_core::wire::body_timed_out(rejection) => Some(refusal(
            StatusCode::REQUEST_TIMEOUT,
            "The form did not arrive",
            &format!("{what} stopped arriving before they were complete. Send the form again."),
        )),
        _ => None,
    }
}

/// The page for a failure of moapi's own, logged.
pub fn failure(err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, "page failed");
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The page could not be shown. Please try again in a moment.",
    )
}

/// The page shown for a link that cannot be honoured (tampered, expired, gone).
pub fn error_page(title: &str, message: &str) -> String {
    layout(
        title,
        &format!(
            "<h1>{}</h1><p class=\"sub\">{}</p>",
            escape(title),
            escape(message)
        ),
    )
}

fn card_list(cards: &[CardRow]) -> String {
    if cards.is_empty() {
        return String::new();
    }
    let items: String = cards
        .iter()
        .map(|card| {
            format!(
                "<li>{} ending in {} <span class=\"muted\">· expires {:02}/{}</span></li>",
                escape(&card.brand),
                escape(&card.last4),
                card.exp_month,
                card.exp_year
            )
        })
        .collect();
    format!(
        "<h2 style=\"font-size:1.05rem;margin:1.5rem 0 .25rem\">Cards on file</h2><ul>{items}</ul>"
    )
}

/// What the card-on-file page shows around its form.
pub struct CardPage<'a> {
    pub customer_name: &'a str,
    pub company_name: &'a str,
    /// The form's action: this page's own signed URL.
    pub action: &'a str,
    pub cards: &'a [CardRow],
    /// The values to put back and the problem to show after a refused submission.
    pub refused: Option<(&'a CardForm, &'a CardError)>,
    /// The confirmation after a card was saved.
    pub saved: Option<&'a str>,
}

pub fn card_on_file(page: &CardPage<'_>) -> String {
    let empty = CardForm::default();
    let (values, problem) = match page.refused {
        Some((form, error)) => (form, Some(error)),
        None => (&empty, None),
    };
    let banner = match (problem, page.saved) {
        (Some(error), _) => format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(&error.message)
        ),
        (None, Some(saved)) => format!("<p class=\"ok\" role=\"status\">{}</p>", escape(saved)),
        (None, None) => String::new(),
    };
    let invalid = |field: &str| {
        if problem.is_some_and(|error| error.field == field) {
            " aria-invalid=\"true\" autofocus"
        } else {
            ""
        }
    };
    let body = format!(
        "<h1>Add a card</h1>\
         <p class=\"sub\">{customer}, save a card with {company} for your future visits.</p>\
         {banner}\
         <form method=\"post\" action=\"{action}\" autocomplete=\"on\">\
         <label for=\"cardholder\">Name on card</label>\
         <input id=\"cardholder\" name=\"cardholder\" autocomplete=\"cc-name\" required value=\"{cardholder}\"{cardholder_invalid}>\
         <label for=\"number\">Card number</label>\
         <input id=\"number\" name=\"number\" inputmode=\"numeric\" autocomplete=\"cc-number\" required placeholder=\"4242 4242 4242 4242\"{number_invalid}>\
         <div class=\"row\"><div><label for=\"exp_month\">Month</label>\
         <input id=\"exp_month\" name=\"exp_month\" inputmode=\"numeric\" autocomplete=\"cc-exp-month\" required placeholder=\"MM\" value=\"{month}\"{month_invalid}></div>\
         <div><label for=\"exp_year\">Year</label>\
         <input id=\"exp_year\" name=\"exp_year\" inputmode=\"numeric\" autocomplete=\"cc-exp-year\" required placeholder=\"YYYY\" value=\"{year}\"{year_invalid}></div>\
         <div><label for=\"cvc\">CVC</label>\
         <input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" required placeholder=\"123\"{cvc_invalid}></div></div>\
         <button type=\"submit\">Save card</button></form>\
         {cards}\
         <p class=\"note\">Sandbox: no payment is made. Only the card's brand, last four digits and expiry are kept.</p>",
        customer = escape(page.customer_name),
        company = escape(page.company_name),
        action = escape(page.action),
        cardholder = escape(&values.cardholder),
        month = escape(&values.exp_month),
        year = escape(&values.exp_year),
        cardholder_invalid = invalid("cardholder"),
        number_invalid = invalid("number"),
        month_invalid = invalid("exp_month"),
        year_invalid = invalid("exp_year"),
        cvc_invalid = invalid("cvc"),
        cards = card_list(page.cards),
    );
    layout("Add a card", &body)
}

/// One future appointment as the page lists it.
pub struct UpcomingAppointment {
    pub starts_at: String,
    pub business_name: String,
    pub services: String,
}

pub fn upcoming_appointments(
    customer_name: &str,
    company_name: &str,
    appointments: &[UpcomingAppointment],
) -> String {
    let list = if appointments.is_empty() {
        "<p class=\"muted\">No upcoming appointments.</p>".to_string()
    } else {
        let items: String = appointments
            .iter()
            .map(|appointment| {
                format!(
                    "<li><strong>{}</strong><br>{} <span class=\"muted\">· {}</span></li>",
                    escape(&appointment.starts_at),
                    escape(&appointment.services),
                    escape(&appointment.business_name)
                )
            })
            .collect();
        format!("<ul>{items}</ul>")
    };
    layout(
        "Upcoming appointments",
        &format!(
            "<h1>Upcoming appointments</h1><p class=\"sub\">{} at {}</p>{list}",
            escape(customer_name),
            escape(company_name)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_did_not_write() {
        let page = upcoming_appointments("<script>alert(1)</script>", "A & B", &[]);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("A &amp; B"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("No upcoming appointments."));
        assert!(!page.contains("http"), "no external assets");
    }
}
