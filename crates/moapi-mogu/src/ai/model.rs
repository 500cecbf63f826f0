//! The optional language model: an OpenAI-compatible chat completions endpoint
//! (`MOAPI_AI_ENDPOINT`, `MOAPI_AI_API_KEY`) asked, in JSON mode, for the same trip the
//! built-in extractor reads. Its answer is validated field by field into a [`TripDraft`]; an
//! answer that is not a trip fails the job with a message naming what was wrong.

use chrono::NaiveDate;
use moapi_core::config::AiConfig;
use serde_json::{json, Value};

use super::extract::{self, DayDraft, TripDraft};
use crate::trip::countries;

/// The most document text sent in one request; longer documents are cut.
const MAX_PROMPT_CHARS: usize = 60_000;
const MAX_DAYS: usize = 366;

const INSTRUCTIONS: &str = "You turn travel itineraries into JSON. Answer with one JSON object \
and nothing else, of this shape: {\"title\": string, \"introduction\": string, \"countries\": \
[ISO 3166-1 alpha-3 codes of the destination countries], \"days\": [{\"day\": integer from 1, \
\"title\": string (the day's main place or theme, without the word Day), \"date\": \
\"YYYY-MM-DD\" or null, \"text\": string (the day's plan as plain text, paragraphs separated \
by blank lines)}]}. Keep the document's days, order and wording; invent nothing; use null \
for dates the document does not give.";

/// Asks the model at `endpoint` to read `text` as a trip.
pub async fn draft(config: &AiConfig, endpoint: &str, text: &str) -> Result<TripDraft, String> {
    let document: String = text.chars().take(MAX_PROMPT_CHARS).collect();
    let request = json!({
        "model": config.model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": document},
        ],
    });
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .map_err(|err| format!("the AI model could not be reached: {err}"))?;
    let mut call = client.post(endpoint).json(&request);
    if let Some(key) = &config.api_key {
        call = call.bearer_auth(key);
    }
    // Errors leave out the URL, which may carry a token.
    let response = call
        .send()
        .await
        .map_err(|err| format!("the AI model could not be reached: {}", err.without_url()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the AI model answered HTTP {}", status.as_u16()));
    }
    let answer: Value = response
        .json()
        .await
        .map_err(|err| format!("the AI model's answer is not JSON: {}", err.without_url()))?;
    let content = answer
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or("the AI model's answer has no choices[0].message.content")?;
    read_answer(content)
}

/// Validates the model's message into a trip.
pub fn read_answer(content: &str) -> Result<TripDraft, String> {
    let invalid = |why: String| format!("the AI model's answer is not a valid trip: {why}");
    let content = content.trim();
    // Some models wrap JSON mode answers in a Markdown fence all the same.
    let content = content
        .strip_prefix("```json")
        .or_else(|| content.strip_prefix("```"))
        .and_then(|inner| inner.strip_suffix("```"))
        .unwrap_or(content);
    let answer: Value =
        serde_json::from_str(content).map_err(|err| invalid(format!("not JSON ({err})")))?;
    let title = answer
        .get("title")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .ok_or_else(|| invalid("title must be a non-empty string".into()))?;
    let introduction = optional_text(&answer, "introduction").map_err(invalid)?;
    let days = answer
        .get("days")
        .and_then(Value::as_array)
        .filter(|days| !days.is_empty() && days.len() <= MAX_DAYS)
        .ok_or_else(|| invalid(format!("days must be an array of 1 to {MAX_DAYS} days")))?;
    let days = days
        .iter()
        .enumerate()
        .map(|(index, day)| {
            read_day(index, day).map_err(|why| match why.strip_prefix("must") {
                Some(_) => invalid(format!("days[{index}] {why}")),
                None => invalid(format!("days[{index}].{why}")),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let countries = match answer.get("countries") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => read_countries(items),
        Some(_) => return Err(invalid("countries must be an array".into())),
    };
    let mut trip = TripDraft {
        title: title.chars().take(200).collect(),
        introduction,
        days,
        countries,
    };
    extract::date_the_days(&mut trip);
    Ok(trip)
}

fn optional_text(object: &Value, field: &str) -> Result<String, String> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(text)) => Ok(text.trim().to_string()),
        Some(_) => Err(format!("{field} must be a string")),
    }
}

fn read_day(index: usize, day: &Value) -> Result<DayDraft, String> {
    if !day.is_object() {
        return Err("must be an object".into());
    }
    let number = match day.get("day") {
        None | Some(Value::Null) => index as u32 + 1,
        Some(number) => number
            .as_u64()
            .filter(|number| (1..=u64::from(u16::MAX)).contains(number))
            .ok_or("day must be a positive integer")? as u32,
    };
    let title = optional_text(day, "title")?;
    let date = match day.get("date") {
        None | Some(Value::Null) => None,
        Some(Value::String(date)) => Some(
            NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| format!("date must be YYYY-MM-DD, not {date:?}"))?,
        ),
        Some(_) => return Err("date must be a string or null".into()),
    };
    Ok(DayDraft {
        number,
        title: if title.is_empty() {
            format!("Day {number}")
        } else {
            title.chars().take(100).collect()
        },
        date,
        text: optional_text(day, "text")?,
    })
}

/// Alpha-3 codes kept, country names turned into codes, anything else dropped: a model's
/// guess at a code is not worth failing the whole import for.
fn read_countries(items: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for item in items.iter().filter_map(Value::as_str) {
        let code = countries::normalise(vec![item.to_string()])
            .ok()
            .and_then(|codes| codes.into_iter().next())
            .or_else(|| extract::countries_in(item).into_iter().next());
        if let Some(code) = code.filter(|code| !codes.contains(code)) {
            codes.push(code);
        }
    }
    codes.truncate(50);
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_answer_becomes_a_trip_with_dates_filled_in() {
        let trip = read_answer(
            "```json\n{\"title\":\"Japan\",\"countries\":[\"jpn\",\"South Korea\",\"XXX\"],\
             \"days\":[{\"day\":1,\"title\":\"Tokyo\",\"date\":\"2025-04-01\",\"text\":\"Shibuya\"},\
             {\"title\":\"\",\"text\":\"Kyoto temples\"}]}\n```",
        )
        .unwrap();
        assert_eq!(trip.title, "Japan");
        assert_eq!(trip.countries, ["JPN", "KOR"]);
        assert_eq!(trip.days[1].title, "Day 2");
        assert_eq!(trip.days[1].date, NaiveDate::from_ymd_opt(2025, 4, 2));
    }

    #[test]
    fn answers_that_are_not_trips_name_the_problem() {
        for (answer, problem) in [
            ("not json", "not JSON"),
            ("{\"days\":[{}]}", "title must be a non-empty string"),
            ("{\"title\":\"T\",\"days\":[]}", "days must be an array"),
            (
                "{\"title\":\"T\",\"days\":[{\"date\":\"15/07/2025\"}]}",
                "days[0].date must be YYYY-MM-DD",
            ),
            (
                "{\"title\":\"T\",\"days\":[5]}",
                "days[0] must be an object",
            ),
        ] {
            let err = read_answer(answer).unwrap_err();
            assert!(err.contains(problem), "{answer}: {err}");
        }
    }
}
