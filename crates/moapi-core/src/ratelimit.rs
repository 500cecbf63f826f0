//! Per-key request limits: `MOAPI_RATE_LIMIT` requests per second per API key, with bursts of
//! twice that, answered with 429 and `Retry-After`. The counters live in each node's memory (a
//! shared counter would cost a database write per request), so behind N nodes a key may reach
//! N times the limit; nothing else depends on them.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

#[derive(Default)]
pub struct RateLimits {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    clock: DefaultClock,
}

impl RateLimits {
    /// `None` disables the limits.
    pub fn new(per_second: Option<NonZeroU32>) -> Self {
        RateLimits {
            limiter: per_second.map(|rate| {
                let burst = rate.saturating_mul(NonZeroU32::MIN.saturating_add(1));
                DefaultKeyedRateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
            }),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request of `key_id`; when it is over its limit, the whole seconds to wait.
    pub fn check(&self, key_id: &str) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter.check_key(&key_id.to_string()).map_err(|not_until| {
            not_until
                .wait_time_from(self.clock.now())
                .as_secs_f64()
                .ceil()
                .max(1.0) as u64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_burst_waits_and_others_do_not() {
        let limits = RateLimits::new(NonZeroU32::new(2));
        let results: Vec<_> = (0..5).map(|_| limits.check("a")).collect();
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            4,
            "burst of twice the rate"
        );
        assert_eq!(results[4], Err(1));
        assert!(limits.check("b").is_ok());
        assert!(RateLimits::new(None).check("a").is_ok());
    }
}
