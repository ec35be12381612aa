//! "Did you mean" for misspelled attribute keys.

/// Words users reach for that mean one of our keys.
const ALIASES: &[(&str, &str)] = &[
    ("encoding", "body"),
    ("body_encoding", "body"),
    ("format", "body"),
    ("url", "base_url"),
    ("base", "base_url"),
    ("token_url", "base_url"),
    ("endpoint", "base_url"),
    ("token_path", "path"),
    ("wire_name", "rename"),
    ("alias", "rename"),
    ("authorization", "bearer"),
    ("auth", "bearer"),
    ("sensitive", "secret"),
    ("redact", "secret"),
    ("constant", "param"),
    ("params", "param"),
];

/// The accepted name a user most likely meant by `unknown`, if any is close.
pub(crate) fn closest<'k>(unknown: &str, accepted: &[&'k str]) -> Option<&'k str> {
    let by_distance = accepted
        .iter()
        .map(|key| (edit_distance(unknown, key), *key))
        .filter(|(distance, key)| *distance <= (key.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, key)| key);
    let by_containment = || {
        accepted
            .iter()
            .filter(|key| unknown.contains(*key) || key.contains(unknown))
            .max_by_key(|key| key.len())
            .copied()
    };
    let by_alias = || {
        ALIASES
            .iter()
            .filter(|(alias, _)| *alias == unknown)
            .find_map(|(_, key)| accepted.iter().find(|accepted| *accepted == key).copied())
    };
    by_distance.or_else(by_alias).or_else(by_containment)
}

/// Levenshtein distance, over bytes: keys are ASCII.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_byte) in a.bytes().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, b_byte) in b.bytes().enumerate() {
            let substitution =
                previous.get(j).copied().unwrap_or_default() + usize::from(a_byte != b_byte);
            let deletion = previous.get(j + 1).copied().unwrap_or_default() + 1;
            let insertion = current.last().copied().unwrap_or_default() + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_by_spelling_prefix_and_alias() {
        let keys = ["base_url", "path", "body", "content_type"];
        assert_eq!(closest("bdy", &keys), Some("body"));
        assert_eq!(closest("pth", &keys), Some("path"));
        assert_eq!(closest("body_encodng", &keys), Some("body"));
        assert_eq!(closest("encoding", &keys), Some("body"));
        assert_eq!(closest("content_typ", &keys), Some("content_type"));
        assert_eq!(closest("zzz", &keys), None);
        assert_eq!(
            closest("secret", &["client_id", "client_secret"]),
            Some("client_secret")
        );
    }
}
