//! Response paths: where a value is in a body. Segments are joined by dots; a
//! segment of ASCII digits indexes an array (`errors.0.code`) and is a key on
//! an object. Checked here so a malformed path never compiles into a lookup
//! that silently never matches.

/// Why a path was refused, and the path the user most likely meant.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) what: &'static str,
    pub(crate) meant: Option<String>,
}

/// The segments of `text`, or what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<Vec<String>, Problem> {
    let what = if text.trim().is_empty() {
        "is empty"
    } else if text.starts_with('$') {
        "starts at the body's top level, without `$`"
    } else if text.contains(['[', ']']) {
        "indexes an array with a dot and the index, not brackets"
    } else if text.split('.').any(str::is_empty) {
        "has an empty segment"
    } else {
        return Ok(text.split('.').map(str::to_owned).collect());
    };
    let meant = Some(meant(text)).filter(|meant| !meant.is_empty());
    Err(Problem { what, meant })
}

/// `text` with every mistake above mended: `$.errors[0]..code` -> `errors.0.code`.
fn meant(text: &str) -> String {
    let without_root = text.strip_prefix('$').unwrap_or(text);
    let dotted: String = without_root
        .chars()
        .map(|c| match c {
            '[' => '.',
            ']' | '\'' | '"' => ' ',
            other => other,
        })
        .filter(|c| *c != ' ')
        .collect();
    dotted
        .split('.')
        .filter(|segment| !segment.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meant_for(text: &str) -> Option<String> {
        parse(text).err().and_then(|problem| problem.meant)
    }

    #[test]
    fn splits_at_dots_with_digit_segments_kept() {
        assert_eq!(parse("data.token"), Ok(vec!["data".into(), "token".into()]));
        assert_eq!(
            parse("errors.0.code"),
            Ok(vec!["errors".into(), "0".into(), "code".into()])
        );
    }

    #[test]
    fn refuses_and_mends_other_syntaxes() {
        assert_eq!(meant_for("$.data.token").as_deref(), Some("data.token"));
        assert_eq!(meant_for("$data").as_deref(), Some("data"));
        assert_eq!(
            meant_for("errors[0].code").as_deref(),
            Some("errors.0.code")
        );
        assert_eq!(meant_for("data['token']").as_deref(), Some("data.token"));
        assert_eq!(meant_for("data..token").as_deref(), Some("data.token"));
        assert_eq!(meant_for(".token").as_deref(), Some("token"));
        assert!(parse("").is_err());
        assert_eq!(meant_for("$"), None);
    }
}
