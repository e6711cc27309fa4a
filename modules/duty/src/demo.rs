//! Demo data: written through the services (audit trail, events and evidence included).
use jianan_kernel::{AppResult, Kernel};

/// Seeds the duty module's part of the demo district.
pub async fn seed(_k: &Kernel) -> AppResult<()> {
    Ok(())
}
