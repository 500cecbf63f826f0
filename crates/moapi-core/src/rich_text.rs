//! Rich text people write for others to read (a trip's text blocks, an agreement a customer
//! signs), reduced by a whitelist sanitiser (ammonia, an HTML5 parser) to a few formatting tags
//! without scripts, styles or handlers, so a page can show it as it is.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

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

/// Rich text (HTML someone typed into an editor) reduced to [`RICH_TEXT_TAGS`]: other tags are dropped
/// (scripts and styles with their content), attributes and relative or non-web links removed,
/// text escaped, and every element closed.
pub fn clean(html: &str) -> String {
    RICH_TEXT.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_keeps_formatting_and_drops_everything_active() {
        let cleaned = clean(
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
}
