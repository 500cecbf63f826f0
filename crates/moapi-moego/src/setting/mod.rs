//! Company settings (SettingService): the service catalog and the lodgings, which operators
//! create (`moapi seed`, `/admin/v1`) and the API reads, and, for services, also writes.

pub mod lodging;
pub mod service;

pub const READ_SCOPE: &str = "settings:read";
pub const WRITE_SCOPE: &str = "settings:write";
