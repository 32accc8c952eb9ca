//! Publishes per token over time: a token bucket per person, so a burst is allowed and
//! a steady flood is refused with when to try again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Writes allowed per person: `burst` at once, refilled at `per_minute`.
pub struct RateLimit {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl RateLimit {
    pub fn new(burst: u32, per_minute: u32) -> RateLimit {
        RateLimit {
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_minute) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one write for `user` now, or says in how many seconds one is free.
    pub fn take(&self, user: i64) -> Result<(), u64> {
        self.take_at(user, Instant::now())
    }

    fn take_at(&self, user: i64, now: Instant) -> Result<(), u64> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (tokens, since) = buckets.entry(user).or_insert((self.burst, now));
        let elapsed = now.saturating_duration_since(*since).as_secs_f64();
        *tokens = (*tokens + elapsed * self.per_second).min(self.burst);
        *since = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else if self.per_second > 0.0 {
            Err(((1.0 - *tokens) / self.per_second).ceil() as u64)
        } else {
            Err(u64::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let r = RateLimit::new(3, 60);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(r.take_at(1, t0), Ok(()));
        }
        assert_eq!(r.take_at(1, t0), Err(1));
        // Another person has a bucket of their own.
        assert_eq!(r.take_at(2, t0), Ok(()));
        assert_eq!(r.take_at(1, t0 + Duration::from_millis(1100)), Ok(()));
        assert!(r.take_at(1, t0 + Duration::from_millis(1200)).is_err());
    }
}
