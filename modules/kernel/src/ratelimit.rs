//! A small in-process rate limiter (sliding window per key), for login attempts and anonymous
//! reporting (docs/security.md). Per instance: behind a load balancer each instance limits on its own.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{AppError, AppResult};

/// At most `max` events per `window` for each key.
pub struct RateLimiter {
    max: usize,
    window: Duration,
    hits: Mutex<HashMap<String, Vec<Instant>>>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        RateLimiter {
            max,
            window,
            hits: Mutex::default(),
        }
    }

    /// Records an event for `key`; `RATE_LIMITED` when the key is over its budget.
    pub fn hit(&self, key: &str) -> AppResult<()> {
        let now = Instant::now();
        let mut hits = match self.hits.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        if hits.len() > 10_000 {
            hits.retain(|_, v| {
                v.last()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        let list = hits.entry(key.to_owned()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= self.max {
            return Err(AppError::rate_limited());
        }
        list.push(now);
        Ok(())
    }

    /// Forgets `key` (e.g. after a successful login).
    pub fn reset(&self, key: &str) {
        if let Ok(mut h) = self.hits.lock() {
            h.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_within_the_window() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        assert!(l.hit("a").is_ok());
        assert!(l.hit("a").is_ok());
        assert_eq!(
            l.hit("a").map_err(|e| e.code),
            Err(crate::ErrorCode::RateLimited)
        );
        assert!(l.hit("b").is_ok());
        l.reset("a");
        assert!(l.hit("a").is_ok());
    }
}
