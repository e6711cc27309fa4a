//! A small in-process rate limiter (sliding window per key), for login attempts and anonymous
//! reporting (docs/security.md). Per instance: behind a load balancer each instance limits on its own.
//!
//! Memory is bounded whatever callers send: a key is cut to [`MAX_KEY_CHARS`] characters, a key
//! keeps at most `max` instants, and the map holds at most `max_keys` keys. When it is full, keys
//! whose window has passed go first, then the key touched longest ago.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{AppError, AppResult};

/// Longest key kept (longer keys are cut: two names that share their first 128 characters
/// share a budget).
pub const MAX_KEY_CHARS: usize = 128;

/// Keys kept by default.
pub const DEFAULT_MAX_KEYS: usize = 10_000;

/// At most `max` events per `window` for each key.
pub struct RateLimiter {
    max: usize,
    window: Duration,
    max_keys: usize,
    hits: Mutex<HashMap<String, Vec<Instant>>>,
}

/// `key` cut to [`MAX_KEY_CHARS`] characters.
pub fn capped_key(key: &str) -> String {
    key.chars().take(MAX_KEY_CHARS).collect()
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Self::with_capacity(max, window, DEFAULT_MAX_KEYS)
    }

    /// A limiter that remembers at most `max_keys` keys.
    pub fn with_capacity(max: usize, window: Duration, max_keys: usize) -> Self {
        RateLimiter {
            max: max.max(1),
            window,
            max_keys: max_keys.max(1),
            hits: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        match self.hits.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        }
    }

    /// Records an event for `key`; `RATE_LIMITED` (and nothing recorded) when the key is over
    /// its budget.
    pub fn hit(&self, key: &str) -> AppResult<()> {
        let key = capped_key(key);
        let now = Instant::now();
        let mut hits = self.lock();
        if !hits.contains_key(&key) && hits.len() >= self.max_keys {
            self.make_room(&mut hits, now);
        }
        let list = hits.entry(key).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= self.max {
            return Err(AppError::rate_limited());
        }
        list.push(now);
        Ok(())
    }

    /// Drops expired keys; if the map is still full, the key touched longest ago.
    fn make_room(&self, hits: &mut HashMap<String, Vec<Instant>>, now: Instant) {
        hits.retain(|_, v| {
            v.last()
                .is_some_and(|t| now.duration_since(*t) < self.window)
        });
        while hits.len() >= self.max_keys {
            let oldest = hits
                .iter()
                .min_by_key(|(_, v)| v.last().copied())
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => hits.remove(&k),
                None => break,
            };
        }
    }

    /// Takes back the newest event of `key` (an attempt that turned out to be legitimate).
    pub fn forgive(&self, key: &str) {
        let key = capped_key(key);
        let mut hits = self.lock();
        if let Some(list) = hits.get_mut(&key) {
            list.pop();
            if list.is_empty() {
                hits.remove(&key);
            }
        }
    }

    /// Forgets `key` (e.g. after a successful login).
    pub fn reset(&self, key: &str) {
        self.lock().remove(&capped_key(key));
    }

    /// Keys currently remembered.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        l.forgive("a");
        l.forgive("b");
        assert!(l.is_empty());
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_keys() {
        let l = RateLimiter::with_capacity(3, Duration::from_secs(60), 100);
        for i in 0..10_000 {
            assert!(l.hit(&format!("user-{i}")).is_ok());
        }
        assert_eq!(l.len(), 100);
        // A very long key is cut, so it costs no more than a short one.
        let long = "x".repeat(100_000);
        for _ in 0..3 {
            assert!(l.hit(&long).is_ok());
        }
        assert!(l.hit(&format!("{long}different tail")).is_err());
        assert!(l.len() <= 100);
    }
}
