//! A gate that opens once, for what must wait on work done in the background (the feed's
//! order read when a server starts).

/// A gate that opens once: what waits on it blocks until then.
#[derive(Debug, Default)]
pub(super) struct Gate {
    open: std::sync::Mutex<bool>,
    opened: std::sync::Condvar,
}

impl Gate {
    /// A gate still closed.
    pub(super) fn closed() -> Self {
        Self::default()
    }

    /// A gate open from the start.
    pub(super) fn open_now() -> Self {
        Self {
            open: std::sync::Mutex::new(true),
            opened: std::sync::Condvar::new(),
        }
    }

    /// Opens it, for good.
    pub(super) fn open(&self) {
        *self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        self.opened.notify_all();
    }

    /// Blocks until it is open.
    pub(super) fn wait(&self) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while !*open {
            open = self
                .opened
                .wait(open)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Gate;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn waiters_pass_only_once_it_opens() {
        let gate = Arc::new(Gate::closed());
        let passed = Arc::new(AtomicBool::new(false));
        let waiter = {
            let (gate, passed) = (gate.clone(), passed.clone());
            std::thread::spawn(move || {
                gate.wait();
                passed.store(true, Ordering::SeqCst);
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!passed.load(Ordering::SeqCst), "it passed a closed gate");
        gate.open();
        assert!(waiter.join().is_ok());
        assert!(passed.load(Ordering::SeqCst));
        Gate::open_now().wait();
    }
}
