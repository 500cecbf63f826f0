//! An imported trip's block tree: an optional introduction `text` block, then one `itinerary`
//! holding an `itineraryDay` per day (title, day number, date), each holding one `text` block
//! with the day's paragraphs as HTML.

use serde_json::{json, Map, Value};
use sqlx::AnyConnection;

use crate::trip::config::{self, Block};

use super::extract::TripDraft;

/// Escapes text for HTML element content.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

fn bullet(line: &str) -> Option<&str> {
    ["- ", "* ", "• ", "+ "]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))
}

/// Paragraphs (blank-line separated) as `<p>`, runs of bulleted lines as `<ul>`.
pub fn html_paragraphs(text: &str) -> String {
    let mut html = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut lines: Vec<String> = Vec::new();
        let mut items: Vec<String> = Vec::new();
        let flush_lines = |html: &mut String, lines: &mut Vec<String>| {
            if !lines.is_empty() {
                html.push_str(&format!("<p>{}</p>", lines.join("<br>")));
                lines.clear();
            }
        };
        let flush_items = |html: &mut String, items: &mut Vec<String>| {
            if !items.is_empty() {
                let list: String = items.iter().map(|i| format!("<li>{i}</li>")).collect();
                html.push_str(&format!("<ul>{list}</ul>"));
                items.clear();
            }
        };
        for line in paragraph.lines().map(str::trim) {
            match bullet(line) {
                Some(item) => {
                    flush_lines(&mut html, &mut lines);
                    items.push(escape(item.trim()));
                }
                None => {
                    flush_items(&mut html, &mut items);
                    lines.push(escape(line));
                }
            }
        }
        flush_lines(&mut html, &mut lines);
        flush_items(&mut html, &mut items);
    }
    html
}

fn block(
    id: &str,
    kind: &str,
    parent: Option<&str>,
    children: Vec<String>,
    content: Map<String, Value>,
) -> Block {
    Block {
        children,
        content: Some(content),
        ..Block::new(id, kind, parent)
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The blocks of `draft`, parents before children, children in display order.
pub fn tree(draft: &TripDraft) -> Vec<Block> {
    let mut blocks = Vec::new();
    if !draft.introduction.trim().is_empty() {
        blocks.push(block(
            "introduction",
            "text",
            None,
            Vec::new(),
            object(json!({"text": html_paragraphs(&draft.introduction)})),
        ));
    }
    let day_ids: Vec<String> = (1..=draft.days.len()).map(|n| format!("day-{n}")).collect();
    blocks.push(block(
        "itinerary",
        "itinerary",
        None,
        day_ids.clone(),
        object(json!({"title": "Itinerary"})),
    ));
    for (day, id) in draft.days.iter().zip(&day_ids) {
        let text_id = format!("{id}-text");
        let has_text = !day.text.is_empty();
        blocks.push(block(
            id,
            "itineraryDay",
            Some("itinerary"),
            if has_text {
                vec![text_id.clone()]
            } else {
                Vec::new()
            },
            object(json!({
                "title": day.title,
                "day": day.number,
                "date": day.date.map(|date| date.format("%Y-%m-%d").to_string()),
            })),
        ));
        if has_text {
            blocks.push(block(
                &text_id,
                "text",
                Some(id),
                Vec::new(),
                object(json!({"text": html_paragraphs(&day.text)})),
            ));
        }
    }
    blocks
}

/// Gives the new trip `trip_id` its first config inside the caller's transaction: the trip's
/// default config (contact, settings) with the imported blocks, validated like any config a
/// client sends. The inner error is the job's failure message.
pub async fn save_in(
    tx: &mut AnyConnection,
    trip_id: i64,
    draft: &TripDraft,
) -> Result<Result<(), String>, sqlx::Error> {
    let Some(mut config) = config::store::load(tx, trip_id).await? else {
        return Ok(Err(format!(
            "trip {trip_id} vanished before its config was written"
        )));
    };
    config.blocks = tree(draft);
    if let Err(invalid) = config::validate(&config) {
        return Ok(Err(format!(
            "the imported block tree is invalid: {invalid}"
        )));
    }
    Ok(
        match config::store::save(tx, trip_id, &config, Some(0)).await? {
            config::store::Saved::Written(_) => Ok(()),
            other => Err(format!("the trip's config could not be written: {other:?}")),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::extract;

    #[test]
    fn the_tree_is_an_itinerary_of_days_holding_their_text_and_is_valid() {
        let draft = extract::draft("Trip\nIntro.\nDay 1 - Paris\nLouvre.\nDay 2 - Lyon").unwrap();
        let blocks = tree(&draft);
        let shape: Vec<(&str, &str, Option<&str>, Vec<&str>)> = blocks
            .iter()
            .map(|b| {
                (
                    b.id.as_str(),
                    b.block_type.as_str(),
                    b.parent.as_deref(),
                    b.children.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("introduction", "text", None, vec![]),
                ("itinerary", "itinerary", None, vec!["day-1", "day-2"]),
                (
                    "day-1",
                    "itineraryDay",
                    Some("itinerary"),
                    vec!["day-1-text"]
                ),
                ("day-1-text", "text", Some("day-1"), vec![]),
                ("day-2", "itineraryDay", Some("itinerary"), vec![]),
            ]
        );
        let mut errors = moapi_core::error::MoguValidation::default();
        config::blocks::check(&blocks, &mut errors);
        assert!(errors.finish().is_ok());
    }

    #[test]
    fn paragraphs_and_bullets_become_escaped_html() {
        assert_eq!(
            html_paragraphs("Walk & talk\n<b>late</b>\n\n- Louvre\n- Orsay\nLunch"),
            "<p>Walk &amp; talk<br>&lt;b&gt;late&lt;/b&gt;</p><ul><li>Louvre</li><li>Orsay</li></ul><p>Lunch</p>"
        );
    }
}
