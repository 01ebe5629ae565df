//! The messages of the quality pages, in English and French (`(key, English, French)`,
//! read with the others by [`super::messages`]): each MQA indicator's name (`q_…`) and
//! the advice for a dataset that misses it (`qa_…`).

/// `(key, English, French)`.
pub(super) const QUALITY: &[(&str, &str, &str)] = &[
    (
        "kind_quality",
        "Metadata quality",
        "Qualité des métadonnées",
    ),
    (
        "quality_of",
        "Metadata quality:",
        "Qualité des métadonnées :",
    ),
    (
        "quality_intro",
        "Scored as data.europa.eu's Metadata Quality Assessment (MQA) scores it: 405 points over five dimensions. Each missing point comes with what to do.",
        "Notée selon la méthode de l'évaluation de la qualité des métadonnées (MQA) de data.europa.eu : 405 points sur cinq dimensions. Chaque point manquant est accompagné de ce qu'il faut faire.",
    ),
    ("quality_score", "Score", "Note"),
    (
        "quality_dashboard",
        "Metadata quality of the catalog",
        "Qualité des métadonnées du catalogue",
    ),
    (
        "quality_scoring",
        "Scoring the datasets: the numbers will be complete in a moment.",
        "Notation des jeux de données en cours : les chiffres seront complets dans un instant.",
    ),
    ("quality_mean_of", "mean of", "moyenne de"),
    ("quality_datasets", "datasets", "jeux de données"),
    (
        "quality_by_dimension",
        "By dimension (means)",
        "Par dimension (moyennes)",
    ),
    (
        "quality_histogram",
        "Datasets by score",
        "Jeux de données par note",
    ),
    (
        "quality_failing",
        "Indicators most often missed",
        "Indicateurs les plus souvent manqués",
    ),
    (
        "quality_datasets_missing",
        "Datasets missing it",
        "Jeux de données concernés",
    ),
    ("quality_by_publisher", "By publisher", "Par éditeur"),
    ("quality_publisher", "Publisher", "Éditeur"),
    ("quality_mean", "Mean score", "Note moyenne"),
    ("quality_datasets_count", "Datasets", "Jeux de données"),
    (
        "quality_worst",
        "Lowest scores first",
        "Les notes les plus basses d'abord",
    ),
    ("quality_points", "points", "points"),
    (
        "quality_advice",
        "What to improve",
        "Ce qu'il faut améliorer",
    ),
    (
        "quality_all_good",
        "Nothing to improve: every indicator is met.",
        "Rien à améliorer : chaque indicateur est satisfait.",
    ),
    ("quality_indicator", "Indicator", "Indicateur"),
    ("quality_met", "met by", "satisfait par"),
    (
        "quality_unchecked",
        "not checked yet",
        "pas encore vérifiée",
    ),
    (
        "quality_fix",
        "Fix it in the form",
        "Corriger dans le formulaire",
    ),
    (
        "quality_link",
        "Metadata quality",
        "Qualité des métadonnées",
    ),
    ("band_excellent", "Excellent", "Excellente"),
    ("band_good", "Good", "Bonne"),
    ("band_sufficient", "Sufficient", "Suffisante"),
    ("band_bad", "Bad", "Insuffisante"),
    ("dimension_findability", "Findability", "Trouvabilité"),
    ("dimension_accessibility", "Accessibility", "Accessibilité"),
    (
        "dimension_interoperability",
        "Interoperability",
        "Interopérabilité",
    ),
    ("dimension_reusability", "Reusability", "Réutilisabilité"),
    ("dimension_contextuality", "Contextuality", "Contexte"),
    ("q_keywordAvailability", "Keywords", "Mots-clés"),
    (
        "qa_keywordAvailability",
        "Add keywords, so that search engines and portals find the data by the words people use.",
        "Ajoutez des mots-clés, pour que moteurs de recherche et portails trouvent les données par les mots qu'emploient les gens.",
    ),
    ("q_categoryAvailability", "Themes", "Thèmes"),
    (
        "qa_categoryAvailability",
        "Pick a theme from the EU list, so that portals across Europe class the dataset with its peers.",
        "Choisissez un thème dans la liste de l'UE, pour que les portails européens classent le jeu de données avec ses semblables.",
    ),
    ("q_spatialAvailability", "Place covered", "Lieu couvert"),
    (
        "qa_spatialAvailability",
        "Say which place the data covers (a country, a region, a commune), so that people can search on a map.",
        "Indiquez le lieu que couvrent les données (un pays, une région, une commune), pour qu'on puisse les chercher sur une carte.",
    ),
    (
        "q_temporalAvailability",
        "Period covered",
        "Période couverte",
    ),
    (
        "qa_temporalAvailability",
        "Give the period the data covers, so that people can tell whether it fits theirs.",
        "Donnez la période que couvrent les données, pour qu'on sache si elle correspond à la sienne.",
    ),
    (
        "q_accessUrlStatusCode",
        "Access URLs answer",
        "Les URL d'accès répondent",
    ),
    (
        "qa_accessUrlStatusCode",
        "Make sure each file's access URL answers (HTTP 200): a dead link is the first thing reusers report.",
        "Vérifiez que l'URL d'accès de chaque fichier répond (HTTP 200) : un lien mort est la première chose que signalent les réutilisateurs.",
    ),
    (
        "q_downloadUrlAvailability",
        "Download URLs",
        "URL de téléchargement",
    ),
    (
        "qa_downloadUrlAvailability",
        "Give each file a direct download URL, so that programs can fetch it without a person clicking through a page.",
        "Donnez à chaque fichier une URL de téléchargement direct, pour que des programmes le récupèrent sans qu'une personne passe par une page.",
    ),
    (
        "q_downloadUrlStatusCode",
        "Download URLs answer",
        "Les URL de téléchargement répondent",
    ),
    (
        "qa_downloadUrlStatusCode",
        "Make sure each download URL answers (HTTP 200).",
        "Vérifiez que chaque URL de téléchargement répond (HTTP 200).",
    ),
    ("q_formatAvailability", "File format", "Format de fichier"),
    (
        "qa_formatAvailability",
        "Say each file's format from the EU list, so that people know which software opens it.",
        "Indiquez le format de chaque fichier dans la liste de l'UE, pour qu'on sache quel logiciel l'ouvre.",
    ),
    ("q_mediaTypeAvailability", "Media type", "Type de média"),
    (
        "qa_mediaTypeAvailability",
        "Give each file's media type (as text/csv), which browsers and programs read.",
        "Donnez le type de média de chaque fichier (comme text/csv), que lisent navigateurs et programmes.",
    ),
    (
        "q_formatMediaTypeVocabularyAlignment",
        "Format and media type from the lists",
        "Format et type de média tirés des listes",
    ),
    (
        "qa_formatMediaTypeVocabularyAlignment",
        "Take the format from the EU file-type list and the media type from IANA's, so that every portal understands them.",
        "Prenez le format dans la liste des types de fichiers de l'UE et le type de média dans celle de l'IANA, pour que tous les portails les comprennent.",
    ),
    (
        "q_formatMediaTypeNonProprietary",
        "Open format",
        "Format ouvert",
    ),
    (
        "qa_formatMediaTypeNonProprietary",
        "Offer the data in an open format (CSV, JSON, GeoJSON, ODS…) that needs no one vendor's software.",
        "Proposez les données dans un format ouvert (CSV, JSON, GeoJSON, ODS…) qui ne demande le logiciel d'aucun éditeur.",
    ),
    (
        "q_formatMediaTypeMachineInterpretable",
        "Machine-readable format",
        "Format lisible par une machine",
    ),
    (
        "qa_formatMediaTypeMachineInterpretable",
        "Offer the data in a format programs read field by field (CSV, JSON, XML…), not only as a PDF or an image.",
        "Proposez les données dans un format que les programmes lisent champ par champ (CSV, JSON, XML…), pas seulement en PDF ou en image.",
    ),
    (
        "q_dcatApCompliance",
        "DCAT-AP compliance",
        "Conformité DCAT-AP",
    ),
    (
        "qa_dcatApCompliance",
        "Correct what the DCAT-AP profile reports as violations, so that every European portal can harvest the dataset.",
        "Corrigez ce que le profil DCAT-AP signale comme violations, pour que tous les portails européens puissent moissonner le jeu de données.",
    ),
    ("q_licenceAvailability", "Licence", "Licence"),
    (
        "qa_licenceAvailability",
        "Add a licence to each file, so that reusers know what they may do with it.",
        "Ajoutez une licence à chaque fichier, pour que les réutilisateurs sachent ce qu'ils peuvent en faire.",
    ),
    (
        "q_knownLicence",
        "Licence from the EU list",
        "Licence de la liste de l'UE",
    ),
    (
        "qa_knownLicence",
        "Choose the licence from the EU list (Etalab 2.0, ODbL, CC BY…): a home-made licence must be read by a lawyer.",
        "Choisissez la licence dans la liste de l'UE (Etalab 2.0, ODbL, CC BY…) : une licence maison doit être lue par un juriste.",
    ),
    (
        "q_accessRightsAvailability",
        "Access rights",
        "Droits d'accès",
    ),
    (
        "qa_accessRightsAvailability",
        "Say whether access is public, restricted or not public.",
        "Indiquez si l'accès est public, restreint ou non public.",
    ),
    (
        "q_accessRightsVocabularyAlignment",
        "Access rights from the EU list",
        "Droits d'accès de la liste de l'UE",
    ),
    (
        "qa_accessRightsVocabularyAlignment",
        "Take the access rights from the EU list, which portals understand.",
        "Prenez les droits d'accès dans la liste de l'UE, que les portails comprennent.",
    ),
    (
        "q_contactPointAvailability",
        "Contact point",
        "Point de contact",
    ),
    (
        "qa_contactPointAvailability",
        "Add a contact point, so that reusers can ask questions and report problems.",
        "Ajoutez un point de contact, pour que les réutilisateurs puissent poser leurs questions et signaler les problèmes.",
    ),
    ("q_publisherAvailability", "Publisher", "Éditeur"),
    (
        "qa_publisherAvailability",
        "Name the organisation that publishes the data.",
        "Nommez l'organisation qui publie les données.",
    ),
    (
        "q_rightsAvailability",
        "Rights statement",
        "Mention des droits",
    ),
    (
        "qa_rightsAvailability",
        "Add a rights statement to each file (who holds the rights, what applies besides the licence).",
        "Ajoutez une mention des droits à chaque fichier (qui détient les droits, ce qui s'applique en plus de la licence).",
    ),
    ("q_byteSizeAvailability", "File size", "Taille du fichier"),
    (
        "qa_byteSizeAvailability",
        "Give each file's size, so that people know before they download.",
        "Donnez la taille de chaque fichier, pour qu'on la connaisse avant de télécharger.",
    ),
    (
        "q_dateIssuedAvailability",
        "Release date",
        "Date de publication",
    ),
    (
        "qa_dateIssuedAvailability",
        "Give the date the data was first released.",
        "Donnez la date de première mise à disposition des données.",
    ),
    (
        "q_dateModifiedAvailability",
        "Modification date",
        "Date de modification",
    ),
    (
        "qa_dateModifiedAvailability",
        "Give the date of the last change to the data, so that people know it is current.",
        "Donnez la date du dernier changement des données, pour qu'on sache qu'elles sont à jour.",
    ),
];
