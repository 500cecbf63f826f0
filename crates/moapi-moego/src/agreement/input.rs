//! Validation of what an agreement is given (operators write agreements; the public API reads
//! them and links customers to sign) and of a signature.

use moapi_core::Status;

use super::wire::SignedPolicy;

/// Longest title: a document's name, as the vendor's app shows it in a list.
const MAX_TITLE_CHARS: usize = 200;
/// Longest content, after sanitising: a few pages of terms.
const MAX_CONTENT_CHARS: usize = 100_000;
/// Longest SMS template: a few segments of text.
const MAX_SMS_CHARS: usize = 1_000;
const MAX_EMAIL_TITLE_CHARS: usize = 200;
const MAX_EMAIL_BODY_CHARS: usize = 20_000;
/// Longest typed signature: a full name.
pub const MAX_SIGNATURE_CHARS: usize = 100;

/// An agreement's values, checked; `content` is sanitised rich text.
#[derive(Debug, Clone)]
pub struct AgreementValues {
    pub signed_policy: SignedPolicy,
    pub title: String,
    pub content: String,
    pub sms_template: String,
    pub email_template_title: String,
    pub email_template_body: String,
    /// The businesses it applies to, in order (none: every business of the company).
    pub business_ids: Vec<i64>,
}

/// What an operator gives for an agreement, before checking.
#[derive(Debug, Clone, Copy)]
pub struct AgreementText<'a> {
    pub signed_policy: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub sms_template: &'a str,
    pub email_template_title: &'a str,
    pub email_template_body: &'a str,
}

fn at_most(field: &str, text: &str, max: usize) -> Result<(), Status> {
    if text.chars().count() > max {
        return Err(Status::invalid_argument(format!(
            "{field}: at most {max} characters"
        )));
    }
    Ok(())
}

/// Checks an agreement: a title (1 to 200 characters), content that keeps some text once
/// sanitised, a signed policy named, templates within their lengths, no business twice.
pub fn agreement_values(
    text: AgreementText<'_>,
    business_ids: Vec<i64>,
) -> Result<AgreementValues, Status> {
    let signed_policy = SignedPolicy::from_name(text.signed_policy.trim());
    if signed_policy.is_unspecified() {
        return Err(Status::invalid_argument(
            "signedPolicy: one of FOR_FIRST, FOR_EACH, OPTIONAL",
        ));
    }
    let title = text.title.trim();
    if title.is_empty() {
        return Err(Status::invalid_argument("title: value is required"));
    }
    at_most("title", title, MAX_TITLE_CHARS)?;
    let content = moapi_core::rich_text::clean(text.content.trim());
    if content.trim().is_empty() {
        return Err(Status::invalid_argument(
            "content: value is required (rich text with some text in it)",
        ));
    }
    at_most("content", &content, MAX_CONTENT_CHARS)?;
    at_most("smsTemplate", text.sms_template, MAX_SMS_CHARS)?;
    at_most(
        "emailTemplateTitle",
        text.email_template_title,
        MAX_EMAIL_TITLE_CHARS,
    )?;
    at_most(
        "emailTemplateBody",
        text.email_template_body,
        MAX_EMAIL_BODY_CHARS,
    )?;
    let mut seen = std::collections::BTreeSet::new();
    if business_ids.iter().any(|id| !seen.insert(*id)) {
        return Err(Status::invalid_argument(
            "businessIds: a business is given twice",
        ));
    }
    Ok(AgreementValues {
        signed_policy,
        title: title.to_string(),
        content,
        sms_template: text.sms_template.trim().to_string(),
        email_template_title: text.email_template_title.trim().to_string(),
        email_template_body: text.email_template_body.trim().to_string(),
        business_ids,
    })
}

/// Why a signature is refused, in the page's words.
pub fn signature_problem(name: &str, consented: bool) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some("Type your full name to sign.")
    } else if name.chars().count() > MAX_SIGNATURE_CHARS {
        Some("That name is too long: at most 100 characters.")
    } else if name.chars().any(char::is_control) {
        Some("Type your name on one line.")
    } else if !consented {
        Some("Tick the box to say you agree.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(policy: &'a str, title: &'a str, content: &'a str) -> AgreementText<'a> {
        AgreementText {
            signed_policy: policy,
            title,
            content,
            sms_template: "",
            email_template_title: "",
            email_template_body: "",
        }
    }

    #[test]
    fn agreements_need_a_policy_a_title_and_real_content() {
        let values = agreement_values(
            text("FOR_EACH", " Waiver ", "<p>Yes<script>x</script></p>"),
            vec![2, 1],
        )
        .unwrap();
        assert_eq!(values.title, "Waiver");
        assert_eq!(values.content, "<p>Yes</p>");
        assert_eq!(values.business_ids, vec![2, 1]);
        for (bad, field) in [
            (text("", "T", "c"), "signedPolicy"),
            (text("SIGNED_POLICY_UNSPECIFIED", "T", "c"), "signedPolicy"),
            (text("FOR_FIRST", " ", "c"), "title"),
            (text("FOR_FIRST", "T", "<script>only</script>"), "content"),
        ] {
            let err = agreement_values(bad, vec![]).unwrap_err();
            assert!(err.message().starts_with(field), "{err:?}");
        }
        let err = agreement_values(text("OPTIONAL", "T", "c"), vec![1, 1]).unwrap_err();
        assert!(err.message().starts_with("businessIds"));
    }

    #[test]
    fn signatures_are_a_name_and_consent() {
        assert_eq!(signature_problem(" Ann Lee ", true), None);
        assert!(signature_problem("", true).is_some());
        assert!(signature_problem("Ann", false).is_some());
        assert!(signature_problem("Ann\nLee", true).is_some());
        assert!(signature_problem(&"x".repeat(101), true).is_some());
    }
}
