//! Company settings (SettingService): the service catalog and the lodgings, which operators
//! create (`moapi seed`, `/admin/v1`) and the API reads, and, for services, also writes; and
//! the company's catalogs (tags, referral sources, pet types, sizes, coats and codes, lead
//! settings, custom fields), which only operators create.

pub mod catalog;
pub mod lodging;
pub mod service;

pub const READ_SCOPE: &str = "settings:read";
pub const WRITE_SCOPE: &str = "settings:write";
