//! MessageService's wire types, field for field as the vendor swagger defines them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::proto_enum;

proto_enum! {
    /// `v1MessageDeliveryMethod`: the channel a message goes out on.
    DeliveryMethod as v1MessageDeliveryMethod {
        Unspecified = "MESSAGE_DELIVERY_METHOD_UNSPECIFIED",
        Msg = "MSG",
        Email = "EMAIL",
        Call = "CALL",
        App = "APP",
    }
}

proto_enum! {
    /// `v1MessageType`.
    MessageType as v1MessageType {
        Unspecified = "MESSAGE_TYPE_UNSPECIFIED",
        Text = "TEXT",
        Pic = "PIC",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1SendMessageToCustomerRequest)]
pub struct SendMessageToCustomerRequest {
    #[serde(default, alias = "customer_id")]
    pub customer_id: Option<String>,
    #[serde(default, alias = "phone_number")]
    pub phone_number: Option<String>,
    #[serde(default, alias = "message_body")]
    pub message_body: Option<String>,
    #[serde(default, alias = "message_type")]
    pub message_type: MessageType,
    #[serde(default)]
    pub method: DeliveryMethod,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1SendMessageToCustomerResponse)]
pub struct SendMessageToCustomerResponse {
    pub thread_id: String,
    pub message_id: String,
}
