//! Online booking (OnlineBookingService). GetBookingAvailability (`availability`) computes, never stores,
//! when the requested services can be booked for the pets: within the business's working
//! hours and outside its closed days (the company's time zone), when one staff member allowed
//! to give every staffed service is free for the whole visit, and, for boarding and daycare,
//! when a lodging unit has room for the pets that day. A slot offered can be booked with
//! `ignoreConflict: false`: the booking checks the same staff time and lodging counts.

pub mod abandoned;
pub mod availability;
pub mod page;
pub mod store;
pub mod visit;
pub mod wire;

pub use abandoned::{get_abandoned_booking, list_abandoned_bookings};
pub use availability::get_booking_availability;

pub const READ_SCOPE: &str = "online_booking:read";
