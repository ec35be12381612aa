//! The syntax inside `#[token(...)]`: a list of `key = value`, `key(...)` and
//! `key`, read with recovery so that one mistake does not hide the next, and
//! every malformed value answered with the form to write, in the user's terms.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, Lit, LitBool, LitStr, Token};

use crate::errors::Errors;

/// The attribute every key lives in.
pub(crate) const TOKEN: &str = "token";

/// Where a list of keys is written, so examples show the key in place.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    /// `#[token(...)]`; `literal_key` answers a bare literal written where a key belongs.
    Attribute { literal_key: fn(&str) -> String },
    /// `group(...)` inside `#[token(...)]`.
    Group(&'static str),
}

impl Place {
    /// `inner` where it is written: `#[token(inner)]` or `refresh(inner)`.
    pub(crate) fn show(self, inner: &str) -> String {
        match self {
            Self::Attribute { .. } => format!("#[{TOKEN}({inner})]"),
            Self::Group(group) => format!("{group}({inner})"),
        }
    }
}

/// One key of a list, and the tokens after it.
pub(crate) struct Entry<'a> {
    /// The key as written; a dashed key (`x-api-version`) is one ident in snake case.
    pub(crate) key: Ident,
    /// Whether the key was written with dashes, which only header names may mean.
    pub(crate) dashed: bool,
    /// The key's tokens as written, to place errors on all of it.
    written: TokenStream,
    pub(crate) place: Place,
    input: ParseStream<'a>,
}

/// Reads every `#[token(...)]` in `attrs`, handing each key to `each`.
pub(crate) fn parse_attributes(
    attrs: &[Attribute],
    place: Place,
    errors: &mut Errors,
    each: &mut dyn FnMut(&Entry<'_>, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| is_ours(attr)) {
        let list = match &attr.meta {
            syn::Meta::List(list) => list,
            other => {
                errors.spanned(
                    other,
                    format!(
                        "#[{TOKEN}] takes a list of keys: {}",
                        place.show("base_url = \"https://auth.example.com\"")
                    ),
                );
                continue;
            }
        };
        let mut read = Errors::new();
        let parser = |input: ParseStream<'_>| {
            parse_list(input, place, &mut read, each);
            Ok(())
        };
        let result = parser.parse2(list.tokens.clone());
        errors.absorb(read);
        errors.check(result);
    }
}

/// `#[token]`, or a near miss such as `#[tokens]` that rustc reports itself:
/// reading it as ours keeps its keys from being reported missing as well.
fn is_ours(attr: &Attribute) -> bool {
    attr.path().get_ident().is_some_and(|ident| {
        let name = ident.to_string();
        name == TOKEN || crate::suggest::closest(&name, &[TOKEN]).is_some()
    })
}

/// Reads `key ..., key ...` to the end of `input`, going on after any mistake.
pub(crate) fn parse_list(
    input: ParseStream<'_>,
    place: Place,
    errors: &mut Errors,
    each: &mut dyn FnMut(&Entry<'_>, &mut Errors) -> syn::Result<()>,
) {
    while !input.is_empty() {
        match parse_key(input, place) {
            Ok((key, written)) => {
                let entry = Entry {
                    dashed: written.clone().into_iter().count() > 1,
                    key,
                    written,
                    place,
                    input,
                };
                if let Err(error) = each(&entry, errors) {
                    errors.push(error);
                    skip_to_comma(input);
                }
            }
            Err(error) => {
                errors.push(error);
                skip_to_comma(input);
            }
        }
        if input.is_empty() {
            break;
        }
        if input.parse::<Token![,]>().is_err() {
            let next = input
                .fork()
                .call(Ident::parse_any)
                .map_or_else(|_| String::from("the next key"), |key| format!("`{key}`"));
            errors.at(input.span(), format!("expected `,` before {next}"));
        }
    }
}

/// A key: an identifier (keywords such as `crate` included), or dashed words,
/// and its tokens as written.
fn parse_key(input: ParseStream<'_>, place: Place) -> syn::Result<(Ident, TokenStream)> {
    if input.peek(Lit) {
        let literal: Lit = input.parse()?;
        let text = match &literal {
            Lit::Str(text) => text.value(),
            other => quote::quote!(#other).to_string(),
        };
        let hint = match place {
            Place::Attribute { literal_key } => literal_key(&text),
            Place::Group(group) => format!("{group}(key = {})", quote::quote!(#literal)),
        };
        return Err(syn::Error::new_spanned(
            literal,
            format!("a value needs its key: {hint}"),
        ));
    }
    if !input.peek(Ident::peek_any) {
        let span = input.span();
        return Err(syn::Error::new(
            span,
            format!("expected a key, such as {}", place.show("key = \"value\"")),
        ));
    }
    let first = Ident::parse_any(input)?;
    let mut words = vec![first.to_string()];
    let mut written = TokenStream::from(TokenTree::Ident(first.clone()));
    while input.peek(Token![-]) && input.peek2(Ident::peek_any) {
        let dash: Token![-] = input.parse()?;
        let word = Ident::parse_any(input)?;
        words.push(word.to_string());
        written.extend(quote::quote!(#dash #word));
    }
    if input.peek(Token![::]) {
        return Err(syn::Error::new(
            first.span(),
            format!(
                "a key is one word, not a path: {}",
                place.show("key = \"value\"")
            ),
        ));
    }
    let key = if words.len() > 1 {
        Ident::new(&words.join("_"), first.span())
    } else {
        first
    };
    Ok((key, written))
}

/// Skips what is left of a key that failed, so the next key is still read.
fn skip_to_comma(input: ParseStream<'_>) {
    while !input.is_empty() && !input.peek(Token![,]) {
        if input.parse::<TokenTree>().is_err() {
            break;
        }
    }
}

/// What a value should look like, to say so when it does not.
#[derive(Clone, Copy)]
pub(crate) enum Expect<'e> {
    /// Free text; the example value is shown when the user's own cannot be echoed.
    Text(&'e str),
    /// One of these strings.
    OneOf(&'e [&'e str]),
    /// A Rust path in a string; the example is shown when the user's own cannot be echoed.
    Path(&'e str),
}

impl Entry<'_> {
    /// The key's name, without any `r#`.
    pub(crate) fn name(&self) -> String {
        self.key.unraw().to_string()
    }

    /// `key = value` shown in place.
    pub(crate) fn example(&self, value: &str) -> String {
        self.place.show(&format!("{} = {value}", self.name()))
    }

    /// An error on the key.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> syn::Error {
        syn::Error::new_spanned(&self.written, message)
    }

    /// Whether nothing follows the key: a flag.
    pub(crate) fn is_bare(&self) -> bool {
        self.input.is_empty() || self.input.peek(Token![,])
    }

    /// Consumes `=` (or a `:` written for it, which is an error after its value is read).
    fn equals(&self, expect: Expect<'_>) -> syn::Result<()> {
        if self.input.peek(Token![=]) {
            self.input.parse::<Token![=]>()?;
            return Ok(());
        }
        if self.input.peek(Token![:]) && !self.input.peek(Token![::]) {
            let colon: Token![:] = self.input.parse()?;
            let value = self.rest_text();
            skip_to_comma(self.input);
            return Err(syn::Error::new_spanned(
                colon,
                format!(
                    "a key and its value are joined by `=`: {}",
                    self.example(&value)
                ),
            ));
        }
        let example = match expect {
            Expect::Text(example) => format!("\"{example}\""),
            Expect::OneOf(choices) => format!("\"{}\"", choices.first().copied().unwrap_or("")),
            Expect::Path(example) => format!("\"{example}\""),
        };
        Err(self.error(format!(
            "`{}` takes a value: {}",
            self.name(),
            self.example(&example)
        )))
    }

    /// The tokens up to the next comma.
    fn rest(&self) -> TokenStream {
        let fork = self.input.fork();
        let mut tokens = TokenStream::new();
        while !fork.is_empty() && !fork.peek(Token![,]) {
            match fork.parse::<TokenTree>() {
                Ok(token) => tokens.extend([token]),
                Err(_) => break,
            }
        }
        tokens
    }

    /// An error on a value, or on the key when the value is missing.
    fn value_error(&self, value: TokenStream, message: impl std::fmt::Display) -> syn::Error {
        if value.is_empty() {
            self.error(message)
        } else {
            syn::Error::new_spanned(value, message)
        }
    }

    /// The tokens up to the next comma, as the user wrote them.
    fn rest_text(&self) -> String {
        tokens_text(self.rest())
    }

    /// `key = "text"`.
    pub(crate) fn string(&self, expect: Expect<'_>) -> syn::Result<LitStr> {
        self.equals(expect)?;
        if self.input.peek(LitStr) {
            return self.input.parse();
        }
        Err(self.not_a_string(expect))
    }

    /// The error for a value that is not a string literal, with the form to write.
    fn not_a_string(&self, expect: Expect<'_>) -> syn::Error {
        let value = self.rest();
        let written = tokens_text(value.clone());
        let is_macro = self.input.peek(Ident::peek_any) && self.input.peek2(Token![!]);
        skip_to_comma(self.input);
        let name = self.name();
        let message = match expect {
            Expect::OneOf(choices) => {
                let guess = crate::suggest::closest(&written.to_ascii_lowercase(), choices)
                    .or_else(|| choices.first().copied())
                    .unwrap_or_default();
                format!(
                    "`{name}` takes one of {}: {}",
                    quoted_list(choices),
                    self.example(&format!("\"{guess}\""))
                )
            }
            Expect::Text(example) if is_macro || written.is_empty() => format!(
                "`{name}` takes a string literal{}: {}",
                if is_macro {
                    "; attributes are read before macros such as `env!` expand"
                } else {
                    ""
                },
                self.example(&format!("\"{example}\""))
            ),
            Expect::Text(_) => format!(
                "`{name}` takes a string literal: {}",
                self.example(&format!("{:?}", written.trim_matches('"')))
            ),
            Expect::Path(example) => {
                let meant = if written.is_empty() || is_macro {
                    example.to_owned()
                } else {
                    written.replace('-', "_")
                };
                format!(
                    "`{name}` takes the path to the runtime, as a string: {}",
                    self.example(&format!("{meant:?}"))
                )
            }
        };
        self.value_error(value, message)
    }

    /// `key = "text"`, `key = 10` or `key = true`.
    pub(crate) fn literal(&self, what: &str, example: &str) -> syn::Result<Lit> {
        self.equals(Expect::Text(example))?;
        if self.input.peek(Lit) {
            let value: Lit = self.input.parse()?;
            if matches!(value, Lit::Str(_) | Lit::Int(_) | Lit::Bool(_)) {
                return Ok(value);
            }
            return Err(syn::Error::new_spanned(
                value,
                format!(
                    "{what} is a string, an integer or a boolean: {}",
                    self.example(example)
                ),
            ));
        }
        let value = self.rest();
        let written = tokens_text(value.clone());
        skip_to_comma(self.input);
        let echo = if written.is_empty() || written.contains(['(', '[', '!']) {
            String::from(example)
        } else {
            format!("{written:?}")
        };
        Err(self.value_error(
            value,
            format!(
                "{what} is a string, an integer or a boolean: {}",
                self.example(&echo)
            ),
        ))
    }

    /// `key` alone, or `key = "text"`.
    pub(crate) fn optional_string(&self, expect: Expect<'_>) -> syn::Result<Option<LitStr>> {
        if self.is_bare() {
            return Ok(None);
        }
        self.string(expect).map(Some)
    }

    /// `key = true` or `key = false`.
    pub(crate) fn boolean(&self) -> syn::Result<LitBool> {
        let example = self.example("false");
        if self.is_bare() {
            return Err(self.error(format!("`{}` takes true or false: {example}", self.name())));
        }
        self.equals(Expect::Text("false"))?;
        if self.input.peek(LitBool) {
            return self.input.parse();
        }
        let tokens = self.rest();
        let written = tokens_text(tokens.clone());
        skip_to_comma(self.input);
        let value = if written.trim_matches('"') == "true" {
            "true"
        } else {
            "false"
        };
        Err(self.value_error(
            tokens,
            format!(
                "`{}` takes true or false, without quotes: {}",
                self.name(),
                self.example(value)
            ),
        ))
    }

    /// A key that takes no value.
    pub(crate) fn flag(&self) -> syn::Result<()> {
        if self.is_bare() {
            return Ok(());
        }
        let turns_off = self.input.peek(Token![=]) && self.input.peek2(LitBool) && {
            let fork = self.input.fork();
            fork.parse::<Token![=]>().is_ok()
                && fork.parse::<LitBool>().is_ok_and(|value| !value.value)
        };
        skip_to_comma(self.input);
        let shown = self.place.show(&self.name());
        Err(self.error(if turns_off {
            format!(
                "`{}` takes no value; to turn it off, leave it out",
                self.name()
            )
        } else {
            format!("`{}` takes no value: {shown}", self.name())
        }))
    }

    /// `key = ["a", "b"]`.
    pub(crate) fn string_list(&self, example: &str) -> syn::Result<Vec<LitStr>> {
        self.equals(Expect::Text(example))?;
        let shown = |items: &str| self.example(&format!("[{items}]"));
        if self.input.peek(LitStr) {
            let single: LitStr = self.input.parse()?;
            return Err(syn::Error::new_spanned(
                &single,
                format!(
                    "`{}` takes a list: {}",
                    self.name(),
                    shown(&format!("{:?}", single.value()))
                ),
            ));
        }
        if self.is_bare() {
            return Err(self.error(format!(
                "`{}` takes a list: {}",
                self.name(),
                shown(example)
            )));
        }
        let tree: TokenTree = self.input.parse()?;
        let TokenTree::Group(group) = &tree else {
            skip_to_comma(self.input);
            return Err(syn::Error::new_spanned(
                &tree,
                format!(
                    "`{}` takes a list of strings: {}",
                    self.name(),
                    shown(example)
                ),
            ));
        };
        if group.delimiter() != Delimiter::Bracket {
            return Err(syn::Error::new_spanned(
                &tree,
                format!(
                    "`{}` takes a list in brackets: {}",
                    self.name(),
                    shown(example)
                ),
            ));
        }
        let items = |input: ParseStream<'_>| {
            input.parse_terminated(
                |item| {
                    if item.peek(LitStr) {
                        return item.parse::<LitStr>();
                    }
                    let token: TokenTree = item.parse()?;
                    let text = tokens_text(TokenStream::from(token.clone()));
                    Err(syn::Error::new_spanned(
                        token,
                        format!("list items are strings: \"{}\"", text.trim_matches('"')),
                    ))
                },
                Token![,],
            )
        };
        Ok(items.parse2(group.stream())?.into_iter().collect())
    }

    /// Whether the value is a list in brackets: `key = [...]`.
    pub(crate) fn is_list(&self) -> bool {
        self.input.peek(Token![=]) && self.input.peek2(syn::token::Bracket)
    }

    /// `key = function("text")`, when the value is a call of `function`; `None` otherwise.
    pub(crate) fn call(&self, function: &str, example: &str) -> Option<syn::Result<LitStr>> {
        let fork = self.input.fork();
        let called = fork.parse::<Token![=]>().is_ok()
            && fork
                .call(Ident::parse_any)
                .is_ok_and(|ident| ident == function)
            && fork.peek(syn::token::Paren);
        if !called {
            return None;
        }
        let read = || -> syn::Result<LitStr> {
            self.input.parse::<Token![=]>()?;
            self.input.call(Ident::parse_any)?;
            let content;
            syn::parenthesized!(content in self.input);
            let shown = self.example(&format!("{function}({example:?})"));
            let lit: LitStr = content.parse().map_err(|_| {
                syn::Error::new(
                    content.span(),
                    format!("`{function}` takes a string literal: {shown}"),
                )
            })?;
            if !content.is_empty() {
                return Err(syn::Error::new(
                    content.span(),
                    format!("`{function}` takes one string: {shown}"),
                ));
            }
            Ok(lit)
        };
        let result = read();
        if result.is_err() {
            skip_to_comma(self.input);
        }
        Some(result)
    }

    /// `key(...)`: a group of keys, read into `each`.
    pub(crate) fn group(
        &self,
        group: &'static str,
        example: &str,
        errors: &mut Errors,
        each: &mut dyn FnMut(&Entry<'_>, &mut Errors) -> syn::Result<()>,
    ) -> syn::Result<()> {
        let inner = Place::Group(group);
        if !self.input.peek(syn::token::Paren) {
            skip_to_comma(self.input);
            return Err(self.error(format!(
                "`{}` takes a list of keys: {}",
                self.name(),
                self.place.show(&inner.show(example))
            )));
        }
        let content;
        syn::parenthesized!(content in self.input);
        parse_list(&content, inner, errors, each);
        Ok(())
    }

    /// The error for a key not among `accepted`, with the closest as a suggestion.
    pub(crate) fn unknown(&self, accepted: &[&str]) -> syn::Error {
        let written = tokens_text(self.written.clone()).replace(' ', "");
        let place = match self.place {
            Place::Attribute { .. } => String::new(),
            Place::Group(group) => format!(" in {group}(...)"),
        };
        let hint = match crate::suggest::closest(&self.name(), accepted) {
            Some(suggestion) => format!(", did you mean `{suggestion}`?"),
            None => format!("; expected one of {}", quoted_list(accepted)),
        };
        self.error(format!("unknown key `{written}`{place}{hint}"))
    }

    /// The key a misspelling most likely meant, if any.
    pub(crate) fn meant(&self, accepted: &[&'static str]) -> Option<&'static str> {
        crate::suggest::closest(&self.name(), accepted)
    }

    /// The span of the key.
    pub(crate) fn span(&self) -> Span {
        self.key.span()
    }
}

/// `"a", "b" or "c"`.
pub(crate) fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Tokens as the user wrote them, spaces only between words.
fn tokens_text(tokens: TokenStream) -> String {
    let mut text = String::new();
    let mut previous_was_word = false;
    for token in tokens {
        let is_word = matches!(token, TokenTree::Ident(_) | TokenTree::Literal(_));
        if is_word && previous_was_word {
            text.push(' ');
        }
        text.push_str(&token.to_string());
        previous_was_word = is_word;
    }
    text
}
