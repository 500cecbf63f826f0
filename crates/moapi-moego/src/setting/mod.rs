//! Company settings (SettingService).

pub mod catalog;

pub const READ_SCOPE: &str = "settings:read";
