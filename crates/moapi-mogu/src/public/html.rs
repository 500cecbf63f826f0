//! What makes agent-written content safe in a page: text escaped for HTML, URLs kept only when
//! they are absolute web links, and the builder's rich text reduced to a few formatting tags
//! (`moapi_core::rich_text`).

use std::fmt::Write;

use crate::trip::input::is_web_url;

/// `text` escaped for an HTML text node or a double-quoted attribute value.
pub fn escape(text: &str) -> String {
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

/// `url` if it is an absolute http(s) URL, for `src`/`href` attributes (escape it still).
pub fn web_url(url: &str) -> Option<&str> {
    let url = url.trim();
    is_web_url(url).then_some(url)
}

pub use moapi_core::rich_text::clean as rich_text;

/// Appends formatted text to a page being built; writing to a `String` cannot fail.
pub fn push(page: &mut String, args: std::fmt::Arguments<'_>) {
    let _ = page.write_fmt(args);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attribute_delimiters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn only_absolute_web_urls_are_links() {
        assert_eq!(
            web_url(" https://img.example/a.jpg "),
            Some("https://img.example/a.jpg")
        );
        for url in [
            "javascript:alert(1)",
            "/local.png",
            "data:image/png;base64,AA",
            "",
        ] {
            assert_eq!(web_url(url), None, "{url}");
        }
    }
}
