//! Reading `WWW-Authenticate` (RFC 9110 section 11.6.1) for the `error` of a
//! `DPoP` challenge: a resource server asks for a nonce with
//! `DPoP error="use_dpop_nonce"` (RFC 9449 section 9).

/// The `error` parameter of the `DPoP` challenge in one `WWW-Authenticate` value, if any.
pub(super) fn dpop_error(value: &str) -> Option<String> {
    let mut scanner = Scanner { rest: value };
    let mut in_dpop = false;
    loop {
        scanner.skip(|c| c == ',' || c == ' ' || c == '\t');
        if scanner.rest.is_empty() {
            return None;
        }
        let name = scanner.token();
        if name.is_empty() {
            // Not a token where one must be: step over the character.
            scanner.advance(scanner.rest.chars().next().map_or(1, char::len_utf8));
            continue;
        }
        scanner.skip(|c| c == ' ' || c == '\t');
        if !scanner.rest.starts_with('=') {
            in_dpop = name.eq_ignore_ascii_case("DPoP");
            continue;
        }
        scanner.advance(1);
        scanner.skip(|c| c == ' ' || c == '\t');
        if scanner.rest.is_empty() || scanner.rest.starts_with([',', '=']) {
            // A token68's padding, not a parameter.
            scanner.skip(|c| c == '=');
            continue;
        }
        let value = scanner.value();
        if in_dpop && name.eq_ignore_ascii_case("error") {
            return Some(value);
        }
    }
}

/// What is left of a header value to read.
struct Scanner<'a> {
    rest: &'a str,
}

impl<'a> Scanner<'a> {
    fn advance(&mut self, bytes: usize) {
        self.rest = self.rest.get(bytes..).unwrap_or_default();
    }

    fn skip(&mut self, skipped: impl Fn(char) -> bool) {
        self.rest = self.rest.trim_start_matches(skipped);
    }

    /// A token (RFC 9110 section 5.6.2), possibly empty.
    fn token(&mut self) -> &'a str {
        let end = self
            .rest
            .find(|c: char| !is_tchar(c))
            .unwrap_or(self.rest.len());
        let (token, rest) = self.rest.split_at(end);
        self.rest = rest;
        token
    }

    /// A parameter's value: a quoted string, unescaped, or a token.
    fn value(&mut self) -> String {
        let Some(quoted) = self.rest.strip_prefix('"') else {
            return self.token().to_owned();
        };
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        let mut end = quoted.len();
        while let Some((index, c)) = chars.next() {
            match c {
                '"' => {
                    end = index + 1;
                    break;
                }
                '\\' => value.extend(chars.next().map(|(_, escaped)| escaped)),
                other => value.push(other),
            }
        }
        self.rest = quoted.get(end..).unwrap_or_default();
        value
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_error_of_the_dpop_challenge_among_others() {
        let cases = [
            (r#"DPoP error="use_dpop_nonce""#, Some("use_dpop_nonce")),
            (
                r#"DPoP algs="ES256 EdDSA", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
                Some("use_dpop_nonce"),
            ),
            (
                r#"Bearer realm="api", error="invalid_token", dpop error=use_dpop_nonce"#,
                Some("use_dpop_nonce"),
            ),
            (r#"Basic abc==, DPoP error = "a\"b""#, Some("a\"b")),
            (r#"Bearer error="use_dpop_nonce""#, None),
            (r#"DPoP algs="ES256""#, None),
            ("", None),
            (r#"DPoP error="unterminated"#, Some("unterminated")),
            ("=,= é DPoP error=x", Some("x")),
        ];
        for (value, expected) in cases {
            assert_eq!(dpop_error(value).as_deref(), expected, "{value}");
        }
    }
}
