//! The CPU time a server spends, read from `/proc`: on a shared machine the requests a second
//! vary with what else runs, the CPU time per request much less.

/// Seconds of CPU (user and system) spent so far by the live processes of process group `group`
/// (a server and whatever it started); `None` without `/proc`.
pub fn group_secs(group: u32) -> Option<f64> {
    // `/proc/PID/stat` counts in USER_HZ, which Linux fixes at 100 for user space.
    const TICKS: f64 = 100.0;
    let mut ticks = 0u64;
    let mut found = false;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // After the command's `)`: state, ppid, pgrp, …, utime (12th), stime (13th).
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2).and_then(|f| f.parse::<u32>().ok()) != Some(group) {
            continue;
        }
        let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        ticks += field(11) + field(12);
        found = true;
    }
    found.then(|| ticks as f64 / TICKS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn this_process_group_has_spent_some_cpu() {
        if std::path::Path::new("/proc/self/stat").exists() {
            let stat = std::fs::read_to_string("/proc/self/stat").expect("readable");
            let group: u32 = stat.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().nth(2)).and_then(|g| g.parse().ok()).expect("a group");
            assert!(super::group_secs(group).is_some());
        }
    }
}
