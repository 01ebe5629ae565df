//! Our application profile (`ontologies/shapes/`, run by `passerelle validate`) against
//! pyshacl with the official DCAT-AP 3.0.1 shapes (`shapes.ttl` + `range.ttl`) on the same
//! good and bad inputs (`tests/data/profile/`): they must agree on which conform and on
//! the node and property of each violation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{data, fixture, passerelle, run_python};
use std::collections::BTreeSet;

/// `(focus, path)` of each violation in `passerelle validate`'s report.
fn ours(file: &std::path::Path) -> (bool, BTreeSet<String>) {
    let output = passerelle(file.parent().unwrap())
        .arg("validate")
        .arg(file)
        .output()
        .unwrap();
    let report = String::from_utf8(output.stdout).unwrap();
    let violations = report
        .lines()
        .filter_map(|l| l.strip_prefix("violation: "))
        .map(|l| l.split(": ").next().unwrap().to_owned())
        .collect();
    let conforms = report.lines().last().unwrap_or("").starts_with("conforms");
    assert_eq!(
        output.status.success(),
        conforms,
        "exit status and verdict disagree:\n{report}"
    );
    (conforms, violations)
}

#[test]
fn our_profile_and_the_official_shapes_agree_on_every_input() {
    let dir = data("profile");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "only {} inputs", files.len());
    let mut args = vec![
        fixture("shapes/dcat-ap-3.0.1/html/shacl")
            .display()
            .to_string(),
    ];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let official: serde_json::Value =
        serde_json::from_str(&run_python("profile_crosscheck.py", &args)).unwrap();

    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let expected = name.starts_with("good-");
        let theirs = &official[name];
        let their_violations: BTreeSet<String> = theirs["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let (conforms, violations) = ours(file);
        assert_eq!(
            theirs["conforms"], expected,
            "{name}: the official shapes say {theirs}"
        );
        assert_eq!(conforms, expected, "{name}: ours say {violations:?}");
        assert_eq!(violations, their_violations, "{name}: different violations");
    }
}
