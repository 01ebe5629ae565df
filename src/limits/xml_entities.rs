//! The XML scanner's DOCTYPE and references: what each custom entity expands to, read
//! the way oxrdfxml reads declarations, and the expansion each reference adds, charged
//! against the budget without building it. The element scanner is `xml.rs`.

use super::{Mark, State, XmlScanner};
use crate::limits::nesting::advance;
use crate::limits::{InputError, Position};
use std::collections::HashMap;

/// The most of a document type declaration the scanner reads.
const DOCTYPE_MAX: usize = 1024 * 1024;
/// quick-xml's predefined entities: they take precedence over custom ones and cost nothing.
const PREDEFINED: [&[u8]; 5] = [b"lt", b"gt", b"amp", b"apos", b"quot"];
impl XmlScanner {
    /// Adds `cost` to the document's expansion; true past the budget.
    pub(super) fn charge(&mut self, cost: u64) -> bool {
        self.expanded = self.expanded.saturating_add(cost);
        self.expanded > self.budget
    }

    pub(super) fn expansion_error(&mut self, bytes: &[u8], name: &[u8], mark: Mark) -> InputError {
        InputError::EntityExpansion {
            name: String::from_utf8_lossy(name).into_owned(),
            limit: self.budget as usize,
            at: self.position(bytes, mark),
        }
    }

    pub(super) fn doctype_byte(
        &mut self,
        bytes: &[u8],
        i: usize,
        balance: u64,
    ) -> Result<(), InputError> {
        let b = bytes[i];
        match b {
            b'>' if balance == 0 => {
                self.state = State::Text;
                return self.declare(bytes);
            }
            b'>' => {
                self.state = State::DocType {
                    balance: balance - 1,
                }
            }
            b'<' => {
                self.state = State::DocType {
                    balance: balance + 1,
                }
            }
            _ => {}
        }
        if self.doctype.len() >= DOCTYPE_MAX {
            return Err(InputError::DocType {
                reason: format!("it is longer than {DOCTYPE_MAX} bytes"),
                at: self.position(bytes, self.mark),
            });
        }
        self.doctype.push(b);
        Ok(())
    }

    /// Reads the entity declarations of the DOCTYPE just scanned.
    pub(super) fn declare(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let start = self.position(bytes, self.mark);
        let doctype = std::mem::take(&mut self.doctype);
        let result = self.declare_all(&String::from_utf8_lossy(&doctype), start);
        self.doctype = doctype;
        result
    }

    /// As oxrdfxml does: the text split on `<`, the first piece skipped, each piece
    /// starting with `!ENTITY` a declaration whose value is expanded at once.
    pub(super) fn declare_all(&mut self, text: &str, start: Position) -> Result<(), InputError> {
        let (mut at, mut seen, mut offset) = (start, 0, 0);
        for (k, piece) in text.split('<').enumerate() {
            let lt = offset.max(1) - 1;
            offset += piece.len() + 1;
            let Some((name, value)) = entity_declaration(piece).filter(|_| k > 0) else {
                continue;
            };
            let expanded = expanded_len(value, &self.entities);
            advance(&mut at, text.as_bytes().get(seen..lt).unwrap_or_default());
            seen = lt;
            self.declared = self.declared.saturating_add(expanded);
            if expanded > self.budget || self.declared > self.budget {
                return Err(InputError::EntityExpansion {
                    name: name.to_owned(),
                    limit: self.budget as usize,
                    at,
                });
            }
            self.longest_name = self.longest_name.max(name.len());
            self.entities.insert(name.as_bytes().to_vec(), expanded);
        }
        Ok(())
    }

    pub(super) fn reference_byte(&mut self, bytes: &[u8], i: usize) -> Result<(), InputError> {
        let b = bytes[i];
        let reference = &mut self.reference;
        if b == b'&' {
            reference.active = true;
            reference.too_long = false;
            reference.name.clear();
            reference.start = Mark::Index(i);
        } else if reference.active {
            match b {
                b';' => return self.reference_end(bytes),
                // Never part of a declared name.
                b'<' | b' ' | b'\t' | b'\n' | b'\x0C' | b'\r' => reference.active = false,
                _ if reference.name.len() < self.longest_name => reference.name.push(b),
                _ => reference.too_long = true,
            }
        }
        Ok(())
    }

    pub(super) fn reference_end(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let reference = &mut self.reference;
        reference.active = false;
        let name = reference.name.as_slice();
        if reference.too_long || name.first() == Some(&b'#') || PREDEFINED.contains(&name) {
            return Ok(());
        }
        let Some(&cost) = self.entities.get(name) else {
            return Ok(());
        };
        if matches!(self.state, State::Tag { .. }) && self.tag.quote.is_some() {
            let names = &mut self.tag.names;
            names.value_cost = names.value_cost.saturating_add(cost);
            names.value_entity.clone_from(&self.reference.name);
        }
        if self.charge(cost) {
            let name = std::mem::take(&mut self.reference.name);
            return Err(self.expansion_error(bytes, &name, self.reference.start));
        }
        Ok(())
    }
}

/// The name and value of a declaration, read as oxrdfxml reads them (Unicode whitespace
/// trimmed before the name, ASCII whitespace after it); single quotes are accepted too,
/// though oxrdfxml refuses them, and the `>` after the value is not required.
fn entity_declaration(piece: &str) -> Option<(&str, &str)> {
    let input = piece.strip_prefix("!ENTITY")?;
    let input = input.trim_start().strip_prefix('%').unwrap_or(input);
    let (name, input) = input
        .trim_start()
        .split_once(|c: char| c.is_ascii_whitespace())?;
    let input = input.trim_start();
    let quote = input.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let (value, _) = input.strip_prefix(quote)?.split_once(quote)?;
    Some((name, value))
}

/// The length of `value` once quick-xml's `unescape_with` has replaced its references to
/// custom entities; other references are counted at their own length.
fn expanded_len(value: &str, entities: &HashMap<Vec<u8>, u64>) -> u64 {
    let bytes = value.as_bytes();
    let (mut total, mut last, mut from) = (0u64, 0, 0);
    while let Some(start) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'&'))
    {
        let start = from + start;
        let Some(end) = bytes[start + 1..]
            .iter()
            .position(|&b| b == b'&' || b == b';')
        else {
            break;
        };
        let end = start + 1 + end;
        from = end;
        if bytes[end] == b'&' {
            continue;
        }
        let name = &bytes[start + 1..end];
        if name.first() != Some(&b'#')
            && !PREDEFINED.contains(&name)
            && let Some(&cost) = entities.get(name)
        {
            total = total
                .saturating_add((start - last) as u64)
                .saturating_add(cost);
            last = end + 1;
        }
    }
    total.saturating_add((bytes.len() - last) as u64)
}
