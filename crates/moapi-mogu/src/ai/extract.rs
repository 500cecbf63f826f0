//! The built-in extractor: a deterministic reading of an itinerary's text, with no network.
//! The title is the first line; "Day N" headings ("Day 1 - Paris", "Day 2: Lyon", "## Day 3",
//! "Día 4", "Jour 5") open the days; dates in ISO or written form ("15 July 2025",
//! "July 15th, 2025", "15 de julio de 2025") date a day when its heading holds one, and
//! otherwise the trip starts on the first date before the first day; country names anywhere
//! become ISO alpha-3 destinations.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Days, NaiveDate};
use regex::Regex;

use crate::trip::countries;

const TITLE_MAX_CHARS: usize = 200;
const DAY_TITLE_MAX_CHARS: usize = 100;
const MAX_DAYS: usize = 366;
const MAX_COUNTRIES: usize = 50;

/// A trip as read from a document, before it becomes rows and blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct TripDraft {
    pub title: String,
    /// What precedes the first day, if anything.
    pub introduction: String,
    pub days: Vec<DayDraft>,
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DayDraft {
    /// The day's number in the trip, from 1.
    pub number: u32,
    pub title: String,
    pub date: Option<NaiveDate>,
    /// The day's text, paragraphs separated by blank lines.
    pub text: String,
}

impl TripDraft {
    pub fn date_start(&self) -> Option<NaiveDate> {
        self.days.iter().filter_map(|day| day.date).min()
    }

    pub fn date_finish(&self) -> Option<NaiveDate> {
        self.days.iter().filter_map(|day| day.date).max()
    }

    /// Days from the first date to the last, both counted; else the number of days.
    pub fn duration(&self) -> i64 {
        match (self.date_start(), self.date_finish()) {
            (Some(start), Some(finish)) => (finish - start).num_days() + 1,
            _ => self.days.len() as i64,
        }
    }
}

static DAY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:day|días?|dia|jour|tag|giorno)\s+(\d{1,3})\b\s*(?:[-–—:.)|/]+\s*)?(.*)$")
        .expect("valid pattern")
});

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("enero", 1),
    ("february", 2),
    ("feb", 2),
    ("febrero", 2),
    ("march", 3),
    ("mar", 3),
    ("marzo", 3),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("may", 5),
    ("mayo", 5),
    ("june", 6),
    ("jun", 6),
    ("junio", 6),
    ("july", 7),
    ("jul", 7),
    ("julio", 7),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octubre", 10),
    ("november", 11),
    ("nov", 11),
    ("noviembre", 11),
    ("december", 12),
    ("dec", 12),
    ("diciembre", 12),
];

fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    MONTHS
        .iter()
        .find(|(month, _)| *month == name)
        .map(|(_, number)| *number)
}

static DATE_PATTERNS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    let mut names: Vec<&str> = MONTHS.iter().map(|(name, _)| *name).collect();
    // Longest first, so that "september" is not read as "sep".
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    let month = names.join("|");
    [
        r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b".to_string(),
        format!(
            r"(?i)\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of|\s+de)?\s+(?P<month>{month})\.?,?(?:\s+de|\s+del)?\s+(?P<y>\d{{4}})\b"
        ),
        format!(
            r"(?i)\b(?P<month>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
        ),
    ]
    .map(|pattern| Regex::new(&pattern).expect("valid pattern"))
});

/// The first valid date in `text`, and where it sits.
fn first_date(text: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
    DATE_PATTERNS
        .iter()
        .flat_map(|pattern| pattern.captures_iter(text))
        .filter_map(|captures| {
            let year = captures.name("y")?.as_str().parse().ok()?;
            let day = captures.name("d")?.as_str().parse().ok()?;
            let month = match captures.name("m") {
                Some(number) => number.as_str().parse().ok()?,
                None => month_number(captures.name("month")?.as_str())?,
            };
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            Some((date, captures.get(0)?.range()))
        })
        .min_by_key(|(_, range)| range.start)
}

static COUNTRY_NAMES: LazyLock<(Regex, HashMap<String, &'static str>)> = LazyLock::new(|| {
    let mut names: Vec<&str> = countries::NAMES.iter().map(|(name, _)| *name).collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    let alternatives: Vec<String> = names.iter().map(|name| regex::escape(name)).collect();
    let pattern = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
    let codes = countries::NAMES
        .iter()
        .map(|(name, code)| (name.to_lowercase(), *code))
        .collect();
    (Regex::new(&pattern).expect("valid pattern"), codes)
});

/// The countries named in `text`, as alpha-3 codes in order of first mention.
pub fn countries_in(text: &str) -> Vec<String> {
    let (pattern, codes) = &*COUNTRY_NAMES;
    let mut found: Vec<String> = Vec::new();
    for name in pattern.find_iter(text) {
        let Some(code) = codes.get(&name.as_str().to_lowercase()) else {
            continue;
        };
        if !found.iter().any(|known| known == code) {
            found.push(code.to_string());
        }
        if found.len() == MAX_COUNTRIES {
            break;
        }
    }
    found
}

/// A line without Markdown heading marks, list bullets and surrounding emphasis.
fn bare(line: &str) -> &str {
    line.trim()
        .trim_start_matches('#')
        .trim_start_matches(['*', '-', '•', '+'])
        .trim()
        .trim_matches(['*', '_'])
        .trim()
}

fn cut(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => text[..end].trim_end().to_string(),
        None => text.to_string(),
    }
}

/// A day heading's title once its date, a weekday beside it ("Monday, 15 July 2025") and
/// the separators around them are gone.
fn day_title(rest: &str, date_at: Option<std::ops::Range<usize>>) -> String {
    const SEPARATORS: &[char] = &['-', '–', '—', ':', '|', ',', '(', ')', '[', ']', ' '];
    let Some(range) = date_at else {
        return cut(rest.trim_matches(SEPARATORS), DAY_TITLE_MAX_CHARS);
    };
    let without_date = format!("{} {}", &rest[..range.start], &rest[range.end..]);
    let words = without_date
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut title = words.trim_matches(SEPARATORS);
    let first_word = title.split([' ', ',']).next().unwrap_or_default();
    if is_weekday(first_word) {
        title = title[first_word.len()..].trim_matches(SEPARATORS);
    }
    cut(title, DAY_TITLE_MAX_CHARS)
}

fn is_weekday(word: &str) -> bool {
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ];
    WEEKDAYS.contains(&word.to_lowercase().as_str())
}

/// Reads `text` into a trip; an error when it holds no words at all.
pub fn draft(text: &str) -> Result<TripDraft, String> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let Some(title_at) = lines.iter().position(|line| !bare(line).is_empty()) else {
        return Err("Could not extract trip information from document: it holds no text".into());
    };
    let heading = |line: &str| DAY_HEADING.captures(bare(line)).is_some();
    let title_line = bare(lines[title_at]);
    let (title, body_from) = match DAY_HEADING.captures(title_line) {
        // The document opens with its first day: no title line to take.
        Some(_) => ("Imported trip".to_string(), title_at),
        None => (cut(title_line, TITLE_MAX_CHARS), title_at + 1),
    };
    let first_day = (body_from..lines.len())
        .find(|&index| heading(lines[index]))
        .unwrap_or(lines.len());
    let introduction = paragraphs(&lines[body_from..first_day]);
    let mut days = Vec::new();
    let mut index = first_day;
    while index < lines.len() && days.len() < MAX_DAYS {
        let captures = DAY_HEADING
            .captures(bare(lines[index]))
            .expect("a day heading");
        let number: u32 = captures[1].parse().unwrap_or(0);
        let rest = captures.get(2).map_or("", |rest| rest.as_str());
        let end = (index + 1..lines.len())
            .find(|&next| heading(lines[next]))
            .unwrap_or(lines.len());
        let mut body = paragraphs(&lines[index + 1..end]);
        let dated = first_date(rest);
        let (title, date) = if rest.chars().count() > DAY_TITLE_MAX_CHARS {
            // A heading that runs into the day's text: keep it as text.
            body = format!("{rest}\n\n{body}").trim().to_string();
            (String::new(), dated.map(|(date, _)| date))
        } else {
            let date = dated.as_ref().map(|(date, _)| *date);
            (day_title(rest, dated.map(|(_, range)| range)), date)
        };
        let number = if number == 0 {
            days.len() as u32 + 1
        } else {
            number
        };
        let title = if title.is_empty() {
            format!("Day {number}")
        } else {
            title
        };
        days.push(DayDraft {
            number,
            title,
            date,
            text: body,
        });
        index = end;
    }
    if days.is_empty() && introduction.is_empty() {
        return Err("Could not extract trip information from document".into());
    }
    if days.is_empty() {
        // No day headings: the whole text is the trip's one day.
        days.push(DayDraft {
            number: 1,
            title: "Day 1".into(),
            date: first_date(&introduction).map(|(date, _)| date),
            text: introduction.clone(),
        });
    }
    let mut trip = TripDraft {
        title,
        introduction: if days.len() == 1 && days[0].text == introduction {
            String::new()
        } else {
            introduction
        },
        days,
        countries: countries_in(text),
    };
    date_the_days(&mut trip);
    Ok(trip)
}

/// Gives undated days the date their number implies: from a dated day when there is one,
/// else from the first date of the introduction (the trip's start).
pub fn date_the_days(trip: &mut TripDraft) {
    let anchor = trip
        .days
        .iter()
        .find_map(|day| day.date.map(|date| (day.number, date)))
        .or_else(|| first_date(&trip.introduction).map(|(date, _)| (1, date)));
    let Some((anchor_number, anchor_date)) = anchor else {
        return;
    };
    for day in trip.days.iter_mut().filter(|day| day.date.is_none()) {
        let offset = i64::from(day.number) - i64::from(anchor_number);
        day.date = if offset >= 0 {
            anchor_date.checked_add_days(Days::new(offset as u64))
        } else {
            anchor_date.checked_sub_days(Days::new(offset.unsigned_abs()))
        };
    }
}

/// Lines as paragraphs: blank lines separate them, surrounding blank lines dropped.
fn paragraphs(lines: &[&str]) -> String {
    let mut text = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        text.push_str(line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn day_headings_in_their_usual_forms_open_days_in_order() {
        let trip = draft(
            "# France and Italy by Train\n\nTwo countries in three days, from 2025-07-15.\n\n\
             Day 1 - Paris\nArrival, Eiffel Tower.\n\nDinner in Montmartre.\n\
             Day 2: Lyon\nBouchons.\n## Day 3\n**Rome**, Italy.\n",
        )
        .unwrap();
        assert_eq!(trip.title, "France and Italy by Train");
        assert_eq!(
            trip.introduction,
            "Two countries in three days, from 2025-07-15."
        );
        let titles: Vec<&str> = trip.days.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["Paris", "Lyon", "Day 3"]);
        let dates: Vec<_> = trip.days.iter().map(|d| d.date).collect();
        assert_eq!(
            dates,
            [
                Some(date("2025-07-15")),
                Some(date("2025-07-16")),
                Some(date("2025-07-17"))
            ]
        );
        assert_eq!(
            trip.days[0].text,
            "Arrival, Eiffel Tower.\n\nDinner in Montmartre."
        );
        assert_eq!(trip.countries, ["FRA", "ITA"]);
        assert_eq!(trip.duration(), 3);
    }

    #[test]
    fn written_dates_in_headings_date_their_days_and_leave_the_title() {
        let trip = draft(
            "Andes\nDay 1 (Monday, 3 March 2025): Lima\nDay 2 - March 5th, 2025 - Cusco\n\
             Día 3 - 6 de marzo de 2025 - Machu Picchu\nDay 4 - Puno",
        )
        .unwrap();
        let days: Vec<(&str, Option<NaiveDate>)> = trip
            .days
            .iter()
            .map(|d| (d.title.as_str(), d.date))
            .collect();
        assert_eq!(
            days,
            [
                ("Lima", Some(date("2025-03-03"))),
                ("Cusco", Some(date("2025-03-05"))),
                ("Machu Picchu", Some(date("2025-03-06"))),
                ("Puno", Some(date("2025-03-06"))),
            ]
        );
        assert_eq!(trip.date_start(), Some(date("2025-03-03")));
        assert_eq!(trip.date_finish(), Some(date("2025-03-06")));
        assert_eq!(trip.duration(), 4);
    }

    #[test]
    fn without_any_date_days_stay_undated() {
        let trip = draft("Weekend\nDay 1 - Porto\nDay 2 - Braga, Portugal").unwrap();
        assert!(trip.days.iter().all(|d| d.date.is_none()));
        assert_eq!(trip.duration(), 2);
        assert_eq!(trip.countries, ["PRT"]);
    }

    #[test]
    fn text_without_headings_is_one_day_and_empty_text_is_an_error() {
        let trip = draft("City break\nA walk along the Seine in France.").unwrap();
        assert_eq!(trip.days.len(), 1);
        assert_eq!(trip.days[0].text, "A walk along the Seine in France.");
        assert_eq!(trip.introduction, "");
        assert!(draft(" \n\n ").is_err());
    }

    #[test]
    fn country_names_are_found_once_in_order_of_mention() {
        assert_eq!(
            countries_in("From the United Kingdom to france, then Guinea-Bissau and the UK again; not Francesca."),
            ["GBR", "FRA", "GNB"]
        );
        assert_eq!(countries_in("Papua New Guinea"), ["PNG"]);
        assert_eq!(countries_in("España y Perú"), ["ESP", "PER"]);
    }

    #[test]
    fn dates_are_read_in_iso_and_written_forms() {
        for (text, expected) in [
            ("on 2025-07-15", "2025-07-15"),
            ("15 July 2025", "2025-07-15"),
            ("15th of Jul, 2025", "2025-07-15"),
            ("July 15, 2025", "2025-07-15"),
            ("Sept 1st 2025", "2025-09-01"),
            ("1 de septiembre de 2025", "2025-09-01"),
        ] {
            assert_eq!(
                first_date(text).map(|(d, _)| d),
                Some(date(expected)),
                "{text}"
            );
        }
        assert_eq!(first_date("2025-02-30 and 31 June 2025"), None);
    }
}
