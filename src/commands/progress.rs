//! A progress bar for long commands: redrawn in place on a terminal, else a line every
//! tenth of the way (logs and CI keep a few lines, not thousands).

use std::io::Write as _;

/// A bar counting something (`URLs checked`, `records written`).
pub struct Progress {
    terminal: bool,
    shown_tenth: u64,
    what: &'static str,
}

impl Progress {
    /// A bar for `what`, drawn in place when stderr is a terminal.
    pub fn new(what: &'static str) -> Self {
        use std::io::IsTerminal as _;
        Self {
            terminal: std::io::stderr().is_terminal(),
            shown_tenth: 0,
            what,
        }
    }

    /// Shows `done` of `total`.
    pub fn show(&mut self, done: u64, total: u64) {
        let total = total.max(1);
        let done = done.min(total);
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let filled = usize::try_from(30 * done / total).unwrap_or(30);
            let _ = write!(
                err,
                "\r[{}{}] {done}/{total} {}",
                "#".repeat(filled),
                ".".repeat(30 - filled),
                self.what
            );
            let _ = err.flush();
        } else if 10 * done / total > self.shown_tenth {
            self.shown_tenth = 10 * done / total;
            let _ = writeln!(err, "{done}/{total} {}", self.what);
        }
    }

    /// Ends the bar's line.
    pub fn finish(&self) {
        if self.terminal {
            let _ = writeln!(std::io::stderr());
        }
    }
}
