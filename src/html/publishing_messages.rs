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
];
