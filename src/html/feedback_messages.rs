//! The messages of reusers' feedback, reuses, notifications and a publisher's open
//! reports, in English and French (`(key, English, French)`, read with the others by
//! [`super::messages`]).

/// `(key, English, French)`.
pub(super) const FEEDBACK: &[(&str, &str, &str)] = &[
    // Reusers' feedback on a dataset's page.
    ("kind_annotation", "Annotation", "Annotation"),
    (
        "feedback_heading",
        "Questions, reports and suggestions",
        "Questions, signalements et suggestions",
    ),
    (
        "feedback_sent",
        "Thank you: your message is published below, for the producer and other reusers to read.",
        "Merci : votre message est publié ci-dessous, pour le producteur et les autres réutilisateurs.",
    ),
    (
        "feedback_none",
        "Nobody has written about this dataset yet. Found a problem, a wrong licence, a question? Tell the producer.",
        "Personne n'a encore écrit à propos de ce jeu de données. Un problème, une licence erronée, une question ? Dites-le au producteur.",
    ),
    (
        "feedback_write",
        "Write to the producer",
        "Écrire au producteur",
    ),
    ("feedback_kind", "What is it?", "De quoi s'agit-il ?"),
    ("motivation_assessing", "A problem", "Un problème"),
    ("motivation_questioning", "A question", "Une question"),
    (
        "motivation_editing",
        "A suggested correction",
        "Une correction suggérée",
    ),
    ("motivation_commenting", "A comment", "Un commentaire"),
    ("motivation_replying", "An answer", "Une réponse"),
    ("feedback_target", "About", "À propos de"),
    (
        "feedback_whole",
        "The whole dataset",
        "Tout le jeu de données",
    ),
    ("feedback_about", "about", "à propos de"),
    ("feedback_text", "Your message", "Votre message"),
    (
        "feedback_name",
        "Your name or pseudonym (optional, shown)",
        "Votre nom ou pseudonyme (facultatif, affiché)",
    ),
    (
        "feedback_email",
        "Your email (optional)",
        "Votre courriel (facultatif)",
    ),
    (
        "feedback_email_help",
        "Never shown: only the producer sees it, to answer you.",
        "Jamais affiché : seul le producteur le voit, pour vous répondre.",
    ),
    (
        "feedback_honeypot",
        "Leave this field empty",
        "Laissez ce champ vide",
    ),
    ("feedback_send", "Send", "Envoyer"),
    (
        "feedback_public",
        "Your message is published with this dataset, as linked data (a W3C Web Annotation).",
        "Votre message est publié avec ce jeu de données, en données liées (une annotation Web du W3C).",
    ),
    ("feedback_anonymous", "anonymous", "anonyme"),
    ("feedback_link", "link", "lien"),
    ("feedback_reply_by", "Answer by", "Réponse de"),
    // Producers answering.
    ("status_open", "open", "ouvert"),
    ("status_resolved", "resolved", "résolu"),
    ("status_rejected", "rejected", "rejeté"),
    ("answer_this", "Answer", "Répondre"),
    (
        "answer_text",
        "Your answer (published)",
        "Votre réponse (publiée)",
    ),
    (
        "answer_resolution",
        "And the report is",
        "Et le signalement est",
    ),
    ("resolution_none", "still open", "toujours ouvert"),
    ("answer_send", "Publish the answer", "Publier la réponse"),
    ("hide_this", "Hide (spam)", "Masquer (indésirable)"),
    // A publisher's open reports.
    ("kind_reports", "Open reports", "Signalements ouverts"),
    (
        "reports_title",
        "Open reports for",
        "Signalements ouverts pour",
    ),
    (
        "reports_intro",
        "Questions, problems and suggested corrections about this publisher's datasets that no answer has resolved or rejected yet, oldest first.",
        "Questions, problèmes et corrections suggérées sur les jeux de données de cet éditeur qu'aucune réponse n'a encore résolus ni rejetés, du plus ancien au plus récent.",
    ),
    ("reports_publisher", "The publisher", "L'éditeur"),
    (
        "reports_atom",
        "Follow in a feed reader (Atom)",
        "Suivre dans un lecteur de flux (Atom)",
    ),
    ("reports_count", "Open:", "Ouverts :"),
    (
        "reports_answers",
        "answer(s) so far",
        "réponse(s) pour l'instant",
    ),
    (
        "reports_none",
        "Nothing is waiting for an answer.",
        "Rien n'attend de réponse.",
    ),
    // Notifications from other systems (LDN, COAR Notify).
    ("motivation_reviewing", "A review", "Une évaluation"),
    ("motivation_linking", "A related work", "Une œuvre liée"),
    ("announced_by", "announced by", "annoncé par"),
    (
        "pending_heading",
        "Waiting for your approval",
        "En attente de votre approbation",
    ),
    (
        "pending_intro",
        "Other systems (journals, review services, repositories) announced these about the dataset. Nobody signs such notifications: check them before they show.",
        "D'autres systèmes (revues, services d'évaluation, entrepôts) ont annoncé ceci à propos du jeu de données. Personne ne signe ces notifications : vérifiez-les avant qu'elles ne s'affichent.",
    ),
    ("approve", "Approve", "Approuver"),
    ("reject", "Reject", "Rejeter"),
    // Reuses.
    ("kind_reuses", "Reuses", "Réutilisations"),
    ("kind_reuse", "Reuse", "Réutilisation"),
    (
        "reuses_title",
        "Reuses of the data",
        "Réutilisations des données",
    ),
    (
        "reuses_intro",
        "What people made with the datasets of this catalog: applications, maps and charts, articles, APIs. Made something? Declare it from the dataset's page.",
        "Ce que l'on a fait des jeux de données de ce catalogue : applications, cartes et graphiques, articles, API. Vous avez réalisé quelque chose ? Déclarez-le depuis la page du jeu de données.",
    ),
    (
        "reuses_none",
        "No reuse has been declared yet.",
        "Aucune réutilisation n'a encore été déclarée.",
    ),
    ("reuses_heading", "Reuses", "Réutilisations"),
    (
        "reuses_none_here",
        "Nobody has declared a reuse of this dataset yet.",
        "Personne n'a encore déclaré de réutilisation de ce jeu de données.",
    ),
    (
        "reuse_declare",
        "Declare a reuse",
        "Déclarer une réutilisation",
    ),
    ("reuse_title", "Its title", "Son titre"),
    (
        "reuse_url",
        "Its address (http or https)",
        "Son adresse (http ou https)",
    ),
    ("reuse_kind", "What is it?", "De quoi s'agit-il ?"),
    (
        "reuse_image",
        "An image of it (address, optional)",
        "Une image (adresse, facultative)",
    ),
    (
        "reuse_others",
        "Other datasets of this catalog it uses (optional)",
        "Autres jeux de données de ce catalogue qu'elle utilise (facultatif)",
    ),
    (
        "reuse_others_help",
        "Their addresses, one per line, as in your browser's address bar on their pages: the reuse shows on each of their pages too.",
        "Leurs adresses, une par ligne, telles que la barre d'adresse les montre sur leurs pages : la réutilisation s'affiche aussi sur chacune.",
    ),
    ("reuse_hide", "Hide (spam)", "Masquer (indésirable)"),
    ("reuse_send", "Declare", "Déclarer"),
    ("reuse_based_on", "Based on", "À partir de"),
    ("reuse_kind_application", "Application", "Application"),
    ("reuse_kind_visualisation", "Visualisation", "Visualisation"),
    ("reuse_kind_article", "Article", "Article"),
    ("reuse_kind_api", "API", "API"),
    ("reuse_kind_other", "Other", "Autre"),
    // Reuses in the search.
    ("with_reuses", "Reused", "Réutilisés"),
    ("without_reuses", "Not reused yet", "Pas encore réutilisés"),
    ("facet_has_reuses", "Reuses", "Réutilisations"),
    ("sort_reuses", "Most reused", "Les plus réutilisés"),
];
