//! What makes agent-written content safe in a page: text escaped for HTML, URLs kept only when
//! they are absolute web links, and the builder's rich text reduced by a whitelist sanitiser
//! (ammonia, an HTML5 parser) to a few formatting tags without scripts, styles or handlers.

use std::collections::HashSet;
use std::fmt::Write;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

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

/// The tags rich text may keep. Only `a` keeps an attribute (`href`, web and mail links).
const RICH_TEXT_TAGS: [&str; 20] = [
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "strong",
    "u",
    "ul",
];

static RICH_TEXT: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .add_tags(RICH_TEXT_TAGS)
        .rm_tag_attributes("a", ["hreflang"])
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        .clean_content_tags(HashSet::from([
            "script", "style", "template", "iframe", "object", "noscript", "textarea", "title",
        ]));
    builder
});

/// The builder's HTML (`content.text`) reduced to [`RICH_TEXT_TAGS`]: other tags are dropped
/// (scripts and styles with their content), attributes and relative or non-web links removed,
/// text escaped, and every element closed.
pub fn rich_text(html: &str) -> String {
    RICH_TEXT.clean(html).to_string()
}

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
    fn rich_text_keeps_formatting_and_drops_everything_active() {
        let cleaned = rich_text(
            r#"<p onclick="steal()">Day <b>one</b><script>alert(1)</script></p>
               <img src=x onerror="alert(2)"><style>body{display:none}</style>
               <a href="javascript:alert(3)">bad</a> <a href="https://ok.example/x" target="_top">good</a>
               <a href="/relative">rel</a><iframe src="https://evil.example"></iframe><ul><li>open"#,
        );
        assert!(cleaned.starts_with("<p>Day <b>one</b></p>"), "{cleaned}");
        for forbidden in [
            "script",
            "alert",
            "onclick",
            "onerror",
            "<img",
            "style",
            "javascript",
            "iframe",
            "target",
            "/relative",
        ] {
            assert!(!cleaned.contains(forbidden), "{forbidden} in {cleaned}");
        }
        assert!(cleaned.contains(
            r#"<a href="https://ok.example/x" rel="noopener noreferrer nofollow ugc">good</a>"#
        ));
        assert!(cleaned.ends_with("<ul><li>open</li></ul>"), "{cleaned}");
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
