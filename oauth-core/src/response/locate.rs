//! Finding the success field inside a kept value's text, which serde_json has
//! already accepted: one scan for the member the routes lead to, cheaper than
//! parsing the value a second time.

use std::borrow::Cow;

use super::spec::{Route, Routes};

/// The text of the value the routes lead to from `node` inside `text`: the last
/// one when a name is repeated, as a parse reads it.
pub(crate) fn success_field(routes: Routes, node: u16, text: &str) -> Option<&str> {
    Scan { text, at: 0 }.container(routes, node)
}

/// A position in the text of a JSON value known to be well formed.
struct Scan<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Scan<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Walks an object's members or an array's items, following the routes at `node`.
    fn container(&mut self, routes: Routes, node: u16) -> Option<&'t str> {
        self.skip_whitespace();
        let close = match self.peek()? {
            b'{' => b'}',
            b'[' => b']',
            _ => return None,
        };
        self.at += 1;
        let mut found = None;
        self.skip_whitespace();
        if self.peek()? == close {
            return None;
        }
        for index in 0.. {
            self.skip_whitespace();
            let route = if close == b'}' {
                let (key, escaped) = self.string()?;
                let key = name(key, escaped)?;
                self.expect(b':')?;
                (routes.key)(node, &key)
            } else {
                (routes.index)(node, index)
            };
            self.skip_whitespace();
            let value = self.value()?;
            match route {
                Route::Check => found = Some(value),
                Route::Peek(child) => {
                    found = Scan { text: value, at: 0 }
                        .container(routes, child)
                        .or(found);
                }
                _ => {}
            }
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                byte if byte == close => break,
                _ => return None,
            }
        }
        found
    }

    /// A string, its quotes included, and whether it holds an escape.
    fn string(&mut self) -> Option<(&'t str, bool)> {
        let start = self.at;
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let mut escaped = false;
        loop {
            let rest = self.text.as_bytes().get(self.at..)?;
            self.at += rest.iter().position(|byte| matches!(byte, b'"' | b'\\'))?;
            match self.peek()? {
                b'"' => break,
                // The escaped character cannot end the string; `\uXXXX` goes on as plain text.
                _ => (self.at, escaped) = (self.at + 2, true),
            }
        }
        self.at += 1;
        Some((self.text.get(start..self.at)?, escaped))
    }

    /// One value, whatever it holds.
    fn value(&mut self) -> Option<&'t str> {
        let start = self.at;
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0_usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.at += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.at += 1;
                }
            }
        }
        self.text.get(start..self.at)
    }
}

/// The name a key written with its quotes stands for; borrowed unless it holds an escape.
fn name(quoted: &str, escaped: bool) -> Option<Cow<'_, str>> {
    if escaped {
        return serde_json::from_str(quoted).ok().map(Cow::Owned);
    }
    let name = quoted.strip_prefix('"')?.strip_suffix('"')?;
    Some(Cow::Borrowed(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::spec::Slot;

    const ROUTES: Routes = Routes {
        key: |node, key| match (node, key) {
            (0, "status") => Route::Peek(1),
            (1, "code") | (2, "code") => Route::Check,
            (1, "list") => Route::Peek(3),
            (0, "token") => Route::Take(Slot::AccessToken),
            _ => Route::Keep,
        },
        index: |node, index| match (node, index) {
            (3, 1) => Route::Peek(2),
            _ => Route::Keep,
        },
    };

    #[test]
    fn finds_the_field_through_objects_and_arrays() {
        let find = |text| success_field(ROUTES, 1, text);
        assert_eq!(find(r#"{"a": "}\"{", "code": 0}"#), Some("0"));
        assert_eq!(
            find(r#"{ "code" : "ok" , "b" : [1, {"code": 2}] }"#),
            Some(r#""ok""#)
        );
        assert_eq!(find(r#"{"code": 1, "x": {}, "code": null}"#), Some("null"));
        assert_eq!(find(r#"{"c\u006fde": [true]}"#), Some("[true]"));
        assert_eq!(
            find(r#"{"list": [{"code": 1}, {"code": {"n": [2]}}]}"#),
            Some(r#"{"n": [2]}"#)
        );
        assert_eq!(find(r#"{"list": [{"code": 1}]}"#), None);
        assert_eq!(find("{}"), None);
        assert_eq!(find("[]"), None);
        assert_eq!(find("7"), None);
        assert_eq!(find(r#"{"code": "#), None);
    }
}
