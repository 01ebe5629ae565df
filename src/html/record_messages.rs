//! The messages of the data paper and agent forms, in English and French (`(key, English,
//! French)`, read with the others by [`super::messages`]).

/// `(key, English, French)`.
pub(super) const RECORD_FORMS: &[(&str, &str, &str)] = &[
    // The data paper form.
    (
        "form_new_paper",
        "Describe a data paper",
        "Décrire un data paper",
    ),
    (
        "form_edit_paper",
        "Edit the data paper",
        "Modifier le data paper",
    ),
    (
        "form_intro_paper",
        "A data paper is cited with the datasets it describes, on their pages and in their exports (DataCite, schema.org, BibTeX). Give what a citation needs; you can save a draft at any time.",
        "Un data paper est cité avec les jeux de données qu'il décrit, sur leurs pages et dans leurs exports (DataCite, schema.org, BibTeX). Donnez ce qu'une citation demande ; vous pouvez enregistrer un brouillon à tout moment.",
    ),
    ("group_paper", "The article", "L'article"),
    (
        "field_paper_title",
        "Title of the article",
        "Titre de l'article",
    ),
    (
        "help_paper_title",
        "As the journal prints it. Required: it is what every citation of the paper starts with.",
        "Tel que la revue l'imprime. Obligatoire : toute citation de l'article commence par lui.",
    ),
    ("field_abstract", "Abstract", "Résumé"),
    (
        "help_abstract",
        "The article's abstract. Shown on the paper's page and carried to DataCite and schema.org, where search engines read it.",
        "Le résumé de l'article. Affiché sur la page de l'article et transmis à DataCite et schema.org, où les moteurs de recherche le lisent.",
    ),
    (
        "field_authors",
        "Authors, in order",
        "Auteurs, dans l'ordre",
    ),
    (
        "help_authors",
        "One per line, as a web address: an ORCID iD (https://orcid.org/…) or one of our agents. Their order is kept, as citations need it.",
        "Un par ligne, sous forme d'adresse web : un ORCID (https://orcid.org/…) ou un de nos agents. Leur ordre est gardé, les citations en ont besoin.",
    ),
    (
        "group_citation",
        "Where it is published",
        "Où il est publié",
    ),
    (
        "help_doi",
        "The article's DOI, as 10.1016/j.dib.2024.110000 or https://doi.org/10.…. With it, reusers cite the paper and reach the article in one click.",
        "Le DOI de l'article, comme 10.1016/j.dib.2024.110000 ou https://doi.org/10.…. Grâce à lui, les réutilisateurs citent l'article et l'atteignent d'un clic.",
    ),
    ("field_journal", "Journal", "Revue"),
    (
        "help_journal",
        "The journal's title, its volume and the pages (or the article number), as the citation formats (BibTeX, RIS, CSL) want them.",
        "Le titre de la revue, son volume et les pages (ou le numéro d'article), comme les formats de citation (BibTeX, RIS, CSL) les demandent.",
    ),
    ("field_volume", "Volume", "Volume"),
    (
        "field_starting_page",
        "First page or article number",
        "Première page ou numéro d'article",
    ),
    ("field_ending_page", "Last page", "Dernière page"),
    (
        "field_paper_issued",
        "Publication date",
        "Date de publication",
    ),
    (
        "help_paper_issued",
        "The day the article was published; its year goes in every citation.",
        "Le jour où l'article a été publié ; son année figure dans toute citation.",
    ),
    (
        "field_citation",
        "Citation as the journal gives it",
        "Citation telle que la revue la donne",
    ),
    (
        "help_citation",
        "Optional: the reference as the journal writes it, shown as is next to the ones we build.",
        "Facultatif : la référence telle que la revue l'écrit, affichée telle quelle à côté de celles que nous construisons.",
    ),
    (
        "group_described",
        "Datasets it describes",
        "Jeux de données qu'il décrit",
    ),
    (
        "help_describes",
        "At least one. The paper shows on each dataset's page, for reusers to cite; those datasets' editors may then edit it.",
        "Au moins un. L'article s'affiche sur la page de chaque jeu de données, pour que les réutilisateurs le citent ; les éditeurs de ces jeux de données peuvent ensuite le modifier.",
    ),
    (
        "field_describes",
        "Datasets (one address per line)",
        "Jeux de données (une adresse par ligne)",
    ),
    (
        "field_describes_other",
        "Other datasets (one address per line)",
        "Autres jeux de données (une adresse par ligne)",
    ),
    (
        "need_describes",
        "Name at least one dataset the paper describes.",
        "Indiquez au moins un jeu de données que l'article décrit.",
    ),
    (
        "field_bad_doi",
        "This is not a DOI: it starts with 10. then a slash, as 10.1016/j.dib.2024.110000.",
        "Ce n'est pas un DOI : il commence par 10. puis une barre oblique, comme 10.1016/j.dib.2024.110000.",
    ),
    (
        "paper_write",
        "Describe a data paper about this dataset",
        "Décrire un data paper sur ce jeu de données",
    ),
    // The agent form.
    (
        "form_new_agent",
        "Describe an organisation or a person",
        "Décrire une organisation ou une personne",
    ),
    ("form_edit_agent", "Edit the agent", "Modifier l'agent"),
    (
        "form_intro_agent",
        "Publishers, authors and contacts are described once and named by their address everywhere else: a change here shows on every page that names them.",
        "Éditeurs, auteurs et contacts sont décrits une fois et désignés partout ailleurs par leur adresse : une modification ici se voit sur toutes les pages qui les nomment.",
    ),
    ("group_agent", "Who it is", "Qui c'est"),
    (
        "field_agent_class",
        "An organisation or a person?",
        "Une organisation ou une personne ?",
    ),
    (
        "help_agent_class",
        "A publisher is usually an organisation (a lab, a local authority); an author or a contact may be a person.",
        "Un éditeur est le plus souvent une organisation (un laboratoire, une collectivité) ; un auteur ou un contact peut être une personne.",
    ),
    ("agent_Organization", "An organisation", "Une organisation"),
    ("agent_Person", "A person", "Une personne"),
    ("field_agent_name", "Name", "Nom"),
    (
        "help_agent_name",
        "Required, in at least one language: it is what dataset pages and citations show. An organisation may have a name in each language.",
        "Obligatoire, dans au moins une langue : c'est ce qu'affichent les pages des jeux de données et les citations. Une organisation peut avoir un nom dans chaque langue.",
    ),
    (
        "need_name",
        "A name is required: give one in at least one language.",
        "Un nom est obligatoire : donnez-en un dans au moins une langue.",
    ),
    ("group_reach", "How to reach it", "Comment le joindre"),
    ("field_homepage", "Home page", "Page d'accueil"),
    (
        "help_homepage",
        "Its web site. Recommended: portals link the publisher's name to it.",
        "Son site web. Recommandé : les portails y relient le nom de l'éditeur.",
    ),
    ("field_agent_email", "Email", "Courriel"),
    (
        "help_agent_email",
        "Optional, and public: it is part of the agent's description. Prefer a team's address to a person's.",
        "Facultatif, et public : il fait partie de la description de l'agent. Préférez l'adresse d'une équipe à celle d'une personne.",
    ),
    ("group_person", "For a person", "Pour une personne"),
    (
        "help_person",
        "Only for a person; ignored for an organisation. Citation formats need the given and family names apart.",
        "Seulement pour une personne ; ignoré pour une organisation. Les formats de citation ont besoin du prénom et du nom séparés.",
    ),
    ("field_given_name", "Given name", "Prénom"),
    ("field_family_name", "Family name", "Nom de famille"),
    ("field_affiliation", "Affiliations", "Affiliations"),
    (
        "help_affiliation",
        "The organisations the person belongs to, one web address per line (a ROR identifier, https://ror.org/…, where there is one).",
        "Les organisations dont la personne fait partie, une adresse web par ligne (un identifiant ROR, https://ror.org/…, quand il existe).",
    ),
    (
        "field_bad_class",
        "Choose an organisation or a person.",
        "Choisissez une organisation ou une personne.",
    ),
    ("edit_record", "Edit", "Modifier"),
    (
        "account_publish_paper",
        "Describe a data paper",
        "Décrire un data paper",
    ),
    (
        "account_new_agent",
        "Describe an organisation or a person",
        "Décrire une organisation ou une personne",
    ),
    (
        "account_edit_publisher",
        "edit its description",
        "modifier sa description",
    ),
];
