//! An imported trip's block tree: an optional introduction `text` block, then one `itinerary`
//! holding an `itineraryDay` per day (title, day number, date), each holding one `text` block
//! with the day's paragraphs as HTML.

use serde_json::{json, Value};

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
    content: Value,
) -> Value {
    json!({
        "id": id,
        "type": kind,
        "parent": parent,
        "children": children,
        "hidden": false,
        "content": content,
    })
}

/// The blocks of `draft`, parents before children, children in display order.
pub fn tree(draft: &TripDraft) -> Vec<Value> {
    let mut blocks = Vec::new();
    if !draft.introduction.trim().is_empty() {
        blocks.push(block(
            "introduction",
            "text",
            None,
            Vec::new(),
            json!({"text": html_paragraphs(&draft.introduction)}),
        ));
    }
    let day_ids: Vec<String> = (1..=draft.days.len()).map(|n| format!("day-{n}")).collect();
    blocks.push(block(
        "itinerary",
        "itinerary",
        None,
        day_ids.clone(),
        json!({"title": "Itinerary"}),
    ));
    for (day, id) in draft.days.iter().zip(&day_ids) {
        let text_id = format!("{id}-text");
        let children = if day.text.is_empty() {
            Vec::new()
        } else {
            vec![text_id.clone()]
        };
        blocks.push(block(
            id,
            "itineraryDay",
            Some("itinerary"),
            children,
            json!({
                "title": day.title,
                "day": day.number,
                "date": day.date.map(|date| date.format("%Y-%m-%d").to_string()),
            }),
        ));
        if !day.text.is_empty() {
            blocks.push(block(
                &text_id,
                "text",
                Some(id),
                Vec::new(),
                json!({"text": html_paragraphs(&day.text)}),
            ));
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_bullets_become_escaped_html() {
        assert_eq!(
            html_paragraphs("Walk & talk\n<b>late</b>\n\n- Louvre\n- Orsay\nLunch"),
            "<p>Walk &amp; talk<br>&lt;b&gt;late&lt;/b&gt;</p><ul><li>Louvre</li><li>Orsay</li></ul><p>Lunch</p>"
        );
    }
}

/// The trip config of an imported trip.
pub fn trip_config(draft: &TripDraft) -> Result<Value, String> {
    Ok(json!({"blocks": tree(draft)}))
}

/// Writes the first revision of `trip_id`'s config in the caller's transaction.
pub async fn save_in(
    tx: &mut sqlx::AnyConnection,
    trip_id: i64,
    config: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mogu_trip_configs (trip_id, revision, config, updated_at) VALUES ($1, 1, $2, $3)",
    )
    .bind(trip_id)
    .bind(config.to_string())
    .bind(moapi_core::time::now_micros())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
