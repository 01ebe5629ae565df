//! Walks in Chromium: a script of `tests/py/` drives the pages through Selenium, runs
//! axe-core in each and takes screenshots; its summary comes back as JSON.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::run_python;
use serde_json::Value;

/// Runs the walk `script` with `args` before the browser's (`chromium`, `chromedriver`,
/// axe-core's script, the screenshots' directory); returns its summary, after checking
/// that axe found no violation in any page it saw and that no page scrolls sideways on a
/// phone.
pub async fn walk(script: &'static str, args: Vec<String>) -> Value {
    let chromium =
        std::env::var("PASSERELLE_TEST_CHROMIUM").unwrap_or_else(|_| "chromium".to_owned());
    let driver =
        std::env::var("PASSERELLE_TEST_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    let axe =
        std::env::var("PASSERELLE_TEST_AXE").expect("PASSERELLE_TEST_AXE (scripts/test sets it)");
    let shots = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir())
        .join("screenshots");
    let output = tokio::task::spawn_blocking(move || {
        let mut all = args;
        all.extend([chromium, driver, axe, shots.display().to_string()]);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        run_python(script, &all)
    })
    .await
    .unwrap();
    let summary: Value = serde_json::from_str(output.trim()).unwrap();
    for (page, result) in summary["axe"].as_object().unwrap() {
        assert!(result["passes"].as_u64().unwrap() > 20, "{page}: {result}");
        assert_eq!(
            result["violations"],
            serde_json::json!([]),
            "{page}: {result}"
        );
    }
    for (page, overflow) in summary["phone_overflow"].as_object().unwrap() {
        assert!(
            overflow.as_i64().unwrap() <= 0,
            "{page} scrolls sideways on a phone: {overflow}"
        );
    }
    summary
}
