//! `openapi-rust --config FILE`: every job of a config file, written or checked.

use std::path::Path;
use std::process::ExitCode;

use generator::config::Config;
use generator::fresh;

/// Runs every job of the config file at `file` and writes its reviews: writes the output, or
/// with `check` compares it with what is on disk, or with `check_only` only reports what the
/// generator assumed.
pub fn run(file: &Path, check: bool, check_only: bool) -> Result<ExitCode, String> {
    let config = Config::read(file).map_err(|e| e.to_string())?;
    let (mut files, mut warnings, mut stale) = (0, 0, Vec::new());
    for job in &config.jobs {
        let (output, owned) = job.generate().map_err(|e| format!("{}:{}: the job writing {}: {e}", file.display(), job.line, job.out.display()))?;
        for warning in &output.warnings {
            eprintln!("{warning}");
        }
        files += output.files.len();
        warnings += output.warnings.len();
        if check {
            stale.extend(fresh::stale_files(&config.dir, &owned).map_err(|e| format!("cannot read {}: {e}", job.out.display()))?);
        } else if !check_only {
            fresh::write(&config.dir, &owned).map_err(|e| format!("cannot write {}: {e}", job.out.display()))?;
        }
    }
    let reviews = config.review_outputs().map_err(|e| format!("{}: {e}", file.display()))?;
    files += reviews.iter().map(|o| o.files.len()).sum::<usize>();
    if check {
        stale.extend(fresh::stale_files(&config.dir, &reviews).map_err(|e| format!("cannot read the reviews: {e}"))?);
    } else if !check_only {
        fresh::write(&config.dir, &reviews).map_err(|e| format!("cannot write the reviews: {e}"))?;
    }
    if !stale.is_empty() {
        eprint!("{}", fresh::report(&stale, &config.command));
        return Ok(ExitCode::FAILURE);
    }
    let done = if check { "checked (fresh)" } else if check_only { "generated (nothing written)" } else { "written" };
    eprintln!("{files} files of {} job(s) and {} review(s) {done} ({warnings} warnings)", config.jobs.len(), config.reviews.len());
    Ok(ExitCode::SUCCESS)
}
