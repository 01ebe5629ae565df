//! `passerelle token`: API tokens, kept hashed in the data directory (this works while a
//! server runs: it reads the file on each request).

use super::CommandError;
use crate::access::{Role, Tokens};
use crate::config::Settings;
use clap::{Subcommand, ValueEnum};
use oxigraph::model::NamedNode;

// The subcommands of `passerelle token` (their doc comments are their help).
#[allow(missing_docs)]
#[derive(Subcommand)]
pub enum TokenAction {
    /// Create a token and print it (it is shown only once).
    Create {
        /// A name for the token, recorded in the history of what it writes.
        #[arg(long)]
        name: String,
        /// `admin` (everything) or `editor` (records of its publishers).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The IRI of a publisher whose records an editor may write (repeatable).
        #[arg(long = "publisher")]
        publishers: Vec<String>,
        /// When the token stops being valid: an RFC 3339 instant (2027-06-30T00:00:00Z)
        /// or a day (2027-06-30, from its start, UTC) [default: never].
        #[arg(long, value_parser = parse_expiry)]
        expires: Option<time::OffsetDateTime>,
    },
    /// List tokens (names and roles, never secrets).
    List,
    /// Revoke a token by name.
    Revoke {
        /// The token's name.
        name: String,
    },
}

#[allow(missing_docs)]
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Editor,
}

/// `passerelle token create|list|revoke`.
pub(super) fn command(settings: &Settings, action: TokenAction) -> Result<(), CommandError> {
    let tokens = Tokens::new(&settings.data_dir);
    match action {
        TokenAction::Create {
            name,
            role,
            publishers,
            expires,
        } => {
            let role = match role {
                RoleArg::Admin if publishers.is_empty() => Role::Admin,
                RoleArg::Admin => {
                    return Err(CommandError::Usage(
                        "an admin token takes no --publisher".into(),
                    ));
                }
                RoleArg::Editor => Role::Editor {
                    publishers: publishers
                        .iter()
                        .map(|p| {
                            NamedNode::new(p.as_str())
                                .map(|n| n.into_string())
                                .map_err(|e| {
                                    CommandError::Usage(format!(
                                        "--publisher {p:?} is not an IRI: {e}"
                                    ))
                                })
                        })
                        .collect::<Result<_, _>>()?,
                },
            };
            let secret = tokens.create(&name, role, expires)?;
            println!("{secret}");
            eprintln!("token {name:?} created; it will not be shown again");
            Ok(())
        }
        TokenAction::List => {
            for token in tokens.list()? {
                let role = match &token.role {
                    Role::Admin => "admin".to_owned(),
                    Role::Editor { publishers } => format!(
                        "editor of {}",
                        publishers.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                let expires = token
                    .expires
                    .map_or_else(|| "never expires".to_owned(), |at| format!("expires {at}"));
                println!("{}\t{}\t{role}\t{expires}", token.name, token.created);
            }
            Ok(())
        }
        TokenAction::Revoke { name } => Ok(tokens.revoke(&name)?),
    }
}

/// `--expires`: an RFC 3339 instant, or a day (its start, UTC).
fn parse_expiry(text: &str) -> Result<time::OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(at) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at);
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &day)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| format!("{text:?} is neither an RFC 3339 instant nor a day (YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::parse_expiry;

    #[test]
    fn an_expiry_is_an_instant_or_the_start_of_a_day() {
        let day = parse_expiry("2027-06-30").map(|t| t.unix_timestamp());
        let instant = parse_expiry("2027-06-30T00:00:00Z").map(|t| t.unix_timestamp());
        assert_eq!(day, instant);
        assert!(parse_expiry("2027-06-30T12:00:00+02:00").is_ok());
        assert!(parse_expiry("next week").is_err());
        assert!(parse_expiry("2027-13-01").is_err());
    }
}
