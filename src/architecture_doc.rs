//! `docs/architecture.md` is a newcomer's first page: every file and every item it names
//! must exist, or the page leads them astray. This reads the page's code spans and checks
//! them against `src/`.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, found: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            found.push((path, text));
        }
    }
}

/// The code spans of `markdown` (text between backticks).
fn code_spans(markdown: &str) -> Vec<&str> {
    markdown.split('`').skip(1).step_by(2).collect()
}

/// Whether some file (or directory) of `files` ends with `name` (`write/split.rs`, `api/`).
fn names_a_file(files: &[(PathBuf, String)], name: &str) -> bool {
    let name = name.trim_end_matches('/');
    files.iter().any(|(path, _)| {
        let path = path.to_string_lossy();
        path.ends_with(&format!("/{name}")) || path.contains(&format!("/{name}/"))
    })
}

/// Whether some file of `files` declares the item `name` (a function, type, trait, module
/// or enum variant).
fn declares(files: &[(PathBuf, String)], name: &str) -> bool {
    const KEYWORDS: [&str; 7] = ["fn", "struct", "enum", "trait", "mod", "type", "const"];
    files.iter().any(|(_, text)| {
        text.lines().any(|line| {
            let words: Vec<&str> = line
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            let declared = words
                .windows(2)
                .any(|pair| KEYWORDS.contains(&pair[0]) && pair[1] == name);
            let variant = name.starts_with(char::is_uppercase)
                && line
                    .trim_start()
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with([' ', ',', '(', '{']));
            declared || variant
        })
    })
}

#[test]
fn every_file_and_item_the_architecture_page_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/architecture.md"))
        .unwrap_or_else(|e| panic!("docs/architecture.md: {e}"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let (mut checked, mut missing) = (0, Vec::new());
    for span in code_spans(&page) {
        let span = span.trim();
        let is_file = !span.contains(' ')
            && (span.ends_with(".rs")
                || (span.ends_with('/')
                    && span
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '/' || c == '_')));
        if is_file {
            checked += 1;
            if !names_a_file(&files, span) {
                missing.push(format!("file {span}"));
            }
        } else if span.contains("::") && !span.contains(' ') && !span.contains('{') {
            let last = span.rsplit("::").next().unwrap_or_default();
            let last = last.trim_end_matches("()");
            if last.chars().all(|c| c.is_alphanumeric() || c == '_') && !last.is_empty() {
                checked += 1;
                if !declares(&files, last) {
                    missing.push(format!("item {span}"));
                }
            }
        }
    }
    assert!(
        checked > 40,
        "the page names files and items: only {checked} found"
    );
    assert!(
        missing.is_empty(),
        "docs/architecture.md names what src/ does not have: {missing:?}"
    );
}

#[test]
fn the_check_tells_a_missing_file_and_item() {
    let files = vec![(
        PathBuf::from("/x/src/store/write/split.rs"),
        "pub fn write_split_in(\nenum WriteKind {\n    Create {\n".to_owned(),
    )];
    assert!(names_a_file(&files, "write/split.rs"));
    assert!(names_a_file(&files, "store/"));
    assert!(!names_a_file(&files, "versioned.rs"));
    assert!(declares(&files, "write_split_in"));
    assert!(declares(&files, "WriteKind"));
    assert!(declares(&files, "Create"), "an enum variant");
    assert!(!declares(&files, "write_record"));
    assert_eq!(code_spans("a `b` c `d::e` f"), ["b", "d::e"]);
}
