//! The base URL template: `https://{tenant}.auth.example.com` or `{subdomain}/api2`.

/// One piece of a base URL template.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    Literal(String),
    /// A field standing for the whole origin, `https://host[:port]`; only first.
    Origin(String),
    /// A field filling one host label or path segment.
    Part(String),
}

/// Why a template was refused, and the template the user most likely meant.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) what: String,
    pub(crate) meant: Option<String>,
}

impl Problem {
    fn new(what: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            meant: None,
        }
    }

    fn meaning(mut self, meant: String) -> Self {
        self.meant = Some(meant);
        self
    }
}

/// Splits a template into pieces, or says in one sentence what is wrong with it.
pub(crate) fn parse(template: &str) -> Result<Vec<Piece>, Problem> {
    if template.contains("{{") || template.contains("}}") {
        return Err(Problem::new("writes a template part with single braces")
            .meaning(template.replace("{{", "{").replace("}}", "}")));
    }
    let mut pieces = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            Some(0) if rest.starts_with('}') => {
                return Err(Problem::new("has a '}' with no '{' before it"));
            }
            Some(0) => {
                let Some(end) = rest.find('}') else {
                    return Err(Problem::new("has a '{' that is never closed"));
                };
                let name = rest.get(1..end).unwrap_or_default();
                if !is_identifier(name) {
                    let field: String = name
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                        .collect();
                    let problem = Problem::new(format!(
                        "has \"{{{name}}}\", but a template part names a field"
                    ));
                    return Err(if is_identifier(&field) {
                        problem.meaning(template.replacen(
                            &format!("{{{name}}}"),
                            &format!("{{{field}}}"),
                            1,
                        ))
                    } else {
                        problem
                    });
                }
                pieces.push(if pieces.is_empty() {
                    Piece::Origin(name.to_owned())
                } else {
                    Piece::Part(name.to_owned())
                });
                rest = rest.get(end + 1..).unwrap_or_default();
            }
            found => {
                let end = found.unwrap_or(rest.len());
                pieces.push(Piece::Literal(
                    rest.get(..end).unwrap_or_default().to_owned(),
                ));
                rest = rest.get(end..).unwrap_or_default();
            }
        }
    }
    check_shape(template, &pieces)?;
    Ok(pieces)
}

fn check_shape(template: &str, pieces: &[Piece]) -> Result<(), Problem> {
    match pieces.first() {
        Some(Piece::Literal(start)) => {
            if let Some(rest) = start.strip_prefix("http://") {
                return Err(Problem::new(
                    "must use https://; reach a plain-http test server at run time with `with_base_url(\"http://127.0.0.1:...\")`",
                )
                .meaning(format!("https://{rest}{}", template.get(start.len()..).unwrap_or_default())));
            }
            let Some(after_scheme) = start.strip_prefix("https://") else {
                let problem = Problem::new(
                    "must be an absolute https:// URL, or start with an origin field such as \"{subdomain}\"",
                );
                let looks_like_host =
                    !start.contains("://") && start.contains('.') && !start.starts_with(['/', '.']);
                return Err(if looks_like_host {
                    problem.meaning(format!("https://{template}"))
                } else {
                    problem
                });
            };
            if after_scheme.is_empty() && !matches!(pieces.get(1), Some(Piece::Part(_))) {
                return Err(Problem::new("has no host after https://"));
            }
        }
        Some(Piece::Origin(_)) => {
            if let Some(Piece::Literal(next)) = pieces.get(1)
                && !next.starts_with('/')
            {
                return Err(Problem::new(
                    "starts with an origin field, which must be followed by a path (\"{subdomain}/api\") or nothing",
                ));
            }
        }
        Some(Piece::Part(_)) | None => return Err(Problem::new("is empty")),
    }
    for piece in pieces {
        if let Piece::Literal(text) = piece
            && let Some(bad) = text
                .chars()
                .find(|c| matches!(c, '?' | '#' | '@' | '\\') || c.is_whitespace())
        {
            let problem = Problem::new(format!(
                "contains {bad:?}; a base URL has no user info, query or fragment (query parameters are fields marked #[token(query)])"
            ));
            return Err(match (bad, template.split_once(bad)) {
                ('?' | '#', Some((before, _))) => problem.meaning(before.to_owned()),
                _ => problem,
            });
        }
    }
    Ok(())
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_origins_parts_and_literals() {
        assert_eq!(
            parse("{subdomain}/api2"),
            Ok(vec![
                Piece::Origin("subdomain".into()),
                Piece::Literal("/api2".into())
            ])
        );
        assert_eq!(
            parse("https://{tenant}.auth.example.com/{realm}"),
            Ok(vec![
                Piece::Literal("https://".into()),
                Piece::Part("tenant".into()),
                Piece::Literal(".auth.example.com/".into()),
                Piece::Part("realm".into()),
            ])
        );
    }

    #[test]
    fn mends_what_it_can() {
        let meant = |template: &str| parse(template).err().and_then(|problem| problem.meant);
        assert_eq!(
            meant("https://{{tenant}}.example.com").as_deref(),
            Some("https://{tenant}.example.com")
        );
        assert_eq!(
            meant("https://{tenant-id}.example.com").as_deref(),
            Some("https://{tenant_id}.example.com")
        );
        assert_eq!(
            meant("http://auth.example.com").as_deref(),
            Some("https://auth.example.com")
        );
        assert_eq!(
            meant("auth.example.com").as_deref(),
            Some("https://auth.example.com")
        );
        assert_eq!(
            meant("https://auth.example.com/?a=1").as_deref(),
            Some("https://auth.example.com/")
        );
    }

    #[test]
    fn refuses_relative_open_and_querying_templates() {
        for bad in [
            "/oauth",
            "http://x.com",
            "https://x.com/{",
            "https://x.com/{a-b}",
            "https://x.com?a=1",
            "{origin}.x",
            "",
            "https://",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
