//! The servers a spec names (`servers`), for choosing one and filling in its variables.

/// A server the spec names: its URL template (`https://{region}.example.com/v1`) and variables.
///
/// Each generated API module lists its servers in `SERVERS`, the first being where a client sends
/// by default; another is chosen with
/// [`ClientBuilder::base_url`](super::ClientBuilder::base_url)`(SERVERS[1].url_with(&[("region", "eu")])?)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Server {
    /// The URL as the spec writes it, with `{variables}` (a scheme-relative `//host` read as
    /// `https://host`).
    pub url: &'static str,
    /// Its name (OpenAPI 3.2 `name`).
    pub name: Option<&'static str>,
    /// Its description.
    pub description: Option<&'static str>,
    /// The variables its URL holds, in the spec's order.
    pub variables: &'static [ServerVariable],
}

/// A variable of a server's URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerVariable {
    /// Its name, as written between braces in the URL.
    pub name: &'static str,
    /// The value used when none is given.
    pub default: &'static str,
    /// The values it may take (`enum`); any, when empty.
    pub values: &'static [&'static str],
    /// Its description.
    pub description: Option<&'static str>,
}

/// Why a server URL could not be filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerError {
    /// The server has no variable of this name.
    UnknownVariable(String),
    /// The value is not one the variable's `enum` lists.
    NotAllowed {
        /// The variable.
        variable: &'static str,
        /// The value given.
        value: String,
        /// The values it may take.
        allowed: &'static [&'static str],
    },
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerError::UnknownVariable(name) => write!(f, "the server has no variable `{name}`"),
            ServerError::NotAllowed { variable, value, allowed } => write!(f, "`{value}` is not a value of server variable `{variable}` (one of: {})", allowed.join(", ")),
        }
    }
}

impl std::error::Error for ServerError {}

impl Server {
    /// The URL with every variable at its default.
    pub fn default_url(&self) -> String {
        self.fill(|variable| variable.default)
    }

    /// The URL with `values` (variable name, value) for the variables named and every other at its
    /// default. A variable the server does not have, or a value its `enum` does not list, is refused.
    pub fn url_with(&self, values: &[(&str, &str)]) -> Result<String, ServerError> {
        for (name, value) in values {
            let variable = self.variables.iter().find(|v| v.name == *name).ok_or_else(|| ServerError::UnknownVariable((*name).to_owned()))?;
            if !variable.values.is_empty() && !variable.values.contains(value) {
                return Err(ServerError::NotAllowed { variable: variable.name, value: (*value).to_owned(), allowed: variable.values });
            }
        }
        Ok(self.fill(|variable| values.iter().find(|(name, _)| *name == variable.name).map_or(variable.default, |(_, value)| value)))
    }

    fn fill<'a>(&self, value: impl Fn(&ServerVariable) -> &'a str) -> String {
        let mut url = self.url.to_owned();
        for variable in self.variables {
            url = url.replace(&format!("{{{}}}", variable.name), value(variable));
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::{Server, ServerError, ServerVariable};

    const REGIONAL: Server = Server {
        url: "https://{region}.example.com/{version}",
        name: None,
        description: None,
        variables: &[
            ServerVariable { name: "region", default: "us", values: &["us", "eu"], description: None },
            ServerVariable { name: "version", default: "v1", values: &[], description: None },
        ],
    };

    #[test]
    fn variables_are_filled_with_the_values_given_and_the_rest_at_their_defaults() {
        assert_eq!(REGIONAL.default_url(), "https://us.example.com/v1");
        assert_eq!(REGIONAL.url_with(&[("region", "eu")]), Ok("https://eu.example.com/v1".to_owned()));
        assert_eq!(REGIONAL.url_with(&[("version", "v2"), ("region", "eu")]), Ok("https://eu.example.com/v2".to_owned()));
        assert_eq!(REGIONAL.url_with(&[("region", "mars")]), Err(ServerError::NotAllowed { variable: "region", value: "mars".into(), allowed: &["us", "eu"] }));
        assert_eq!(REGIONAL.url_with(&[("zone", "a")]), Err(ServerError::UnknownVariable("zone".into())));
    }
}
