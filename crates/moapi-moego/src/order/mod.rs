//! Orders: what an appointment bills. The order operations are the orders helper's; the
//! appointments branch carries only the ledger contract it books through.

pub mod ledger;
