//! A trip's config (its TripConfig) as page content: the block tree rendered from its
//! top-level blocks down through `children` in order, the slider images and the contact card.
//! Rendering is lenient — a stored config is shown as well as it can be: hidden blocks and their
//! subtrees are left out, unknown block types are skipped, a block reached twice (a cycle) or
//! too deep is not repeated, and only absolute web URLs become images or links.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use serde_json::{Map, Value};

use super::html::{escape, push, rich_text, web_url};
use crate::trip::config::{Block, TripConfig};

/// Nesting deeper than this is not rendered (the builder nests a few levels at most).
const MAX_DEPTH: usize = 24;

/// A trip's config, indexed for rendering.
pub struct TripContent<'a> {
    config: &'a TripConfig,
    by_id: HashMap<&'a str, usize>,
}

/// A non-blank string member, trimmed.
fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn non_blank(text: &Option<String>) -> Option<&str> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

static NO_CONTENT: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

fn content_of(block: &Block) -> &Map<String, Value> {
    block.content.as_ref().unwrap_or(&NO_CONTENT)
}

impl<'a> TripContent<'a> {
    pub fn new(config: &'a TripConfig) -> Self {
        let mut by_id = HashMap::new();
        for (index, block) in config.blocks.iter().enumerate() {
            // First block of an id wins; validation keeps ids unique anyway.
            by_id.entry(block.id.as_str()).or_insert(index);
        }
        TripContent { config, by_id }
    }

    /// The slider's images (web URLs only).
    pub fn slider(&self) -> Vec<&'a str> {
        let config: &'a TripConfig = self.config;
        config
            .slider
            .iter()
            .filter_map(|url| web_url(url))
            .collect()
    }

    /// The block tree as HTML. `first_day` (the trip's start) dates the itinerary's days that
    /// carry no date of their own.
    pub fn render_blocks(&self, first_day: Option<NaiveDate>) -> String {
        let mut renderer = Renderer {
            content: self,
            first_day,
            seen: HashSet::new(),
            html: String::new(),
        };
        for (index, block) in self.config.blocks.iter().enumerate() {
            if block.parent.is_none() {
                renderer.block(index, 2, 0);
            }
        }
        renderer.html
    }

    fn contact_hidden(&self) -> bool {
        self.config.contact.visible == Some(false)
    }

    /// The agency's name for the page's top bar, unless the contact is hidden.
    pub fn brand_name(&self) -> Option<&str> {
        (!self.contact_hidden())
            .then(|| non_blank(&self.config.contact.agency_name))
            .flatten()
    }

    /// The contact card, unless the config hides it (`visible: false`) or it says nothing.
    pub fn render_contact(&self) -> String {
        let contact = &self.config.contact;
        if self.contact_hidden() {
            return String::new();
        }
        let mut lines = String::new();
        let agent = non_blank(&contact.agent_name);
        let agency = non_blank(&contact.agency_name);
        if let Some(name) = agent.or(agency) {
            push(
                &mut lines,
                format_args!("<p class=\"name\">{}</p>", escape(name)),
            );
        }
        if let (Some(_), Some(agency)) = (agent, agency) {
            push(
                &mut lines,
                format_args!("<p class=\"agency\">{}</p>", escape(agency)),
            );
        }
        if let Some(description) = non_blank(&contact.description) {
            push(&mut lines, format_args!("<p>{}</p>", escape(description)));
        }
        let mut links = String::new();
        if let Some(email) = non_blank(&contact.email).filter(|email| email.contains('@')) {
            let email = escape(email);
            push(
                &mut links,
                format_args!("<li><a href=\"mailto:{email}\">{email}</a></li>"),
            );
        }
        if let Some(phone) = non_blank(&contact.phone_number) {
            let dial: String = phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            push(
                &mut links,
                format_args!("<li><a href=\"tel:{dial}\">{}</a></li>", escape(phone)),
            );
        }
        if let Some(web) = non_blank(&contact.web).and_then(web_url) {
            let web = escape(web);
            push(
                &mut links,
                format_args!("<li><a href=\"{web}\" rel=\"noopener noreferrer\">{web}</a></li>"),
            );
        }
        if let Some(address) = non_blank(&contact.address) {
            push(&mut links, format_args!("<li>{}</li>", escape(address)));
        }
        if lines.is_empty() && links.is_empty() {
            return String::new();
        }
        let picture = non_blank(&contact.picture_url)
            .and_then(web_url)
            .map(|url| format!("<img class=\"avatar\" src=\"{}\" alt=\"\">", escape(url)))
            .unwrap_or_default();
        format!(
            "<section class=\"contact\" id=\"contact\"><h2>Contact</h2><div class=\"card\">\
             {picture}<div>{lines}<ul>{links}</ul></div></div></section>"
        )
    }
}

struct Renderer<'a> {
    content: &'a TripContent<'a>,
    first_day: Option<NaiveDate>,
    /// Blocks already rendered: a cycle or a block listed twice shows once.
    seen: HashSet<usize>,
    html: String,
}

impl<'a> Renderer<'a> {
    fn children(&mut self, block: &'a Block, level: usize, depth: usize) {
        for child in &block.children {
            if let Some(&index) = self.content.by_id.get(child.as_str()) {
                self.block(index, level, depth + 1);
            }
        }
    }

    fn visible(&mut self, index: usize, depth: usize) -> Option<&'a Block> {
        let config: &'a TripConfig = self.content.config;
        let block = &config.blocks[index];
        (depth <= MAX_DEPTH && !block.hidden && self.seen.insert(index)).then_some(block)
    }

    fn block(&mut self, index: usize, level: usize, depth: usize) {
        let Some(block) = self.visible(index, depth) else {
            return;
        };
        let level = level.min(6);
        let title = text(content_of(block), "title");
        match block.block_type.as_str() {
            "itinerary" => {
                let title = escape(title.unwrap_or("Itinerary"));
                push(
                    &mut self.html,
                    format_args!(
                        "<section class=\"itinerary\"><h{level}>{title}</h{level}><ol class=\"days\">"
                    ),
                );
                self.days(block, level + 1, depth);
                self.html.push_str("</ol></section>");
            }
            // A day outside an itinerary is shown as a plain section.
            "itineraryDay" | "group" | "box" => {
                let class = if block.block_type == "box" {
                    "box"
                } else {
                    "group"
                };
                push(&mut self.html, format_args!("<div class=\"{class}\">"));
                if let Some(title) = title {
                    push(
                        &mut self.html,
                        format_args!("<h{level}>{}</h{level}>", escape(title)),
                    );
                }
                self.children(block, level + 1, depth);
                self.html.push_str("</div>");
            }
            "dropdown" => {
                let summary = escape(title.unwrap_or("Details"));
                push(
                    &mut self.html,
                    format_args!("<details class=\"dropdown\"><summary>{summary}</summary><div>"),
                );
                self.children(block, level + 1, depth);
                self.html.push_str("</div></details>");
            }
            "title" => {
                if let Some(title) = title {
                    push(
                        &mut self.html,
                        format_args!("<h{level} class=\"title\">{}</h{level}>", escape(title)),
                    );
                }
            }
            "text" => {
                if let Some(html) = text(content_of(block), "text") {
                    push(
                        &mut self.html,
                        format_args!("<div class=\"text\">{}</div>", rich_text(html)),
                    );
                }
            }
            "gallery" => self.gallery(block),
            _ => {}
        }
    }

    /// The itinerary's days, numbered in display order; other children are shown between them.
    fn days(&mut self, itinerary: &'a Block, level: usize, depth: usize) {
        let mut number = 0;
        for child in &itinerary.children {
            let Some(&index) = self.content.by_id.get(child.as_str()) else {
                continue;
            };
            if self.content.config.blocks[index].block_type != "itineraryDay" {
                self.html.push_str("<li class=\"aside\">");
                self.block(index, level, depth + 1);
                self.html.push_str("</li>");
                continue;
            }
            let Some(day) = self.visible(index, depth + 1) else {
                continue;
            };
            number += 1;
            let title = text(content_of(day), "title")
                .map(escape)
                .unwrap_or_else(|| format!("Day {number}"));
            let date = text(content_of(day), "date")
                .and_then(|date| NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok())
                .or_else(|| self.first_day?.checked_add_days(Days::new(number - 1)))
                .map(|date| {
                    format!(
                        "<p class=\"date\"><time datetime=\"{}\">{}</time></p>",
                        date.format("%Y-%m-%d"),
                        date.format("%a %-d %b %Y")
                    )
                })
                .unwrap_or_default();
            push(
                &mut self.html,
                format_args!(
                    "<li class=\"day\" id=\"day-{number}\"><span class=\"badge\" \
                     aria-label=\"Day {number}\">{number}</span><div class=\"day-body\">\
                     <h{level}>{title}</h{level}>{date}"
                ),
            );
            self.children(day, level + 1, depth + 1);
            self.html.push_str("</div></li>");
        }
    }

    fn gallery(&mut self, block: &Block) {
        let images: Vec<String> = content_of(block)
            .get("images")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|image| {
                let (url, alt) = match image {
                    Value::String(url) => (url.as_str(), ""),
                    Value::Object(image) => (
                        image.get("url").and_then(Value::as_str)?,
                        text(image, "alt").or(text(image, "caption")).unwrap_or(""),
                    ),
                    _ => return None,
                };
                let url = web_url(url)?;
                Some(format!(
                    "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                    escape(url),
                    escape(alt)
                ))
            })
            .collect();
        if !images.is_empty() {
            push(
                &mut self.html,
                format_args!("<div class=\"gallery\">{}</div>", images.concat()),
            );
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// A TripConfig with `members` over an empty default.
    pub fn config(members: Value) -> TripConfig {
        let mut config = json!({"version": "1.0.0+1", "blocks": [], "contact": {},
            "updatedAt": "2025-01-20T14:45:00.000Z",
            "settings": {"canDownloadPdf": true, "canCreateCopy": false, "hasExpiration": false}});
        config
            .as_object_mut()
            .unwrap()
            .extend(members.as_object().unwrap().clone());
        serde_json::from_value(config).unwrap()
    }

    fn render(members: Value) -> String {
        TripContent::new(&config(members)).render_blocks(NaiveDate::from_ymd_opt(2025, 7, 15))
    }

    #[test]
    fn an_itinerary_renders_its_days_in_children_order_with_dates() {
        let html = render(json!({"blocks": [
            {"id": "d2", "type": "itineraryDay", "parent": "it", "children": [],
             "content": {"title": "Versailles"}},
            {"id": "it", "type": "itinerary", "parent": null, "children": ["d1", "d2"]},
            {"id": "d1", "type": "itineraryDay", "parent": "it", "children": ["t1"],
             "content": {"title": "Arrival in Paris", "date": "2025-07-20"}},
            {"id": "t1", "type": "text", "parent": "d1", "content": {"text": "<p>Check in</p>"}},
        ]}));
        let arrival = html.find("Arrival in Paris").unwrap();
        let versailles = html.find("Versailles").unwrap();
        assert!(arrival < versailles, "{html}");
        assert!(html.contains("<time datetime=\"2025-07-20\">Sun 20 Jul 2025</time>"));
        assert!(
            html.contains("<time datetime=\"2025-07-16\">"),
            "day 2 follows the trip start"
        );
        assert!(html.contains("<div class=\"text\"><p>Check in</p></div>"));
        assert_eq!(html.matches("<li class=\"day\"").count(), 2);
    }

    #[test]
    fn hidden_unknown_cyclic_and_dangling_blocks_are_skipped() {
        let html = render(json!({"blocks": [
            {"id": "1", "type": "group", "children": ["2", "3", "missing"], "content": {"title": "G"}},
            {"id": "2", "type": "text", "parent": "1", "hidden": true, "content": {"text": "secret"}},
            {"id": "3", "type": "box", "parent": "1", "children": ["1", "4"]},
            {"id": "4", "type": "form", "parent": "3", "content": {"title": "Lead form"}},
            {"id": "5", "type": "dropdown", "children": ["6"], "content": {"title": "FAQ"}},
            {"id": "6", "type": "title", "parent": "5", "content": {"title": "Visa <needed>?"}},
        ]}));
        assert!(
            !html.contains("secret") && !html.contains("Lead form"),
            "{html}"
        );
        assert_eq!(html.matches("<h2>G</h2>").count(), 1);
        assert!(html.contains("<details class=\"dropdown\"><summary>FAQ</summary>"));
        assert!(html.contains("Visa &lt;needed&gt;?"));
    }

    #[test]
    fn galleries_keep_only_web_images_and_escape_their_text() {
        let html = render(
            json!({"blocks": [{"id": "g", "type": "gallery", "content": {"images": [
                {"url": "https://img.example/a.jpg", "alt": "\"quoted\""},
                {"url": "javascript:alert(1)"},
                "https://img.example/b.jpg"
            ]}}]}),
        );
        assert!(html.contains(r#"<img src="https://img.example/a.jpg" alt="&quot;quoted&quot;""#));
        assert!(
            html.contains("b.jpg") && !html.contains("javascript"),
            "{html}"
        );
    }

    #[test]
    fn the_contact_shows_unless_hidden() {
        let contact = json!({"agentName": "Ann <Lee>", "agencyName": "Dreams", "email": "a@d.example",
                             "phoneNumber": "+33 1 23", "web": "javascript:x", "visible": true});
        let shown = config(json!({"contact": contact}));
        let shown = TripContent::new(&shown);
        let card = shown.render_contact();
        assert!(
            card.contains("Ann &lt;Lee&gt;") && card.contains("tel:+33123"),
            "{card}"
        );
        assert!(!card.contains("javascript"));
        assert_eq!(shown.brand_name(), Some("Dreams"));
        let mut hidden = contact.clone();
        hidden["visible"] = json!(false);
        let hidden = config(json!({"contact": hidden}));
        assert_eq!(TripContent::new(&hidden).render_contact(), "");
        assert_eq!(TripContent::new(&hidden).brand_name(), None);
        assert_eq!(TripContent::new(&config(json!({}))).render_contact(), "");
    }
}
