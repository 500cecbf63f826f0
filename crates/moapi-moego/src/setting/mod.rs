//! Company settings (SettingService).

pub mod catalog;
