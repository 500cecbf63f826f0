//! The booking page's HTML: one form per step, posted to the visit's own URL, that works
//! without JavaScript (the page has none). Everything that came from the database or the
//! visitor is escaped; the look is the customer link pages' (`customer::pages`).

use crate::customer::pages::{escape, layout};
use crate::online_booking::wire::Step;

/// One option of a radio or checkbox group.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub detail: String,
    pub checked: bool,
}

/// What every step page shows around its fields.
pub struct Frame<'a> {
    pub business_name: &'a str,
    /// The visit's URL: the form's action.
    pub action: &'a str,
    /// This step's number and the number of steps.
    pub progress: (usize, usize),
    pub problem: Option<&'a str>,
    pub notice: Option<&'a str>,
    /// The step before this one, to go back to.
    pub back: Option<Step>,
}

fn banner(frame: &Frame<'_>) -> String {
    match (frame.problem, frame.notice) {
        (Some(problem), _) => format!("<p class=\"error\" role=\"alert\">{}</p>", escape(problem)),
        (None, Some(notice)) => format!("<p class=\"ok\" role=\"status\">{}</p>", escape(notice)),
        (None, None) => String::new(),
    }
}

/// The page of one step: its title, what it asks (`fields`), and the button that sends it.
/// `after` goes below the form (the preference form on the date and time steps).
pub fn step_page(
    frame: &Frame<'_>,
    step: Step,
    (title, lead): (&str, &str),
    fields: &str,
    (button, after): (&str, &str),
) -> String {
    let back = frame
        .back
        .map(|back| {
            format!(
                "<p class=\"note\"><a href=\"{}?step={}\">Back</a></p>",
                escape(frame.action),
                back.name()
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<p class=\"steps\">{business} · step {number} of {total}</p>\
         <h1>{title}</h1><p class=\"sub\">{lead}</p>{banner}\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"step\" value=\"{step}\">{fields}\
         <button type=\"submit\">{button}</button></form>{after}{back}",
        business = escape(frame.business_name),
        number = frame.progress.0,
        total = frame.progress.1,
        title = escape(title),
        lead = escape(lead),
        banner = banner(frame),
        action = escape(frame.action),
        step = step.name(),
        button = escape(button),
    );
    layout(&format!("{title} · {}", frame.business_name), &body)
}

/// A group of radio buttons (`multiple`: checkboxes) named `name`.
pub fn choices(name: &str, legend: &str, options: &[Choice], multiple: bool) -> String {
    let kind = if multiple { "checkbox" } else { "radio" };
    let items: String = options
        .iter()
        .enumerate()
        .map(|(index, choice)| {
            let required = if !multiple && index == 0 {
                " required"
            } else {
                ""
            };
            format!(
                "<label class=\"option\"><input type=\"{kind}\" name=\"{name}\" value=\"{value}\"{checked}{required}>\
                 <span><strong>{label}</strong>{detail}</span></label>",
                name = escape(name),
                value = escape(&choice.value),
                checked = if choice.checked { " checked" } else { "" },
                label = escape(&choice.label),
                detail = match choice.detail.is_empty() {
                    true => String::new(),
                    false => format!("<br><span class=\"muted\">{}</span>", escape(&choice.detail)),
                },
            )
        })
        .collect();
    format!(
        "<fieldset><legend>{}</legend>{items}</fieldset>",
        escape(legend)
    )
}

/// A labelled text input; `kind` is its HTML type, `extra` further attributes.
pub fn input(name: &str, label: &str, value: &str, (kind, extra): (&str, &str)) -> String {
    format!(
        "<label for=\"{name}\">{label}</label>\
         <input id=\"{name}\" name=\"{name}\" type=\"{kind}\" value=\"{value}\"{extra}>",
        name = escape(name),
        label = escape(label),
        value = escape(value),
    )
}

/// A labelled drop-down of `(value, label)` options.
pub fn select(name: &str, label: &str, options: &[(&str, &str)], selected: &str) -> String {
    let items: String = options
        .iter()
        .map(|(value, text)| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                escape(value),
                if *value == selected { " selected" } else { "" },
                escape(text)
            )
        })
        .collect();
    format!(
        "<label for=\"{name}\">{label}</label><select id=\"{name}\" name=\"{name}\">{items}</select>",
        name = escape(name),
        label = escape(label),
    )
}

/// The form a visitor uses when no day or time suits them: when they would like to come.
pub fn preference_form(action: &str, step: Step) -> String {
    let days = [
        ("TODAY", "Today"),
        ("TOMORROW", "Tomorrow"),
        ("THIS_WEEK", "This week"),
        ("FLEXIBLE", "I'm flexible"),
    ];
    let times = [
        ("MORNING", "Morning"),
        ("AFTERNOON", "Afternoon"),
        ("EITHER", "Either"),
    ];
    format!(
        "<h2 style=\"font-size:1.05rem;margin:2rem 0 .25rem\">Nothing suits you?</h2>\
         <p class=\"muted\">Tell us when you would like to come and we will get in touch.</p>\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"step\" value=\"{step}\">\
         <input type=\"hidden\" name=\"preference\" value=\"1\">{day}{time}\
         <button type=\"submit\" class=\"secondary\">Send my preference</button></form>",
        action = escape(action),
        step = step.name(),
        day = select("preferred_day", "Preferred day", &days, "FLEXIBLE"),
        time = select("preferred_time", "Preferred time", &times, "EITHER"),
    )
}

/// The welcome page of a business: what it is, and the button that starts a visit.
pub fn welcome(business_name: &str, address: &str, action: &str) -> String {
    let address = match address.is_empty() {
        true => String::new(),
        false => format!("<p class=\"muted\">{}</p>", escape(address)),
    };
    layout(
        &format!("Book online · {business_name}"),
        &format!(
            "<h1>Book with {name}</h1>{address}\
             <p class=\"sub\">Choose the care, your pets, the service and a time: it takes two minutes. \
             The business confirms your request.</p>\
             <form method=\"post\" action=\"{action}\"><button type=\"submit\">Start booking</button></form>\
             <p class=\"note\">Sandbox: bookings land in moapi; nothing is charged.</p>",
            name = escape(business_name),
            action = escape(action),
        ),
    )
}

/// One line of the summary before submitting.
pub fn summary(rows: &[(&str, String)]) -> String {
    let items: String = rows
        .iter()
        .map(|(label, value)| {
            format!(
                "<li><span class=\"muted\">{}</span><br><strong>{}</strong></li>",
                escape(label),
                escape(value)
            )
        })
        .collect();
    format!("<ul>{items}</ul>")
}

/// The page after submitting: the request and its state.
pub fn submitted(business_name: &str, when: &str, service: &str) -> String {
    layout(
        &format!("Request sent · {business_name}"),
        &format!(
            "<h1>Request sent</h1>\
             <p class=\"ok\" role=\"status\">{name} received your booking request for {service} on {when}.</p>\
             <p class=\"sub\">It is waiting for the business to confirm it.</p>",
            name = escape(business_name),
            service = escape(service),
            when = escape(when),
        ),
    )
}
