//! The HTML of the public pages: one self-contained document each (inline stylesheet, system
//! fonts, no scripts, no external assets but the trip's own images), laid out for phones first
//! and widened for desktops. Embedded pages (`?embed=true`) leave out the top bar and footer.
//! Every value from the database goes through [`escape`], [`web_url`] or the block renderer.

use std::sync::LazyLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, NaiveDate};
use sha2::{Digest, Sha256};

use super::content::TripContent;
use super::html::{escape, push, web_url};
use super::store::PublicCatalog;
use crate::trip::store::StoredTrip;

const STYLESHEET: &str = r#"
:root{--ink:#1d2433;--muted:#5b6475;--line:#e3e7ee;--bg:#f6f7fb;--card:#fff;--accent:#0b6bcb;--chip:#e8f1fc}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
img{max-width:100%;display:block}
a{color:var(--accent)}
.wrap{max-width:880px;margin:0 auto;padding:0 16px}
.bar{background:var(--card);border-bottom:1px solid var(--line)}
.bar .wrap{display:flex;align-items:center;gap:12px;min-height:56px;font-weight:600}
.bar img{height:36px;width:auto}
main.wrap{padding-top:20px;padding-bottom:40px}
.cover{margin:0 -16px}
.cover img{width:100%;aspect-ratio:16/9;max-height:420px;object-fit:cover;background:var(--line)}
.headline{position:relative;background:var(--card);border-radius:14px;padding:20px;box-shadow:0 4px 18px rgba(20,30,60,.08)}
.cover+.headline{margin-top:-28px}
.headline .logo{height:44px;width:auto;margin-bottom:10px}
h1{font-size:1.75rem;line-height:1.2;margin:0 0 12px;overflow-wrap:anywhere}
h2{font-size:1.35rem;line-height:1.3;margin:28px 0 12px}
h3,h4,h5,h6{line-height:1.3;margin:16px 0 8px}
.facts{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px}
.facts li{background:var(--chip);color:#173d73;border-radius:999px;padding:4px 12px;font-size:.9rem}
.lead{font-size:1.1rem;color:var(--muted);margin:16px 0 0}
.days{list-style:none;margin:0;padding:0}
.day{position:relative;display:flex;gap:14px;padding:0 0 20px}
.day:before{content:"";position:absolute;left:17px;top:40px;bottom:4px;width:2px;background:var(--line)}
.badge{flex:0 0 36px;height:36px;border-radius:50%;background:var(--accent);color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
.day-body,.box,.aside{min-width:0;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px}
.day-body{flex:1}
.day-body>h3:first-child,.day-body>h4:first-child{margin-top:4px}
.aside{list-style:none;margin:0 0 20px 50px}
.date{margin:0 0 8px;color:var(--muted);font-size:.9rem}
.text{overflow-wrap:anywhere}
.text p{margin:.5em 0}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;margin:12px 0}
.gallery img{width:100%;aspect-ratio:4/3;object-fit:cover;border-radius:8px;background:var(--line)}
.box,.group{margin:12px 0}
details{background:var(--card);border:1px solid var(--line);border-radius:12px;margin:12px 0}
summary{cursor:pointer;padding:12px 16px;font-weight:600}
details>div{padding:0 16px 12px}
.contact .card{display:flex;gap:16px;align-items:flex-start;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px;overflow-wrap:anywhere}
.avatar{width:64px;height:64px;border-radius:50%;object-fit:cover;flex:0 0 64px}
.contact p{margin:0 0 6px}
.contact .name{font-weight:700}
.contact .agency{color:var(--muted)}
.contact ul{list-style:none;padding:0;margin:8px 0 0}
.foot{color:var(--muted);font-size:.85rem;padding-top:20px;padding-bottom:32px;border-top:1px solid var(--line)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:16px;list-style:none;margin:20px 0 0;padding:0}
.cards a{display:block;height:100%;background:var(--card);border:1px solid var(--line);border-radius:12px;overflow:hidden;text-decoration:none;color:inherit}
.cards img,.cards .placeholder{width:100%;aspect-ratio:16/10;object-fit:cover}
.placeholder{background:linear-gradient(135deg,#0b6bcb,#62b5ff)}
.cards .body{padding:12px 14px}
.cards h2{font-size:1.1rem;margin:0 0 8px}
.pager{display:flex;justify-content:space-between;margin-top:24px}
.missing{text-align:center;padding:72px 0}
body.embed{background:transparent}
body.embed main{padding-top:8px}
@media (min-width:720px){h1{font-size:2.3rem}.headline{padding:28px 32px}.cover{margin:0}.cover img{border-radius:14px}}
"#;

/// The `style-src` source of the stylesheet: its hash, so the pages need no `unsafe-inline`.
pub static STYLE_SOURCE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(STYLESHEET.as_bytes()))
    )
});

/// What a page shows in its head and top bar.
struct Head<'a> {
    title: &'a str,
    description: Option<&'a str>,
    image: Option<&'a str>,
    /// The top bar: a logo URL and a name.
    brand: (Option<&'a str>, &'a str),
}

fn document(head: Head<'_>, embed: bool, main: &str, footer: &str) -> String {
    let mut page = String::with_capacity(main.len() + STYLESHEET.len() + 1024);
    let title = escape(head.title);
    push(
        &mut page,
        format_args!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title><meta property=\"og:title\" content=\"{title}\">"
        ),
    );
    if let Some(description) = head.description {
        let description = escape(description);
        push(
            &mut page,
            format_args!(
                "<meta name=\"description\" content=\"{description}\">\
                 <meta property=\"og:description\" content=\"{description}\">"
            ),
        );
    }
    if let Some(image) = head.image {
        push(
            &mut page,
            format_args!("<meta property=\"og:image\" content=\"{}\">", escape(image)),
        );
    }
    let body_class = if embed { " class=\"embed\"" } else { "" };
    push(
        &mut page,
        format_args!("<style>{STYLESHEET}</style></head><body{body_class}>"),
    );
    if !embed {
        let (logo, name) = head.brand;
        let logo = logo
            .map(|url| format!("<img src=\"{}\" alt=\"\">", escape(url)))
            .unwrap_or_default();
        push(
            &mut page,
            format_args!(
                "<header class=\"bar\"><div class=\"wrap\">{logo}<span>{}</span></div></header>",
                escape(name)
            ),
        );
    }
    push(
        &mut page,
        format_args!("<main class=\"wrap\">{main}</main>"),
    );
    if !embed && !footer.is_empty() {
        push(
            &mut page,
            format_args!("<footer class=\"wrap foot\">{footer}</footer>"),
        );
    }
    page.push_str("</body></html>");
    page
}

fn day_of(micros: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp_micros(micros).map(|instant| instant.date_naive())
}

fn long_date(micros: i64) -> String {
    day_of(micros)
        .map(|date| date.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}

/// The chips under a trip's title: dates, duration and countries.
fn facts(trip: &StoredTrip) -> String {
    let fields = &trip.fields;
    let mut facts = Vec::new();
    match (fields.date_start, fields.date_finish) {
        (Some(start), Some(finish)) => {
            facts.push(format!("{} – {}", long_date(start), long_date(finish)))
        }
        (Some(start), None) => facts.push(format!("From {}", long_date(start))),
        (None, Some(finish)) => facts.push(format!("Until {}", long_date(finish))),
        (None, None) => {}
    }
    match fields.duration {
        Some(1) => facts.push("1 day".to_string()),
        Some(days) if days > 1 => facts.push(format!("{days} days")),
        _ => {}
    }
    if !fields.countries.is_empty() {
        facts.push(fields.countries.join(" · "));
    }
    if facts.is_empty() {
        return String::new();
    }
    let items: String = facts
        .iter()
        .map(|fact| format!("<li>{}</li>", escape(fact)))
        .collect();
    format!("<ul class=\"facts\">{items}</ul>")
}

/// The card at the top of a page: logo, title, fact chips (HTML) and a lead paragraph.
fn headline(logo: Option<&str>, title: &str, facts: &str, lead: Option<&str>) -> String {
    let logo = logo
        .map(|url| format!("<img class=\"logo\" src=\"{}\" alt=\"\">", escape(url)))
        .unwrap_or_default();
    let lead = lead
        .map(|lead| format!("<p class=\"lead\">{}</p>", escape(lead)))
        .unwrap_or_default();
    format!(
        "<header class=\"headline\">{logo}<h1>{}</h1>{facts}{lead}</header>",
        escape(title)
    )
}

/// The trip's public page.
pub fn trip_page(trip: &StoredTrip, content: &TripContent, embed: bool) -> String {
    let fields = &trip.fields;
    let slider = content.slider();
    let cover = fields
        .cover_image
        .as_deref()
        .and_then(web_url)
        .or(slider.first().copied());
    let logo = fields.logo.as_deref().and_then(web_url);
    let mut main = String::new();
    if let Some(cover) = cover {
        push(
            &mut main,
            format_args!(
                "<div class=\"cover\"><img src=\"{}\" alt=\"\"></div>",
                escape(cover)
            ),
        );
    }
    main.push_str(&headline(
        logo,
        &fields.title,
        &facts(trip),
        fields.seo_description.as_deref(),
    ));
    let more_images: Vec<String> = slider
        .iter()
        .filter(|url| Some(**url) != cover)
        .map(|url| format!("<img src=\"{}\" alt=\"\" loading=\"lazy\">", escape(url)))
        .collect();
    if !more_images.is_empty() {
        push(
            &mut main,
            format_args!("<div class=\"gallery\">{}</div>", more_images.concat()),
        );
    }
    main.push_str(&content.render_blocks(fields.date_start.and_then(day_of)));
    main.push_str(&content.render_contact());
    let mut footer = format!("Trip {}", escape(&trip.code));
    if let Some(expiration) = fields.date_expiration {
        push(
            &mut footer,
            format_args!(" · Offer valid until {}", long_date(expiration)),
        );
    }
    let head = Head {
        title: &fields.title,
        description: fields.seo_description.as_deref(),
        image: cover,
        brand: (logo, content.brand_name().unwrap_or("Trip proposal")),
    };
    document(head, embed, &main, &footer)
}

/// Trips per page of a public catalog.
pub const CATALOG_PAGE_SIZE: u64 = 24;

/// One page of a public catalog: a card per trip, linking to its page.
pub fn catalog_page(
    catalog: &PublicCatalog,
    trips: &[StoredTrip],
    page: u64,
    total_pages: u64,
    embed: bool,
) -> String {
    let logo = catalog.logo_url.as_deref().and_then(web_url);
    let embed_query = if embed { "?embed=true" } else { "" };
    let mut main = headline(logo, &catalog.title, "", catalog.description.as_deref());
    if trips.is_empty() {
        main.push_str("<p class=\"lead\">No trips to show yet.</p>");
    } else {
        main.push_str("<ul class=\"cards\">");
        for trip in trips {
            let picture = trip
                .fields
                .cover_image
                .as_deref()
                .and_then(web_url)
                .map(|url| format!("<img src=\"{}\" alt=\"\" loading=\"lazy\">", escape(url)))
                .unwrap_or_else(|| "<div class=\"placeholder\"></div>".to_string());
            push(
                &mut main,
                format_args!(
                    "<li><a href=\"/p/trips/{}{embed_query}\">{picture}<div class=\"body\">\
                     <h2>{}</h2>{}</div></a></li>",
                    escape(&trip.slug),
                    escape(&trip.fields.title),
                    facts(trip)
                ),
            );
        }
        main.push_str("</ul>");
    }
    if total_pages > 1 {
        let link = |number: u64, label: &str| {
            let separator = if embed { "&amp;" } else { "?" };
            format!(
                "<a href=\"/p/catalogs/{}{embed_query}{separator}page={number}\">{label}</a>",
                catalog.id
            )
        };
        let previous = if page > 1 {
            link(page - 1, "← Previous")
        } else {
            "<span></span>".to_string()
        };
        let next = if page < total_pages {
            link(page + 1, "Next →")
        } else {
            String::new()
        };
        push(
            &mut main,
            format_args!("<nav class=\"pager\">{previous}<span>Page {page} of {total_pages}</span>{next}</nav>"),
        );
    }
    let head = Head {
        title: &catalog.title,
        description: catalog.description.as_deref(),
        image: None,
        brand: (logo, &catalog.title),
    };
    document(head, embed, &main, "")
}

/// The page of a trip or catalog a visitor cannot see.
pub fn missing_page(heading: &str, message: &str, embed: bool) -> String {
    let main = format!(
        "<div class=\"missing\"><h1>{}</h1><p class=\"lead\">{}</p></div>",
        escape(heading),
        escape(message)
    );
    let head = Head {
        title: heading,
        description: None,
        image: None,
        brand: (None, "Trip proposal"),
    };
    document(head, embed, &main, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::public::content::tests::config;
    use crate::trip::store::NewTrip;
    use serde_json::json;

    fn trip(title: &str) -> StoredTrip {
        StoredTrip {
            id: 1,
            slug: "a-trip-abc123".into(),
            join_code: "ABCD1234".into(),
            code: "TRIP-001".into(),
            fields: NewTrip {
                title: title.into(),
                duration: Some(7),
                date_start: Some(1_752_537_600_000_000),
                date_finish: Some(1_753_142_400_000_000),
                countries: vec!["FRA".into(), "BEL".into()],
                cover_image: Some("https://img.example/cover.jpg".into()),
                ..NewTrip::default()
            },
            created_at: 0,
            updated_at: 0,
            agent_picture_url: None,
        }
    }

    #[test]
    fn a_trip_page_shows_its_facts_and_escapes_its_title() {
        let html = trip_page(
            &trip("<b>Paris</b>"),
            &TripContent::new(&config(json!({}))),
            false,
        );
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<h1>&lt;b&gt;Paris&lt;/b&gt;</h1>"));
        assert!(
            html.contains("<li>15 Jul 2025 – 22 Jul 2025</li><li>7 days</li><li>FRA · BEL</li>")
        );
        assert!(html.contains("<img src=\"https://img.example/cover.jpg\""));
        assert!(html.contains("<header class=\"bar\">") && html.contains("Trip TRIP-001"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn embedded_pages_have_no_chrome() {
        let html = trip_page(&trip("Paris"), &TripContent::new(&config(json!({}))), true);
        assert!(html.contains("<body class=\"embed\">"));
        assert!(!html.contains("class=\"bar\"") && !html.contains("<footer"));
    }

    #[test]
    fn the_style_source_is_the_stylesheet_hash() {
        assert!(STYLE_SOURCE.starts_with("'sha256-") && STYLE_SOURCE.ends_with("='"));
        assert!(document(
            Head {
                title: "t",
                description: None,
                image: None,
                brand: (None, "b")
            },
            false,
            "",
            ""
        )
        .contains(&format!("<style>{STYLESHEET}</style>")));
    }
}
