//! The messages of the pages where people sign in, publish and answer reusers, in
//! English and French (`(key, English, French)`, read with the others by
//! [`super::messages`]).

/// `(key, English, French)`.
pub(super) const PUBLISHING: &[(&str, &str, &str)] = &[
    // Signing in and out.
    ("kind_signin", "Sign in", "Connexion"),
    ("kind_account", "Account", "Compte"),
    ("signin", "Sign in", "Se connecter"),
    ("signout", "Sign out", "Se déconnecter"),
    ("signin_title", "Sign in", "Connexion"),
    (
        "signin_intro",
        "Sign in with the token an administrator of this catalog gave you, to publish and edit your organisation's records and answer reusers. You stay signed in on this browser until you sign out, or for a working day at most.",
        "Connectez-vous avec le jeton qu'un administrateur de ce catalogue vous a remis, pour publier et modifier les fiches de votre organisation et répondre aux réutilisateurs. Vous restez connecté sur ce navigateur jusqu'à votre déconnexion, une journée de travail au plus.",
    ),
    ("signin_token", "Your token", "Votre jeton"),
    (
        "signin_token_hint",
        "It begins with psl_. Keep it to yourself: whoever holds it can write in your name.",
        "Il commence par psl_. Gardez-le pour vous : qui le détient peut écrire en votre nom.",
    ),
    ("signin_button", "Sign in", "Se connecter"),
    (
        "signin_unknown_token",
        "This token is not valid here: check that you copied it whole, or ask an administrator for a new one.",
        "Ce jeton n'est pas valable ici : vérifiez que vous l'avez copié en entier, ou demandez-en un nouveau à un administrateur.",
    ),
    (
        "signin_stale_form",
        "This sign-in form had expired or came from another page. Please type your token again.",
        "Ce formulaire de connexion avait expiré ou venait d'une autre page. Saisissez à nouveau votre jeton.",
    ),
    ("signed_in_as", "Signed in as", "Connecté en tant que"),
    ("account_title", "Your account", "Votre compte"),
    (
        "account_admin",
        "You are an administrator: you may edit every record of this catalog.",
        "Vous êtes administrateur : vous pouvez modifier toutes les fiches de ce catalogue.",
    ),
    (
        "account_editor",
        "You may edit the records of these publishers:",
        "Vous pouvez modifier les fiches de ces éditeurs :",
    ),
    (
        "account_their_datasets",
        "their datasets",
        "leurs jeux de données",
    ),
    (
        "account_session",
        "Signing out ends this session at once; revoking your token ends all of them.",
        "Se déconnecter met fin à cette session aussitôt ; révoquer votre jeton met fin à toutes.",
    ),
    // The dataset form.
    ("kind_form", "Publishing", "Publication"),
    (
        "form_new_dataset",
        "Publish a dataset",
        "Publier un jeu de données",
    ),
    (
        "form_edit_dataset",
        "Edit the dataset",
        "Modifier le jeu de données",
    ),
    (
        "form_intro",
        "Fields marked by the profile as required must be filled in to publish; the others are what DCAT-AP recommends so that people and portals find and reuse the data. You can save a draft at any time: only you and the other editors of your organisation see it.",
        "Les champs que le profil exige doivent être remplis pour publier ; les autres sont ce que DCAT-AP recommande pour que personnes et portails trouvent et réutilisent les données. Vous pouvez enregistrer un brouillon à tout moment : seuls vous et les autres éditeurs de votre organisation le voient.",
    ),
    ("form_none", "— none —", "— aucun —"),
    ("form_filter", "Filter the list", "Filtrer la liste"),
    ("form_see_page", "See its page", "Voir sa page"),
    ("form_see_history", "its history", "son historique"),
    (
        "form_is_draft",
        "Draft: not public yet",
        "Brouillon : pas encore public",
    ),
    (
        "form_summary_violations",
        "To correct before publishing:",
        "À corriger avant de publier :",
    ),
    (
        "form_summary_warnings",
        "Advice to make the record more useful:",
        "Conseils pour rendre la fiche plus utile :",
    ),
    (
        "form_save",
        "Save the changes",
        "Enregistrer les modifications",
    ),
    ("form_publish", "Publish", "Publier"),
    (
        "form_save_draft",
        "Save as draft",
        "Enregistrer comme brouillon",
    ),
    (
        "form_delete",
        "Delete this dataset…",
        "Supprimer ce jeu de données…",
    ),
    (
        "form_stale",
        "Someone changed this record since you opened the form. Their version is shown below: make your changes again.",
        "Quelqu'un a modifié cette fiche depuis que vous avez ouvert le formulaire. Sa version est affichée ci-dessous : refaites vos modifications.",
    ),
    (
        "form_inexpressible",
        "This record says more than this form can show (it was loaded or harvested in RDF). Edit it through the API in RDF, so nothing it says is lost.",
        "Cette fiche dit plus que ce formulaire ne sait montrer (elle a été chargée ou moissonnée en RDF). Modifiez-la par l'API en RDF, pour ne rien perdre de ce qu'elle dit.",
    ),
    (
        "done_published",
        "Saved and published.",
        "Enregistré et publié.",
    ),
    (
        "done_draft",
        "Saved as a draft: only the editors of its publisher see it.",
        "Enregistré comme brouillon : seuls les éditeurs de son éditeur le voient.",
    ),
    (
        "done_embargoed",
        "Saved: it will be published on the embargo date.",
        "Enregistré : il sera publié à la date de levée de l'embargo.",
    ),
    ("level_violation", "Required", "Obligatoire"),
    ("level_warning", "Advice", "Conseil"),
    ("level_error", "To correct", "À corriger"),
    ("in_fr", "In French", "En français"),
    ("in_en", "In English", "En anglais"),
    ("group_description", "Description", "Description"),
    ("group_coverage", "Coverage", "Couverture"),
    ("group_access", "Access and dates", "Accès et dates"),
    (
        "group_contacts",
        "Publisher and contacts",
        "Éditeur et contacts",
    ),
    ("group_files", "Files and licence", "Fichiers et licence"),
    ("group_publication", "Publication", "Publication"),
    ("field_title", "Title", "Titre"),
    (
        "help_title",
        "A short name that says what the data is about. DCAT-AP requires one; give it in each language you can, so the record is found in both.",
        "Un nom court qui dit de quoi parlent les données. DCAT-AP l'exige ; donnez-le dans chaque langue possible, pour que la fiche soit trouvée dans les deux.",
    ),
    ("field_description", "Description", "Description"),
    (
        "help_description",
        "What the data holds, how and when it was collected, its limits. Required: it is what people read before they decide to download.",
        "Ce que contiennent les données, comment et quand elles ont été collectées, leurs limites. Obligatoire : c'est ce qu'on lit avant de décider de télécharger.",
    ),
    ("field_keyword", "Keywords", "Mots-clés"),
    (
        "help_keyword",
        "Separated by commas. Recommended: search engines and portals use them to find the data.",
        "Séparés par des virgules. Recommandés : moteurs de recherche et portails s'en servent pour trouver les données.",
    ),
    ("field_theme", "Themes", "Thèmes"),
    (
        "help_theme",
        "The EU data themes the data belongs to. Recommended: portals across Europe, data.europa.eu among them, group datasets by them.",
        "Les thèmes de données de l'UE dont relèvent les données. Recommandés : les portails européens, data.europa.eu compris, classent les jeux de données par thème.",
    ),
    ("field_temporal", "Period covered", "Période couverte"),
    (
        "help_temporal",
        "The first and last day the data describes (not when it was published). Recommended, so people can tell whether it covers their period.",
        "Le premier et le dernier jour que décrivent les données (pas leur date de publication). Recommandée, pour savoir si elles couvrent la période voulue.",
    ),
    ("field_temporal_start", "From", "Du"),
    ("field_temporal_end", "To", "Au"),
    ("field_spatial", "Places covered", "Lieux couverts"),
    (
        "help_spatial",
        "The web addresses (IRIs) of the places, one per line: a country of the EU list (http://publications.europa.eu/resource/authority/country/FRA), a GeoNames place, an INSEE commune. Recommended.",
        "Les adresses web (IRI) des lieux, une par ligne : un pays de la liste de l'UE (http://publications.europa.eu/resource/authority/country/FRA), un lieu GeoNames, une commune INSEE. Recommandés.",
    ),
    (
        "field_frequency",
        "Update frequency",
        "Fréquence de mise à jour",
    ),
    (
        "help_frequency",
        "How often the data is updated, from the EU list, so reusers know when to come back.",
        "Le rythme de mise à jour des données, dans la liste de l'UE, pour que les réutilisateurs sachent quand revenir.",
    ),
    ("field_access_rights", "Access rights", "Droits d'accès"),
    (
        "help_access_rights",
        "Public: anyone may access the data. Restricted: only some people, under conditions. Non-public: not outside your organisation (the record itself stays public).",
        "Public : chacun peut accéder aux données. Restreint : seulement certaines personnes, sous conditions. Non public : pas hors de votre organisation (la fiche, elle, reste publique).",
    ),
    ("field_landing_page", "Web page", "Page web"),
    (
        "help_landing_page",
        "A page where people learn more about the data (http or https).",
        "Une page où l'on en apprend plus sur les données (http ou https).",
    ),
    ("field_issued", "Release date", "Date de publication"),
    (
        "help_issued",
        "When the data was first made available.",
        "La date à laquelle les données ont été mises à disposition pour la première fois.",
    ),
    ("field_publisher", "Publisher", "Éditeur"),
    (
        "help_publisher",
        "The organisation that makes the data available. It decides who may edit the record: its editors, and the administrators.",
        "L'organisation qui met les données à disposition. C'est elle qui décide qui peut modifier la fiche : ses éditeurs, et les administrateurs.",
    ),
    ("field_contact", "Contact point", "Point de contact"),
    (
        "help_contact",
        "Who answers questions about the data. Recommended. This address is published with the record: prefer a team's address to a person's.",
        "Qui répond aux questions sur les données. Recommandé. Cette adresse est publiée avec la fiche : préférez l'adresse d'une équipe à celle d'une personne.",
    ),
    ("field_contact_name", "Name", "Nom"),
    ("field_contact_email", "Email", "Courriel"),
    ("field_creator", "Creators", "Auteurs"),
    (
        "help_creator",
        "The people or organisations who made the data, as IRIs (ORCID, ROR, or an agent of this catalog), one per line, in the order they are credited in citations.",
        "Les personnes ou organisations qui ont produit les données, sous forme d'IRI (ORCID, ROR, ou un agent de ce catalogue), une par ligne, dans l'ordre où les citations les nomment.",
    ),
    (
        "help_files",
        "Each file or service people can use: a download, an API, a map service. DCAT-AP recommends at least one, each with its format and licence.",
        "Chaque fichier ou service utilisable : un téléchargement, une API, un service cartographique. DCAT-AP en recommande au moins un, chacun avec son format et sa licence.",
    ),
    ("file", "File", "Fichier"),
    ("file_new", "A new file", "Un nouveau fichier"),
    (
        "file_remove",
        "Remove this file from the dataset",
        "Retirer ce fichier du jeu de données",
    ),
    (
        "help_more_files",
        "To add more files, save: a blank row comes back for the next one.",
        "Pour ajouter d'autres fichiers, enregistrez : une ligne vide revient pour le suivant.",
    ),
    ("field_file_title", "Name of the file", "Nom du fichier"),
    (
        "help_file_title",
        "Name and description of a file: what it holds that the others do not (a year, a format, a scale).",
        "Nom et description d'un fichier : ce qu'il contient que les autres n'ont pas (une année, un format, une échelle).",
    ),
    ("field_access_url", "Access URL", "URL d'accès"),
    (
        "help_access_url",
        "Where the file or service can be reached: a download, a page or an API. Required for each file; a direct download link will do.",
        "Où atteindre le fichier ou le service : un téléchargement, une page ou une API. Obligatoire pour chaque fichier ; un lien de téléchargement direct convient.",
    ),
    (
        "field_download_url",
        "Direct download URL",
        "URL de téléchargement direct",
    ),
    (
        "help_download_url",
        "A link that downloads the file itself, if there is one.",
        "Un lien qui télécharge le fichier lui-même, s'il y en a un.",
    ),
    ("field_format", "Format", "Format"),
    (
        "help_format",
        "From the EU list of file types, so people and portals can tell which software opens it. Recommended.",
        "Dans la liste des types de fichiers de l'UE, pour savoir quel logiciel l'ouvre. Recommandé.",
    ),
    ("field_license", "Licence", "Licence"),
    (
        "help_license",
        "Tells reusers what they may do with the data. Recommended: without one, nobody knows whether they may reuse it. Etalab 2.0 is the French administration's open licence; ODbL asks that derived databases be shared alike.",
        "Dit aux réutilisateurs ce qu'ils peuvent faire des données. Recommandée : sans elle, personne ne sait s'il peut les réutiliser. Etalab 2.0 est la licence ouverte de l'administration française ; l'ODbL demande que les bases dérivées soient partagées à l'identique.",
    ),
    (
        "licences_explained",
        "What the common licences allow",
        "Ce que permettent les licences courantes",
    ),
    ("field_media_type", "Media type", "Type de média"),
    (
        "help_media_type",
        "The IANA media type of the file, when it is known.",
        "Le type de média IANA du fichier, s'il est connu.",
    ),
    ("field_byte_size", "Size in bytes", "Taille en octets"),
    (
        "help_byte_size",
        "The file's size in bytes, a whole number.",
        "La taille du fichier en octets, un nombre entier.",
    ),
    (
        "field_file_description",
        "Description of the file",
        "Description du fichier",
    ),
    ("field_embargo", "Embargo until", "Embargo jusqu'au"),
    (
        "help_embargo",
        "Leave empty to publish now. With a date, a complete record is held back and published on that day.",
        "Laissez vide pour publier maintenant. Avec une date, une fiche complète est retenue et publiée ce jour-là.",
    ),
    (
        "help_publication",
        "Publishing checks the record against the DCAT-AP profile; a draft may be incomplete. Every save is kept in the record's history.",
        "Publier vérifie la fiche selon le profil DCAT-AP ; un brouillon peut être incomplet. Chaque enregistrement est gardé dans l'historique de la fiche.",
    ),
    // What a field holds that cannot be written.
    (
        "field_bad_id",
        "Use letters, digits, dots, hyphens and underscores only.",
        "N'utilisez que des lettres, chiffres, points, tirets et soulignés.",
    ),
    (
        "field_bad_url",
        "This must be a web address beginning with http:// or https://.",
        "Ce doit être une adresse web commençant par http:// ou https://.",
    ),
    (
        "field_bad_email",
        "This is not an email address.",
        "Ce n'est pas une adresse de courriel.",
    ),
    (
        "field_bad_date",
        "This must be a date, as 2025-03-31.",
        "Ce doit être une date, comme 2025-03-31.",
    ),
    (
        "field_bad_iri",
        "Each line must be a web address (IRI), as https://orcid.org/0000-0002-1825-0097.",
        "Chaque ligne doit être une adresse web (IRI), comme https://orcid.org/0000-0002-1825-0097.",
    ),
    (
        "field_bad_number",
        "This must be a whole number of bytes.",
        "Ce doit être un nombre entier d'octets.",
    ),
    (
        "field_bad_embargo",
        "The embargo must be a date to come.",
        "L'embargo doit être une date à venir.",
    ),
    // The profile's report, by field.
    (
        "need_title",
        "A title is required: give one in at least one language.",
        "Un titre est obligatoire : donnez-en un dans au moins une langue.",
    ),
    (
        "need_description",
        "A description is required: say what the data holds.",
        "Une description est obligatoire : dites ce que contiennent les données.",
    ),
    (
        "need_access_url",
        "Each file needs an access URL.",
        "Chaque fichier a besoin d'une URL d'accès.",
    ),
    (
        "advice_keyword",
        "Add a few keywords so search engines and portals find the data.",
        "Ajoutez quelques mots-clés pour que moteurs de recherche et portails trouvent les données.",
    ),
    (
        "advice_theme",
        "Choose at least one EU data theme, so portals can file the dataset.",
        "Choisissez au moins un thème de l'UE, pour que les portails puissent classer le jeu de données.",
    ),
    (
        "advice_publisher",
        "Name the publisher, so people know who stands behind the data.",
        "Indiquez l'éditeur, pour qu'on sache qui se porte garant des données.",
    ),
    (
        "advice_contact",
        "Give a contact point, so reusers can ask questions and report problems.",
        "Donnez un point de contact, pour que les réutilisateurs puissent poser des questions et signaler des problèmes.",
    ),
    (
        "advice_spatial",
        "Say which places the data covers.",
        "Indiquez quels lieux couvrent les données.",
    ),
    (
        "advice_temporal",
        "Say which period the data covers.",
        "Indiquez quelle période couvrent les données.",
    ),
    (
        "advice_files",
        "Add at least one file, so people can get the data.",
        "Ajoutez au moins un fichier, pour qu'on puisse obtenir les données.",
    ),
    (
        "advice_license",
        "Add a licence from the list, so reusers know what they may do with this file.",
        "Ajoutez une licence de la liste, pour que les réutilisateurs sachent ce qu'ils peuvent faire de ce fichier.",
    ),
    (
        "advice_format",
        "Choose the file's format from the EU list.",
        "Choisissez le format du fichier dans la liste de l'UE.",
    ),
    (
        "advice_description",
        "Describe what this file holds.",
        "Décrivez ce que contient ce fichier.",
    ),
    (
        "finding_violation",
        "Not accepted by the profile:",
        "Refusé par le profil :",
    ),
    (
        "finding_warning",
        "The profile advises:",
        "Le profil conseille :",
    ),
    // Deleting.
    (
        "delete_title",
        "Delete a dataset",
        "Supprimer un jeu de données",
    ),
    (
        "delete_question",
        "Delete the dataset",
        "Supprimer le jeu de données",
    ),
    (
        "delete_consequences",
        "It will no longer be shown nor harvested; its address will answer that it was withdrawn, and its history is kept. Only an administrator can bring it back.",
        "Il ne sera plus affiché ni moissonné ; son adresse répondra qu'il a été retiré, et son historique est conservé. Seul un administrateur peut le rétablir.",
    ),
    ("delete_confirm", "Delete it", "Le supprimer"),
    ("delete_cancel", "Keep it", "Le garder"),
    (
        "done_deleted",
        "The dataset was deleted.",
        "Le jeu de données a été supprimé.",
    ),
    (
        "account_publish",
        "Publish a dataset",
        "Publier un jeu de données",
    ),
    (
        "edit_this",
        "Edit this dataset",
        "Modifier ce jeu de données",
    ),
];
