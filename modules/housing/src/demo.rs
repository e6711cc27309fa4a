//! Demo data of the housing module (filled in below as the module grows).
use jianan_kernel::{AppResult, Kernel};

/// Seeds the demo district's houses.
pub async fn seed(_k: &Kernel) -> AppResult<()> {
    Ok(())
}
