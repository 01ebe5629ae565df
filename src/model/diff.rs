//! What changed between two versions of a record: the triples removed and added, grouped
//! by subject and property, so that a page can say "title changed from … to …".
//!
//! Blank nodes have no names that last from one version to the next: both graphs are
//! canonicalized first, so that an unchanged contact point or period is no change.

use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{BTreeMap, HashSet};

/// The change of one property of one subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whose property.
    pub subject: NamedOrBlankNode,
    /// Which property.
    pub predicate: NamedNode,
    /// Values it had before and not after.
    pub removed: Vec<Term>,
    /// Values it has after and not before.
    pub added: Vec<Term>,
}

/// The changes from `before` to `after`, by subject then property (IRI order).
pub fn diff(before: &[Triple], after: &[Triple]) -> Vec<Change> {
    let canonical = |triples: &[Triple]| {
        let mut graph: Graph = triples.iter().collect();
        graph.canonicalize(CanonicalizationAlgorithm::Unstable);
        graph
            .iter()
            .map(|t| t.into_owned())
            .collect::<HashSet<Triple>>()
    };
    let (old, new) = (canonical(before), canonical(after));
    let mut changes: BTreeMap<(String, String), Change> = BTreeMap::new();
    let mut note = |triple: &Triple, added: bool| {
        let key = (triple.subject.to_string(), triple.predicate.to_string());
        let change = changes.entry(key).or_insert_with(|| Change {
            subject: triple.subject.clone(),
            predicate: triple.predicate.clone(),
            removed: Vec::new(),
            added: Vec::new(),
        });
        let values = if added {
            &mut change.added
        } else {
            &mut change.removed
        };
        values.push(triple.object.clone());
    };
    for triple in old.difference(&new) {
        note(triple, false);
    }
    for triple in new.difference(&old) {
        note(triple, true);
    }
    let mut changes: Vec<Change> = changes.into_values().collect();
    for change in &mut changes {
        change.removed.sort_by_cached_key(ToString::to_string);
        change.added.sort_by_cached_key(ToString::to_string);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn triples(turtle: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .filter_map(Result::ok)
            .map(Triple::from)
            .collect()
    }

    const PREFIXES: &str =
        "@prefix dct: <http://purl.org/dc/terms/> . @prefix dcat: <http://www.w3.org/ns/dcat#> .\n";

    #[test]
    fn a_changed_title_is_one_change_and_unchanged_blank_nodes_are_none() {
        let before = triples(&format!(
            "{PREFIXES}<http://x/d> dct:title \"Un\"@fr ; dcat:keyword \"a\" ;
               dct:temporal [ dcat:startDate \"2020-01-01\" ] ."
        ));
        let after = triples(&format!(
            "{PREFIXES}<http://x/d> dct:title \"Deux\"@fr ; dcat:keyword \"a\", \"b\" ;
               dct:temporal [ dcat:startDate \"2020-01-01\" ] ."
        ));
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 2, "{changes:?}");
        let title = changes
            .iter()
            .find(|c| c.predicate.as_str().ends_with("title"))
            .unwrap_or_else(|| panic!("{changes:?}"));
        assert_eq!(title.removed.len(), 1);
        assert_eq!(title.added.len(), 1);
        let keyword = changes
            .iter()
            .find(|c| c.predicate.as_str().ends_with("keyword"))
            .unwrap_or_else(|| panic!("{changes:?}"));
        assert!(keyword.removed.is_empty() && keyword.added.len() == 1);
        assert!(diff(&before, &before).is_empty());
    }
}
