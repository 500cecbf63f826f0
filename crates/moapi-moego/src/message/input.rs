//! What a message may say and where it may go: the body by its type, and the channel by the
//! customer's contact details, communication preferences and compliance configuration.

use moapi_core::Status;

use super::wire::{DeliveryMethod, MessageType};
use crate::customer::store::CustomerRow;
use crate::customer::wire::ComplianceChannel;

/// Longest text message: ten SMS segments, the usual cap of a business texting tool.
const MAX_TEXT_CHARS: usize = 1_600;
/// Longest email text.
const MAX_EMAIL_CHARS: usize = 20_000;
/// Longest picture reference (a URL).
const MAX_PICTURE_CHARS: usize = 2_048;

/// A checked body of the given type for the channel.
pub fn body(
    method: DeliveryMethod,
    message_type: MessageType,
    body: Option<&str>,
) -> Result<String, Status> {
    let body = body.map(str::trim).unwrap_or_default();
    if body.is_empty() {
        return Err(Status::invalid_argument("messageBody: value is required"));
    }
    match message_type {
        MessageType::Unspecified | MessageType::Text => {
            let max = match method {
                DeliveryMethod::Email => MAX_EMAIL_CHARS,
                _ => MAX_TEXT_CHARS,
            };
            if body.chars().count() > max {
                return Err(Status::invalid_argument(format!(
                    "messageBody: at most {max} characters for {}",
                    method.name()
                )));
            }
        }
        MessageType::Pic => {
            let is_web = url::Url::parse(body)
                .map(|url| matches!(url.scheme(), "https" | "http") && url.host().is_some())
                .unwrap_or(false);
            if !is_web || body.len() > MAX_PICTURE_CHARS {
                return Err(Status::invalid_argument(
                    "messageBody: a PIC message's body is the picture's absolute http(s) URL",
                ));
            }
            if method == DeliveryMethod::Call {
                return Err(Status::invalid_argument(
                    "messageType: a CALL cannot carry a picture",
                ));
            }
        }
    }
    Ok(body.to_string())
}

fn refused(message: String) -> Status {
    Status::failed_precondition(message)
}

/// Where the message goes (phone, email, or nothing for the app), or FAILED_PRECONDITION when
/// the customer cannot be reached on that channel or has not consented to it. `phone` is the
/// request's `phoneNumber`, normalised; it must be the customer's.
pub fn recipient(
    customer: &CustomerRow,
    method: DeliveryMethod,
    phone: Option<&str>,
) -> Result<String, Status> {
    let compliance = customer.compliance();
    let preference = customer.preference();
    let allowed = |channel: ComplianceChannel| {
        compliance.service_related_channels.is_empty()
            || compliance.service_related_channels.contains(&channel)
    };
    let not_consented = |channel: &str| {
        refused(format!(
            "method: the customer has not consented to {channel} (complianceConfig.serviceRelatedChannels)"
        ))
    };
    if let Some(phone) = phone {
        if method == DeliveryMethod::Email || method == DeliveryMethod::App {
            return Err(Status::invalid_argument(format!(
                "phoneNumber: not used by {}",
                method.name()
            )));
        }
        if phone != customer.phone {
            return Err(Status::invalid_argument(
                "phoneNumber: not a phone number of the customer",
            ));
        }
    }
    let phone = || {
        Some(customer.phone.clone())
            .filter(|phone| !phone.is_empty())
            .ok_or_else(|| refused("method: the customer has no phone number".to_string()))
    };
    match method {
        DeliveryMethod::Unspecified => Err(Status::invalid_argument(
            "method: one of MSG, EMAIL, CALL, APP",
        )),
        DeliveryMethod::Msg => {
            if !allowed(ComplianceChannel::ComplianceChannelSms) {
                return Err(not_consented("text messages"));
            }
            if !preference.receive_auto_message {
                return Err(refused(
                    "method: the customer does not receive automated messages (preference.receiveAutoMessage)".to_string(),
                ));
            }
            phone()
        }
        DeliveryMethod::Call => {
            if !allowed(ComplianceChannel::ComplianceChannelAutoCall) {
                return Err(not_consented("automated calls"));
            }
            phone()
        }
        DeliveryMethod::Email => {
            if !allowed(ComplianceChannel::ComplianceChannelEmail) {
                return Err(not_consented("email"));
            }
            if !preference.receive_auto_email {
                return Err(refused(
                    "method: the customer does not receive automated emails (preference.receiveAutoEmail)".to_string(),
                ));
            }
            Some(customer.email.clone())
                .filter(|email| !email.is_empty())
                .ok_or_else(|| refused("method: the customer has no email address".to_string()))
        }
        DeliveryMethod::App => {
            if !compliance.branded_app_enabled {
                return Err(refused(
                    "method: the customer has not enabled the branded app (complianceConfig.brandedAppEnabled)".to_string(),
                ));
            }
            Ok(String::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_fit_their_type_and_channel() {
        assert_eq!(
            body(DeliveryMethod::Msg, MessageType::Text, Some(" hi ")).unwrap(),
            "hi"
        );
        assert!(body(DeliveryMethod::Msg, MessageType::Text, Some("  ")).is_err());
        assert!(body(
            DeliveryMethod::Msg,
            MessageType::Text,
            Some(&"x".repeat(1601))
        )
        .is_err());
        assert!(body(
            DeliveryMethod::Email,
            MessageType::Text,
            Some(&"x".repeat(1601))
        )
        .is_ok());
        assert!(body(
            DeliveryMethod::Msg,
            MessageType::Pic,
            Some("https://x.example/a.jpg")
        )
        .is_ok());
        assert!(body(DeliveryMethod::Msg, MessageType::Pic, Some("a picture")).is_err());
        assert!(body(
            DeliveryMethod::Call,
            MessageType::Pic,
            Some("https://x.example/a.jpg")
        )
        .is_err());
    }
}
