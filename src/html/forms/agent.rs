//! The agent form's fields: an organisation (a publisher, a lab) or a person (an author, a
//! contact), with what DCAT-AP and the citation formats need of each.

use super::checks::{Checks, all_iris, is_email, is_id, is_web_url, lines_of, text};
use super::{FieldError, LANGUAGES, Picks, set_per_language};
use crate::model::RecordKind;
use crate::model::json::{AgentClass, AgentJson};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the agent form holds.
#[derive(Debug, Clone, Serialize)]
pub struct AgentFields {
    /// The id asked for a new record (empty: made from the name).
    pub id: String,
    /// `Organization` or `Person`.
    pub class: String,
    /// Names by language.
    pub name: BTreeMap<String, String>,
    /// Home page URL.
    pub homepage: String,
    /// Email (without `mailto:`).
    pub email: String,
    /// A person's given name.
    pub given_name: String,
    /// A person's family name.
    pub family_name: String,
    /// The organisations a person belongs to (IRIs), one per line.
    pub affiliation: String,
}

impl Default for AgentFields {
    fn default() -> Self {
        Self {
            id: String::new(),
            class: "Organization".to_owned(),
            name: BTreeMap::new(),
            homepage: String::new(),
            email: String::new(),
            given_name: String::new(),
            family_name: String::new(),
            affiliation: String::new(),
        }
    }
}

impl AgentFields {
    fn set_field(&mut self, name: &str, value: String) {
        if set_per_language([("name", &mut self.name)], name, &value) {
            return;
        }
        match name {
            "id" => self.id = value,
            "class" => self.class = value,
            "homepage" => self.homepage = value,
            "email" => self.email = value,
            "given_name" => self.given_name = value,
            "family_name" => self.family_name = value,
            "affiliation" => self.affiliation = value,
            _ => {}
        }
    }

    fn is_person(&self) -> bool {
        self.class == "Person"
    }

    fn model(&self) -> AgentJson {
        // Typed `foaf:Agent` too: DCAT-AP's range shapes want a publisher to be one, and a
        // validator does not infer it from the subclass.
        let (class, person) = if self.is_person() {
            (AgentClass::Person, true)
        } else {
            (AgentClass::Organization, false)
        };
        let personal = |value: &str| text(value).filter(|_| person);
        // A blank-node agent is not a record of its own: a new one gets an IRI from its name.
        let name = LANGUAGES.iter().find_map(|l| self.name.get(*l));
        let minted = name.map(|n| crate::model::RecordId::from_title(n).to_string());
        AgentJson {
            id: text(&self.id).or(minted),
            kind: vec![AgentClass::Agent, class],
            name: self.name.clone(),
            homepage: text(&self.homepage),
            mbox: text(&self.email).map(|e| format!("mailto:{e}")),
            given_name: personal(&self.given_name),
            family_name: personal(&self.family_name),
            affiliation: if person {
                lines_of(&self.affiliation).map(str::to_owned).collect()
            } else {
                Vec::new()
            },
        }
    }
}

impl super::FormFields for AgentFields {
    fn set(&mut self, name: &str, value: String) {
        self.set_field(name, value);
    }

    type Model = AgentJson;
    const KIND: RecordKind = RecordKind::Agent;
    const TEMPLATE: &'static str = "agent_form.html";
    const HEADINGS: [&'static str; 3] = ["form_new_agent", "form_edit_agent", "form_intro_agent"];
    const PICKS: Picks = Picks::Nothing;

    fn from_model(model: &AgentJson) -> Self {
        let person = model.kind.contains(&AgentClass::Person);
        Self {
            id: String::new(),
            class: if person { "Person" } else { "Organization" }.to_owned(),
            name: model.name.clone(),
            homepage: model.homepage.clone().unwrap_or_default(),
            email: model
                .mbox
                .as_deref()
                .map(|m| m.trim_start_matches("mailto:").to_owned())
                .unwrap_or_default(),
            given_name: model.given_name.clone().unwrap_or_default(),
            family_name: model.family_name.clone().unwrap_or_default(),
            affiliation: model.affiliation.join("\n"),
        }
    }

    fn blank(_own: &[(String, String)], asked: &[(String, String)]) -> Self {
        let person = asked.iter().any(|(n, v)| n == "class" && v == "Person");
        Self {
            class: if person { "Person" } else { "Organization" }.to_owned(),
            ..Self::default()
        }
    }

    fn to_model(&self) -> Result<AgentJson, Vec<FieldError>> {
        let mut checks = Checks::default();
        checks.check("id", &self.id, is_id, "field_bad_id");
        if !matches!(self.class.as_str(), "Organization" | "Person") {
            checks.tell("class", "field_bad_class");
        }
        if LANGUAGES.iter().all(|l| !self.name.contains_key(*l)) {
            checks.tell("name", "need_name");
        }
        checks.check("homepage", &self.homepage, is_web_url, "field_bad_url");
        checks.check("email", &self.email, is_email, "field_bad_email");
        if self.is_person() {
            checks.check("affiliation", &self.affiliation, all_iris, "field_bad_iri");
        }
        checks.done(|| self.model())
    }
}

#[cfg(test)]
mod tests {
    use super::super::FormFields;
    use super::super::pairs;
    use super::*;

    #[test]
    fn a_person_keeps_what_only_a_person_has_and_comes_back_the_same() {
        let fields = AgentFields::from_pairs(&pairs(&[
            ("class", "Person"),
            ("name_fr", "Josiah Carberry"),
            ("given_name", "Josiah"),
            ("family_name", "Carberry"),
            ("email", "jc@ex.org"),
            ("affiliation", "https://ror.org/05gq02987"),
        ]));
        let model = fields.to_model().unwrap_or_default();
        assert_eq!(model.kind, [AgentClass::Agent, AgentClass::Person]);
        assert_eq!(model.mbox.as_deref(), Some("mailto:jc@ex.org"));
        assert_eq!(model.affiliation, ["https://ror.org/05gq02987"]);
        let again = AgentFields::from_model(&model);
        assert_eq!(again.to_model().unwrap_or_default(), model);
    }

    #[test]
    fn an_organisation_drops_a_persons_fields_and_needs_a_name() {
        let fields = AgentFields::from_pairs(&pairs(&[
            ("class", "Organization"),
            ("name_en", "ECOBIO"),
            ("given_name", "left over"),
            ("affiliation", "not an iri"),
        ]));
        let model = fields.to_model().unwrap_or_default();
        assert_eq!(model.given_name, None);
        assert!(model.affiliation.is_empty());
        let nameless = AgentFields::from_pairs(&pairs(&[("homepage", "javascript:alert(1)")]));
        let errors = nameless.to_model().err().unwrap_or_default();
        let named: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["name", "homepage"]);
    }
}
