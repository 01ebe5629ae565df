//! The message catalogue: every string a page shows that does not come from the data, in
//! English and French. Templates read them as `t.key`; a test checks that every key a
//! template names is here, in both languages, so a page can never show a blank where a
//! word belongs.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// `(key, English, French)`.
const MESSAGES: &[(&str, &str, &str)] = &[
    // The frame of every page.
    ("skip", "Skip to content", "Aller au contenu"),
    ("nav_label", "Main menu", "Menu principal"),
    ("nav_search", "Search datasets", "Rechercher des données"),
    ("nav_sparql", "SPARQL queries", "Requêtes SPARQL"),
    ("nav_reuses", "Reuses", "Réutilisations"),
    ("switch_language", "Français", "English"),
    (
        "switch_title",
        "Lire cette page en français",
        "Read this page in English",
    ),
    (
        "machine_readable",
        "Machine-readable:",
        "Lisible par les machines :",
    ),
    (
        "footer",
        "Served by Passerelle · DCAT-AP 3",
        "Servi par Passerelle · DCAT-AP 3",
    ),
    // What a page is about.
    ("kind_catalog", "Catalog", "Catalogue"),
    ("kind_dataset", "Dataset", "Jeu de données"),
    ("kind_distribution", "Distribution", "Distribution"),
    ("kind_data_paper", "Data paper", "Data paper"),
    ("kind_agent", "Agent", "Agent"),
    (
        "kind_catalog_record",
        "Catalog record",
        "Fiche de catalogue",
    ),
    ("kind_history", "History", "Historique"),
    ("kind_search", "Search", "Recherche"),
    ("kind_sparql", "SPARQL endpoint", "Point d’accès SPARQL"),
    ("kind_harvest_job", "Harvest job", "Moissonnage"),
    // The search box.
    (
        "search_label",
        "Search the catalog",
        "Rechercher dans le catalogue",
    ),
    (
        "search_placeholder",
        "e.g. wetlands, air quality, \"zones humides\"",
        "ex. : zones humides, qualité de l’air, \"water quality\"",
    ),
    (
        "search_hint",
        "Words in French or English; \"quotes\" for a phrase, -word to leave a word out.",
        "Mots en français ou en anglais ; des \"guillemets\" pour une expression, -mot pour exclure un mot.",
    ),
    ("search_button", "Search", "Rechercher"),
    // The landing page.
    ("dataset_one", "dataset", "jeu de données"),
    ("dataset_many", "datasets", "jeux de données"),
    (
        "browse_all",
        "Browse all datasets",
        "Parcourir tous les jeux de données",
    ),
    ("themes_heading", "Themes", "Thèmes"),
    ("recent_heading", "Recently updated", "Mis à jour récemment"),
    (
        "publishers_heading",
        "Main publishers",
        "Principaux producteurs",
    ),
    (
        "more_recent",
        "All datasets, latest first",
        "Tous les jeux de données, les plus récents d’abord",
    ),
    (
        "index_building",
        "The search index is being built: the lists will appear in a moment.",
        "L’index de recherche est en cours de construction : les listes apparaîtront dans un instant.",
    ),
    ("published_by", "Published by", "Publié par"),
    ("updated_on", "Updated", "Mis à jour le"),
    // The search page.
    (
        "search_title",
        "Search datasets",
        "Rechercher des jeux de données",
    ),
    (
        "search_results_for",
        "Datasets matching",
        "Jeux de données pour",
    ),
    ("quote_open", "“", "«\u{a0}"),
    ("quote_close", "”", "\u{a0}»"),
    ("result_one", "result", "résultat"),
    ("result_many", "results", "résultats"),
    ("draft", "Draft", "Brouillon"),
    (
        "no_results",
        "No dataset matches this search.",
        "Aucun jeu de données ne correspond à cette recherche.",
    ),
    (
        "no_results_hint",
        "Try other words, or remove a filter.",
        "Essayez d’autres mots, ou retirez un filtre.",
    ),
    ("filters_heading", "Refine", "Affiner"),
    (
        "search_problem",
        "This search cannot be run as written:",
        "Cette recherche ne peut pas être lancée telle quelle :",
    ),
    ("active_filters", "Active filters", "Filtres actifs"),
    ("remove_filter", "Remove the filter", "Retirer le filtre"),
    ("clear_all", "Clear all", "Tout effacer"),
    ("selected", "selected", "sélectionné"),
    ("colon", ":", "\u{a0}:"),
    ("facet_theme", "Themes", "Thèmes"),
    ("facet_publisher", "Publishers", "Producteurs"),
    ("facet_format", "Formats", "Formats"),
    ("facet_license", "Licences", "Licences"),
    ("facet_keyword", "Keywords", "Mots-clés"),
    ("facet_language", "Languages", "Langues"),
    ("facet_source", "Sources", "Sources"),
    ("facet_has_data_paper", "Data paper", "Data paper"),
    ("facet_words", "Words", "Mots"),
    ("facet_dates", "Dates", "Dates"),
    ("facet_temporal", "Period covered", "Période couverte"),
    ("facet_modified_since", "Updated since", "Mis à jour depuis"),
    (
        "facet_modified_before",
        "Updated before",
        "Mis à jour avant",
    ),
    (
        "temporal_hint",
        "Years or days: 2010/2020, 2019-06-01/2019-09-30.",
        "Années ou jours : 2010/2020, 2019-06-01/2019-09-30.",
    ),
    ("source_local", "This catalog", "Ce catalogue"),
    (
        "with_data_paper",
        "Described by a data paper",
        "Décrit par un data paper",
    ),
    (
        "without_data_paper",
        "Without a data paper",
        "Sans data paper",
    ),
    ("sort_label", "Sort by", "Trier par"),
    ("sort_relevance", "Relevance", "Pertinence"),
    ("sort_modified", "Last updated", "Dernière mise à jour"),
    ("sort_title", "Title", "Titre"),
    ("sort_issued", "Publication date", "Date de publication"),
    ("apply", "Apply", "Appliquer"),
    ("pagination", "Result pages", "Pages de résultats"),
    ("previous", "Previous", "Précédente"),
    ("next", "Next", "Suivante"),
    ("first", "First", "Première"),
    ("last", "Last", "Dernière"),
    ("page", "Page", "Page"),
    ("of", "of", "sur"),
    ("facet_more", "more", "de plus"),
    // The dataset page.
    (
        "about_dataset",
        "About this dataset",
        "À propos de ce jeu de données",
    ),
    ("themes", "Themes", "Thèmes"),
    ("keywords", "Keywords", "Mots-clés"),
    ("publisher", "Publisher", "Producteur"),
    ("publisher_datasets", "its datasets", "ses jeux de données"),
    ("creators", "Creators", "Auteurs"),
    ("contact", "Contact", "Contact"),
    ("licence", "Licence", "Licence"),
    ("access_rights", "Access rights", "Conditions d’accès"),
    ("frequency", "Update frequency", "Fréquence de mise à jour"),
    ("period", "Period covered", "Période couverte"),
    ("area", "Area covered", "Zone couverte"),
    ("languages", "Languages", "Langues"),
    ("landing_page", "Landing page", "Page de présentation"),
    ("identifier", "Identifier", "Identifiant"),
    ("issued", "Published", "Publié le"),
    ("modified", "Updated", "Mis à jour le"),
    ("distributions", "Files and access", "Fichiers et accès"),
    ("distribution", "Distribution", "Distribution"),
    ("format", "Format", "Format"),
    ("size", "Size", "Taille"),
    ("download", "Download", "Télécharger"),
    ("access", "Access", "Accéder"),
    (
        "no_distribution",
        "No distribution.",
        "Aucune distribution.",
    ),
    ("papers", "Data papers", "Data papers"),
    (
        "papers_intro",
        "Articles that describe this dataset: cite them when you use the data.",
        "Articles qui décrivent ce jeu de données : citez-les quand vous utilisez les données.",
    ),
    ("paper_record", "its record here", "sa fiche ici"),
    // A data paper's page.
    ("paper_journal", "Published in", "Publié dans"),
    ("paper_volume", "volume", "volume"),
    ("paper_abstract", "Abstract", "Résumé"),
    (
        "paper_datasets",
        "Datasets it describes",
        "Jeux de données décrits",
    ),
    // Comparing two versions on a history page.
    ("compare", "Compare two versions", "Comparer deux versions"),
    ("compare_from", "Version", "Version"),
    ("compare_to", "with version", "avec la version"),
    ("compare_button", "Compare", "Comparer"),
    ("compare_property", "Property", "Propriété"),
    ("compare_before", "Before", "Avant"),
    ("compare_after", "After", "Après"),
    (
        "compare_none",
        "These two versions say the same.",
        "Ces deux versions disent la même chose.",
    ),
    // The "Cite" block of dataset and data-paper pages.
    ("cite", "Cite", "Citer"),
    (
        "cite_formats",
        "Reference for your bibliography software:",
        "Référence pour votre logiciel de bibliographie :",
    ),
    (
        "history_link",
        "History of this record",
        "Historique de cette fiche",
    ),
    // A record's history.
    ("history_of", "History of", "Historique de"),
    ("the_catalog", "the catalog", "le catalogue"),
    ("version", "Version", "Version"),
    ("date_utc", "Date (UTC)", "Date (UTC)"),
    ("action", "Action", "Action"),
    ("by", "By", "Par"),
    ("source", "Source", "Source"),
    ("what", "What", "Détail"),
    ("checksum", "SHA-256", "SHA-256"),
    // The SPARQL editor.
    (
        "sparql_heading",
        "Query the catalog",
        "Interroger le catalogue",
    ),
    (
        "sparql_intro",
        "SPARQL 1.1 queries over every public graph (their union is the default graph). Results come as JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE in every RDF syntax.",
        "Requêtes SPARQL 1.1 sur tous les graphes publics (leur union est le graphe par défaut). Les résultats sont servis en JSON, XML, CSV ou TSV ; CONSTRUCT et DESCRIBE dans toutes les syntaxes RDF.",
    ),
    ("examples", "Examples:", "Exemples :"),
    (
        "choose_example",
        "choose an example…",
        "choisissez un exemple…",
    ),
    ("query", "Query", "Requête"),
    ("run", "Run", "Exécuter"),
    (
        "over_graphs",
        "over the graphs the request named",
        "sur les graphes nommés par la requête",
    ),
    ("answer", "Answer:", "Réponse :"),
    ("first_results", "The first", "Les"),
    (
        "first_results_end",
        "results; download the whole answer below.",
        "premiers résultats ; téléchargez la réponse entière ci-dessous.",
    ),
    ("whole_answer", "The whole answer:", "La réponse entière :"),
    // A harvest job.
    ("harvest_of", "Harvest of", "Moissonnage de"),
    ("status", "Status", "État"),
    (
        "dry_run",
        "(dry run: nothing written)",
        "(essai : rien n’a été écrit)",
    ),
    ("started", "Started", "Commencé"),
    ("ended", "Ended", "Terminé"),
    ("pages_read", "Pages read", "Pages lues"),
    ("stopped_early", "Stopped early", "Arrêté avant la fin"),
    ("datasets_heading", "Datasets", "Jeux de données"),
    ("created", "Created", "Créés"),
    ("updated", "Updated", "Mis à jour"),
    ("unchanged", "Unchanged", "Inchangés"),
    ("withdrawn", "Withdrawn", "Retirés"),
    ("failed", "Failed", "En échec"),
    ("skipped", "Skipped", "Ignorés"),
    ("errors", "Errors", "Erreurs"),
    ("page_col", "Page", "Page"),
    ("dataset_col", "Dataset", "Jeu de données"),
    ("reason", "Reason", "Raison"),
    ("whole_page", "(the whole page)", "(toute la page)"),
    ("notes", "Notes", "Remarques"),
    (
        "notes_intro",
        "What the harvest changed to read the source, or chose not to store.",
        "Ce que le moissonnage a changé pour lire la source, ou a choisi de ne pas garder.",
    ),
    ("note", "Note", "Remarque"),
    ("and_more", "… and", "… et"),
    ("more", "more.", "de plus."),
];

/// The two catalogues, by key.
static CATALOGUES: LazyLock<[BTreeMap<&'static str, &'static str>; 2]> = LazyLock::new(|| {
    [
        all().map(|(key, en, _)| (*key, *en)).collect(),
        all().map(|(key, _, fr)| (*key, *fr)).collect(),
    ]
});

/// Every message: the portal's, then those of publishing and of feedback.
fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    MESSAGES
        .iter()
        .chain(super::publishing_messages::PUBLISHING)
        .chain(super::feedback_messages::FEEDBACK)
        .chain(super::record_messages::RECORD_FORMS)
        .chain(super::quality_messages::QUALITY)
}

/// Every message in `language` (`fr`, else English), by key.
pub fn messages(language: &str) -> &'static BTreeMap<&'static str, &'static str> {
    &CATALOGUES[usize::from(language == "fr")]
}

pub use crate::model::time::spoken_day;

/// The other language of the two, for the switch in every page's header.
pub fn other_language(language: &str) -> &'static str {
    if language == "fr" { "en" } else { "fr" }
}

#[cfg(test)]
mod tests {
    use super::{all, messages};
    use std::collections::BTreeSet;

    /// The `t.key` names a template uses.
    fn keys_used(template: &str) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        let mut rest = template;
        while let Some(at) = rest.find("t.") {
            let before = rest[..at].chars().last();
            rest = &rest[at + 2..];
            // `t.` must start a name: not the end of `it.` or `list.`.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !key.is_empty() {
                keys.insert(key);
            }
        }
        keys
    }

    #[test]
    fn every_key_a_template_names_is_in_both_languages() {
        let templates = [
            include_str!("templates/layout.html"),
            include_str!("templates/catalog.html"),
            include_str!("templates/search.html"),
            include_str!("templates/facet_value.html"),
            include_str!("templates/dataset.html"),
            include_str!("templates/resource.html"),
            include_str!("templates/history.html"),
            include_str!("templates/sparql.html"),
            include_str!("templates/harvest_job.html"),
            include_str!("templates/signin.html"),
            include_str!("templates/account.html"),
            include_str!("templates/paper.html"),
            include_str!("templates/quality.html"),
            include_str!("templates/quality_dashboard.html"),
            include_str!("templates/dataset_form.html"),
            include_str!("templates/record_form.html"),
            include_str!("templates/form_parts.html"),
            include_str!("templates/paper_form.html"),
            include_str!("templates/agent_form.html"),
            include_str!("templates/delete.html"),
            include_str!("templates/reports.html"),
            include_str!("templates/reuses.html"),
        ];
        let mut used = BTreeSet::new();
        for template in templates {
            used.extend(keys_used(template));
        }
        assert!(used.len() > 50, "the scan found too few keys: {used:?}");
        for key in &used {
            for language in ["en", "fr"] {
                assert!(
                    messages(language)
                        .get(key.as_str())
                        .is_some_and(|m| !m.is_empty()),
                    "{key} has no {language} message"
                );
            }
        }
    }

    #[test]
    fn days_read_as_people_write_them() {
        use super::spoken_day;
        assert_eq!(spoken_day("2025-10-01", "fr"), "1er octobre 2025");
        assert_eq!(spoken_day("2025-02-09", "fr"), "9 février 2025");
        assert_eq!(spoken_day("2025-02-09", "en"), "9 February 2025");
        assert_eq!(spoken_day("2025-13-09", "en"), "2025-13-09");
        assert_eq!(spoken_day("yesterday", "en"), "yesterday");
    }

    /// The keys the code reads itself (titles it composes, names it builds from a value).
    const USED_FROM_CODE: &[&str] = &[
        "the_catalog",
        "history_of",
        "harvest_of",
        "search_title",
        "search_results_for",
        "quote_open",
        "quote_close",
        "source_local",
        "with_data_paper",
        "without_data_paper",
        "facet_words",
        "facet_theme",
        "facet_publisher",
        "facet_format",
        "facet_license",
        "facet_keyword",
        "facet_language",
        "facet_source",
        "facet_band",
        "sort_quality",
        "facet_has_data_paper",
        "facet_temporal",
        "facet_modified_since",
        "facet_modified_before",
        "sort_relevance",
        "sort_modified",
        "sort_title",
        "sort_issued",
        "kind_catalog",
        "kind_dataset",
        "kind_distribution",
        "kind_data_paper",
        "kind_agent",
        "kind_catalog_record",
        "kind_history",
        "kind_search",
        "kind_sparql",
        "kind_harvest_job",
        "kind_quality",
        "quality_dashboard",
        "quality_histogram",
        "quality_of",
        "band_excellent",
        "band_good",
        "band_sufficient",
        "band_bad",
        "dimension_findability",
        "dimension_accessibility",
        "dimension_interoperability",
        "dimension_reusability",
        "dimension_contextuality",
        "form_intro",
        "form_intro_paper",
        "form_intro_agent",
        "form_new_paper",
        "form_edit_paper",
        "form_new_agent",
        "form_edit_agent",
        "agent_Organization",
        "agent_Person",
        "need_describes",
        "need_name",
        "field_bad_doi",
        "field_bad_class",
        "kind_shapes",
        "kind_void",
        "about_shapes_title",
        "about_shapes_intro",
        "about_void_title",
        "about_void_intro",
        "link_access",
        "link_download",
        "link_reachable",
        "link_not_found",
        "link_refused",
        "link_server_error",
        "link_no_answer",
        "link_not_checked",
    ];

    #[test]
    fn every_key_the_code_builds_is_in_both_languages() {
        for key in USED_FROM_CODE {
            for language in ["en", "fr"] {
                assert!(
                    messages(language).get(key).is_some_and(|m| !m.is_empty()),
                    "{key} has no {language} message"
                );
            }
        }
    }

    #[test]
    fn keys_are_unique_and_french_is_french() {
        let keys: BTreeSet<_> = all().map(|(key, _, _)| key).collect();
        assert_eq!(keys.len(), all().count(), "a key is listed twice");
        // A catalogue where French was left as English would pass the test above.
        let same = all().filter(|(_, en, fr)| en == fr).count();
        assert!(
            same * 5 < all().count(),
            "{same} messages are not translated"
        );
    }
}
