//! How much a parsed input may hold: triples, and the length of each literal and IRI. A
//! parser's output is counted as it comes, so that a body or a page over its budget fails
//! at the first triple past it, not after it has filled the memory.

use super::{InputError, Limits};
use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, QuadRef, TermRef};

/// The budget of one input.
#[derive(Debug, Clone)]
pub struct Budget {
    max_triples: Option<usize>,
    max_literal_bytes: usize,
    triples: usize,
}

impl Budget {
    /// The budget of one API body or harvested page: `max_triples_per_body` triples.
    pub fn per_body(limits: &Limits) -> Self {
        Self {
            max_triples: Some(limits.max_triples_per_body),
            max_literal_bytes: limits.max_literal_bytes,
            triples: 0,
        }
    }

    /// The budget of a file an admin loads: any number of triples (a whole catalog's
    /// dump), but no literal or IRI longer than the limit.
    pub fn per_file(limits: &Limits) -> Self {
        Self {
            max_triples: None,
            ..Self::per_body(limits)
        }
    }

    /// Counts `quad` in, or says which limit it passes.
    pub fn admit(&mut self, quad: QuadRef<'_>) -> Result<(), InputError> {
        self.triples += 1;
        if let Some(limit) = self.max_triples
            && self.triples > limit
        {
            return Err(InputError::TooManyTriples { limit });
        }
        let subject = match quad.subject {
            NamedOrBlankNodeRef::NamedNode(n) => n.as_str(),
            NamedOrBlankNodeRef::BlankNode(b) => b.as_str(),
        };
        self.measure("IRI", subject)?;
        self.measure("IRI", quad.predicate.as_str())?;
        match quad.object {
            TermRef::NamedNode(n) => self.measure("IRI", n.as_str())?,
            TermRef::BlankNode(b) => self.measure("IRI", b.as_str())?,
            TermRef::Literal(l) => self.measure("literal", l.value())?,
            #[allow(unreachable_patterns)] // RDF 1.2 triple terms, when the feature is on
            _ => {}
        }
        if let GraphNameRef::NamedNode(n) = quad.graph_name {
            self.measure("IRI", n.as_str())?;
        }
        Ok(())
    }

    fn measure(&self, what: &'static str, text: &str) -> Result<(), InputError> {
        if text.len() > self.max_literal_bytes {
            return Err(InputError::TooLong {
                what,
                size: text.len(),
                limit: self.max_literal_bytes,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Quad};

    fn quad(object: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked("http://example.org/s"),
            NamedNode::new_unchecked("http://example.org/p"),
            Literal::new_simple_literal(object),
            GraphNameRef::DefaultGraph,
        )
    }

    #[test]
    fn a_body_stops_at_the_first_triple_past_its_budget() {
        let limits = Limits {
            max_triples_per_body: 2,
            ..Limits::default()
        };
        let mut budget = Budget::per_body(&limits);
        assert_eq!(budget.admit(quad("a").as_ref()), Ok(()));
        assert_eq!(budget.admit(quad("b").as_ref()), Ok(()));
        assert_eq!(
            budget.admit(quad("c").as_ref()),
            Err(InputError::TooManyTriples { limit: 2 })
        );
        let mut file = Budget::per_file(&limits);
        for _ in 0..5 {
            assert_eq!(file.admit(quad("a").as_ref()), Ok(()));
        }
    }

    #[test]
    fn a_literal_or_iri_over_the_limit_is_named() {
        // The IRIs of `quad` are 20 bytes long.
        let limits = Limits {
            max_literal_bytes: 24,
            ..Limits::default()
        };
        let mut budget = Budget::per_body(&limits);
        assert_eq!(budget.admit(quad(&"a".repeat(24)).as_ref()), Ok(()));
        assert_eq!(
            budget.admit(quad(&"a".repeat(25)).as_ref()),
            Err(InputError::TooLong {
                what: "literal",
                size: 25,
                limit: 24
            })
        );
        let long_iri = Quad::new(
            NamedNode::new_unchecked("http://example.org/s"),
            NamedNode::new_unchecked("http://example.org/p"),
            NamedNode::new_unchecked("http://example.org/a-long-one"),
            GraphNameRef::DefaultGraph,
        );
        let limits = Limits {
            max_literal_bytes: 25,
            ..Limits::default()
        };
        assert!(matches!(
            Budget::per_body(&limits).admit(long_iri.as_ref()),
            Err(InputError::TooLong { what: "IRI", .. })
        ));
    }
}
