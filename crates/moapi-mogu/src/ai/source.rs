//! A job's document as text: inline base64 decoded, URL sources fetched through the SSRF
//! guard, the format told by filename, Content-Type or content, then plain text and Markdown
//! kept as lines, HTML rendered to text and PDF text extracted.

use std::sync::LazyLock;

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use moapi_core::outbound::Outbound;
use regex::Regex;

use super::store::JobSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
}

const SUPPORTED: &str = "supported documents are plain text, Markdown, HTML and PDF";

/// The format a filename or URL path announces: `Ok(None)` when it says nothing useful.
pub fn format_of_name(name: &str) -> Result<Option<Format>, String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let Some((_, extension)) = file.rsplit_once('.') else {
        return Ok(None);
    };
    match extension.to_ascii_lowercase().as_str() {
        "txt" | "text" | "json" | "csv" => Ok(Some(Format::Text)),
        "md" | "markdown" => Ok(Some(Format::Markdown)),
        "html" | "htm" | "xhtml" => Ok(Some(Format::Html)),
        "pdf" => Ok(Some(Format::Pdf)),
        unsupported @ ("jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" | "bmp" | "tif"
        | "tiff" | "svg" | "doc" | "docx" | "odt" | "rtf" | "xls" | "xlsx"
        | "ppt" | "pptx" | "zip" | "epub") => Err(format!(
            ".{unsupported} documents are not supported; {SUPPORTED}"
        )),
        _ => Ok(None),
    }
}

/// The format a Content-Type announces: `Ok(None)` for generic types.
pub fn format_of_content_type(content_type: &str) -> Result<Option<Format>, String> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/html" | "application/xhtml+xml" => Ok(Some(Format::Html)),
        "application/pdf" | "application/x-pdf" => Ok(Some(Format::Pdf)),
        "text/markdown" | "text/x-markdown" => Ok(Some(Format::Markdown)),
        "application/json" => Ok(Some(Format::Text)),
        text if text.starts_with("text/") => Ok(Some(Format::Text)),
        other if other.starts_with("image/") || other.starts_with("video/") => {
            Err(format!("{other} documents are not supported; {SUPPORTED}"))
        }
        _ => Ok(None),
    }
}

/// The format the bytes themselves show.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|window| window == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    let image = head.starts_with(b"\x89PNG")
        || head.starts_with(b"\xff\xd8\xff")
        || head.starts_with(b"GIF8")
        || (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"));
    if image {
        return Err(format!("images are not supported; {SUPPORTED}"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("the document is not text, HTML or PDF; {SUPPORTED}"))?;
    let start = text.trim_start().get(..256).unwrap_or(text.trim_start());
    let start = start.to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") || start.contains("<body")
    {
        Ok(Format::Html)
    } else {
        Ok(Format::Text)
    }
}

/// Decodes an inline document: standard or URL-safe base64, padded or not, with line breaks,
/// optionally as a `data:` URL.
pub fn decode_inline(data: &str) -> Result<Vec<u8>, String> {
    let data = match data.trim_start().strip_prefix("data:") {
        Some(url) => url
            .split_once(',')
            .map(|(_, payload)| payload)
            .ok_or("a data URL needs a comma before its payload")?,
        None => data,
    };
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let compact = compact.trim_end_matches('=');
    STANDARD_NO_PAD
        .decode(compact)
        .or_else(|_| URL_SAFE_NO_PAD.decode(compact))
        .map_err(|_| "data must be a base64-encoded document".to_string())
}

/// The document of `source` as bytes with its format; fetching a URL goes through the guard.
pub async fn load(source: &JobSource, outbound: &Outbound) -> Result<(Format, Vec<u8>), String> {
    match source {
        JobSource::Text(text) => Ok((Format::Markdown, text.clone().into_bytes())),
        JobSource::Inline { data, filename } => {
            let bytes = decode_inline(data)?;
            let format = match format_of_name(filename)? {
                Some(format) => format,
                None => sniff(&bytes)?,
            };
            Ok((format, bytes))
        }
        JobSource::Url(url) => {
            let fetched = outbound
                .get(url)
                .await
                .map_err(|err| format!("the document could not be fetched: {err}"))?;
            let announced = match fetched.content_type.as_deref() {
                Some(content_type) => format_of_content_type(content_type)?,
                None => None,
            };
            let format = match announced {
                Some(format) => format,
                None => match format_of_name(fetched.url.path())? {
                    Some(format) => format,
                    None => sniff(&fetched.body)?,
                },
            };
            Ok((format, fetched.body))
        }
    }
}

/// The document's text, lines kept (headings stay on their own lines).
pub async fn text_of(format: Format, bytes: Vec<u8>) -> Result<String, String> {
    match format {
        Format::Text | Format::Markdown => Ok(markdown_to_text(&String::from_utf8_lossy(&bytes))),
        Format::Html => html2text::from_read(bytes.as_slice(), 10_000)
            .map(|text| markdown_to_text(&text))
            .map_err(|err| format!("the HTML document could not be read: {err}")),
        // The PDF parser runs on a blocking thread; a panic inside it fails this job only.
        Format::Pdf => {
            tokio::task::spawn_blocking(move || pdf_extract::extract_text_from_mem(&bytes))
                .await
                .map_err(|_| "the PDF document could not be read".to_string())?
                .map_err(|err| format!("the PDF document could not be read: {err}"))
        }
    }
}

static IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[([^\]]*)\]\([^)]*\)").expect("valid pattern"));
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]+)\]\([^)]*\)").expect("valid pattern"));
static EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*|__|`").expect("valid pattern"));

/// Markdown's inline markup removed (links and images keep their text); headings, list
/// markers and line breaks stay for the extractor to read.
pub fn markdown_to_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            let line = line.trim_start_matches('>').trim_start_matches(' ');
            let line = IMAGE.replace_all(line, "$1");
            let line = LINK.replace_all(&line, "$1");
            EMPHASIS.replace_all(&line, "").into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_names_content_types_and_content() {
        assert_eq!(format_of_name("trip.PDF"), Ok(Some(Format::Pdf)));
        assert_eq!(format_of_name("/docs/plan.md"), Ok(Some(Format::Markdown)));
        assert_eq!(format_of_name("itinerary"), Ok(None));
        assert!(format_of_name("photo.jpg").is_err());
        assert_eq!(
            format_of_content_type("text/html; charset=utf-8"),
            Ok(Some(Format::Html))
        );
        assert_eq!(format_of_content_type("application/octet-stream"), Ok(None));
        assert!(format_of_content_type("image/png").is_err());
        assert_eq!(sniff(b"%PDF-1.4\n..."), Ok(Format::Pdf));
        assert_eq!(sniff(b"  <!DOCTYPE html><html>"), Ok(Format::Html));
        assert_eq!(sniff("Day 1 - Paris".as_bytes()), Ok(Format::Text));
        assert!(sniff(b"\x89PNG\r\n").is_err());
        assert!(sniff(&[0xff, 0xfe, 0x00, 0x81]).is_err());
    }

    #[test]
    fn inline_data_accepts_the_usual_base64_forms() {
        let expected = b"Day 1 - Paris".to_vec();
        assert_eq!(decode_inline("RGF5IDEgLSBQYXJpcw=="), Ok(expected.clone()));
        assert_eq!(decode_inline("RGF5IDEg\nLSBQYXJpcw"), Ok(expected.clone()));
        assert_eq!(
            decode_inline("data:text/plain;base64,RGF5IDEgLSBQYXJpcw=="),
            Ok(expected)
        );
        assert!(decode_inline("not base64!").is_err());
    }

    #[test]
    fn markdown_keeps_lines_and_drops_inline_markup() {
        let text = markdown_to_text(
            "# Paris **and** Rome\n> quoted\n## Day 1 - [Paris](https://x.example)\n![tower](t.png) `code`",
        );
        assert_eq!(
            text,
            "# Paris and Rome\nquoted\n## Day 1 - Paris\ntower code"
        );
    }

    #[tokio::test]
    async fn html_headings_and_paragraphs_become_lines() {
        let html = b"<html><head><style>p{}</style></head><body><h1>Alps &amp; Lakes</h1>\
                     <h2>Day 1 - Geneva</h2><p>Walk by the lake.</p><h2>Day 2: Zermatt</h2>\
                     <p>Train to <b>Zermatt</b>.</p></body></html>";
        let text = text_of(Format::Html, html.to_vec()).await.unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(lines[0].contains("Alps & Lakes"), "{text}");
        assert!(
            lines.iter().any(|l| l.ends_with("Day 1 - Geneva")),
            "{text}"
        );
        assert!(
            lines.iter().any(|l| l.contains("Train to Zermatt.")),
            "{text}"
        );
        assert!(!text.contains("p{}"), "{text}");
    }
}
