//! What the terminal shows while a run works: the stage being worked on, and with
//! `--timings` each stage's wall time, CPU time and peak memory (for benchmarks).
//!
//! CPU time and peak memory come from the operating system where it says them (getrusage on
//! Unix, /proc on Linux); elsewhere they are shown as unknown rather than made up.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

/// Stage progress on the terminal, and optional timings for benchmarks.
pub struct Progress {
    pub bar: Option<ProgressBar>,
    timings: bool,
    stage: Option<(String, Instant, Option<f64>)>,
    times: Vec<(String, f64)>,
}

impl Progress {
    pub fn new(quiet: bool, timings: bool) -> Progress {
        let bar = (!quiet).then(|| {
            let b = ProgressBar::new(9);
            b.set_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
                    .expect("valid template"),
            );
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Progress {
            bar,
            timings,
            stage: None,
            times: Vec::new(),
        }
    }

    pub fn stage(&mut self, name: &str) {
        self.finish_stage();
        if let Some(b) = &self.bar {
            b.set_message(name.to_string());
            b.inc(1);
        }
        self.stage = Some((name.to_string(), Instant::now(), cpu_seconds()));
    }

    /// Tells the user which part of a stage is being worked on.
    pub fn detail(&self, text: &str) {
        if let Some(b) = &self.bar {
            b.set_message(text.to_string());
        }
    }

    fn finish_stage(&mut self) {
        if let Some((name, t0, cpu0)) = self.stage.take() {
            let secs = t0.elapsed().as_secs_f64();
            if self.timings {
                let cpu = cpu_seconds().zip(cpu0).map(|(now, then)| now - then);
                let msg = format!(
                    "stage {name:<44} {secs:>8.3} s   cpu {}   peak memory {}",
                    seconds_text(cpu),
                    megabytes_text(peak_rss_mb())
                );
                match &self.bar {
                    Some(b) if !b.is_hidden() => b.println(msg),
                    _ => eprintln!("{msg}"),
                }
            }
            self.times.push((name, secs));
        }
    }

    /// Ends the last stage and returns every stage's wall time.
    pub fn done(mut self) -> Vec<(String, f64)> {
        self.finish_stage();
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        self.times
    }
}

/// `  0.123 s`, or `   n/a` where the system does not say.
pub fn seconds_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:>6.3} s"))
        .unwrap_or_else(|| format!("{:>8}", "n/a"))
}

/// `  483.8 MB`, or `n/a` where the system does not say.
pub fn megabytes_text(mb: Option<f64>) -> String {
    mb.map(|m| format!("{m:>8.1} MB"))
        .unwrap_or_else(|| format!("{:>11}", "n/a"))
}

/// CPU time (user + system) of every thread of this process so far, in seconds: against a
/// stage's wall time it shows how busy the cores were. `None` where the system does not say.
#[cfg(unix)]
pub fn cpu_seconds() -> Option<f64> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return None;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    Some(secs(u.ru_utime) + secs(u.ru_stime))
}

#[cfg(not(unix))]
pub fn cpu_seconds() -> Option<f64> {
    None
}

/// Peak resident memory of this process (Linux VmHWM), in MB; `None` where unknown.
pub fn peak_rss_mb() -> Option<f64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
}

/// One line of `--timings` for a part of a stage.
pub fn part_time(label: &str, secs: f64) {
    eprintln!("  {label:<45} {secs:>11.3} s");
}

/// Gives the calling thread the lowest scheduling priority (nice 19), so it runs in the gaps
/// the pipeline's own threads leave. Where that cannot be set (other systems, or a refusal)
/// the thread simply runs at normal priority.
pub fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; a failure leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What other systems show, exercised here: unknown figures read as n/a, with the same
    /// widths as known ones so the columns stay aligned.
    #[test]
    fn unknown_figures_read_as_not_available() {
        assert_eq!(seconds_text(None), "     n/a");
        assert_eq!(seconds_text(Some(1.5)).len(), seconds_text(None).len());
        assert_eq!(
            megabytes_text(None).len(),
            megabytes_text(Some(483.8)).len()
        );
        assert!(megabytes_text(None).ends_with("n/a"));
    }

    #[test]
    fn this_system_reports_cpu_time_and_memory() {
        assert!(cpu_seconds().is_some_and(|s| s >= 0.0));
        assert!(peak_rss_mb().is_some_and(|m| m > 0.0));
    }
}
