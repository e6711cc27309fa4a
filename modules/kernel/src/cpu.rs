//! CPU-heavy work (password hashing) off the async runtime: each job runs on tokio's blocking
//! pool, at most one per core at a time, so a burst of logins cannot stall the workers that serve
//! every other request. Jobs beyond the queue's length are refused with `RATE_LIMITED` instead
//! of piling up.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Jobs that may wait for a core, per core.
const QUEUE_PER_CORE: usize = 32;

/// A bounded pool for CPU-heavy jobs.
pub struct CpuPool {
    permits: Semaphore,
    /// Jobs waiting or running.
    pending: AtomicUsize,
    max_pending: usize,
    /// Jobs run since start.
    runs: AtomicU64,
}

impl Default for CpuPool {
    fn default() -> Self {
        Self::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    }
}

impl CpuPool {
    /// A pool running at most `cores` jobs at a time.
    pub fn new(cores: usize) -> Self {
        let cores = cores.max(1);
        CpuPool {
            permits: Semaphore::new(cores),
            pending: AtomicUsize::new(0),
            max_pending: cores * QUEUE_PER_CORE,
            runs: AtomicU64::new(0),
        }
    }

    /// Runs `job` on the blocking pool once a core is free.
    pub async fn run<T, F>(&self, job: F) -> AppResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        struct Pending<'a>(&'a AtomicUsize);
        impl Drop for Pending<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        if self.pending.fetch_add(1, Ordering::SeqCst) >= self.max_pending {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::rate_limited());
        }
        let _pending = Pending(&self.pending);
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        self.runs.fetch_add(1, Ordering::SeqCst);
        tokio::task::spawn_blocking(job)
            .await
            .map_err(AppError::internal)
    }

    /// Jobs run since start (tests check that a refused request hashed nothing).
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_one_job_per_core_runs_at_a_time() {
        let pool = Arc::new(CpuPool::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (pool, running, peak) = (pool.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(pool.runs(), 8);
        assert!(peak.load(Ordering::SeqCst) <= 2);
    }
}
