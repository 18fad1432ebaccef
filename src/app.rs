//! The reader application (placeholder until the screen lands).

/// Opens the reader.
///
/// # Errors
/// Always, for now.
pub fn run(_cli: &crate::cli::Cli) -> anyhow::Result<()> {
    anyhow::bail!("the reader screen is not available yet; try `threadr dump FILE`")
}
