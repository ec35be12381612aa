//! A provider's response paths compiled into matches: for each object level of a
//! success body that leads to a mapped field, which keys (and array items) lead
//! where. The runtime follows them while it reads the body, so a key is matched
//! by code the compiler built for this provider, not looked up in a table.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Response;

/// The route functions and the `Routes` value naming them.
pub(super) fn expand(response: &Response, private: &TokenStream) -> (TokenStream, TokenStream) {
    Tree::of(response).expand(private)
}

/// The runtime's `Slot` of each token part, in the order the runtime reads them,
/// with the RFC 6749 name the part has when the provider declares no path.
fn token_parts(response: &Response) -> [(&'static str, Vec<String>); 7] {
    let path = |declared: &Option<Vec<String>>, standard: Option<&str>| {
        declared
            .clone()
            .or_else(|| standard.map(|name| vec![name.to_owned()]))
            .unwrap_or_default()
    };
    [
        (
            "AccessToken",
            path(&response.access_token, Some("access_token")),
        ),
        ("TokenType", path(&response.token_type, Some("token_type"))),
        ("ExpiresIn", path(&response.expires_in, Some("expires_in"))),
        (
            "RefreshToken",
            path(&response.refresh_token, Some("refresh_token")),
        ),
        ("Scope", path(&response.scope, Some("scope"))),
        ("ExpiresAt", path(&response.expires_at, None)),
        ("IssuedAt", path(&response.issued_at, None)),
    ]
}

/// Where a key leads, as the generated match says it.
#[derive(Clone, Copy)]
enum Edge {
    Take(&'static str),
    Check,
    Inside(usize),
}

/// The paths a success body is read by, merged into a tree of object levels; node 0 is the body.
struct Tree {
    nodes: Vec<Vec<(String, Edge)>>,
    /// The array items paths lead through: (node, index, route).
    items: Vec<(usize, usize, Edge)>,
}

impl Tree {
    fn of(response: &Response) -> Self {
        let mut tree = Self {
            nodes: vec![Vec::new()],
            items: Vec::new(),
        };
        for (slot, path) in token_parts(response) {
            tree.insert(&path, Edge::Take(slot));
        }
        if let Some(success) = &response.success {
            tree.insert(&success.field, Edge::Check);
        }
        tree.index_items();
        tree
    }

    /// Adds a path. A field is read once, so where paths meet, a token part wins over
    /// the success field and over parts inside it, and the first part keeps the field.
    fn insert(&mut self, path: &[String], leaf: Edge) {
        let Some((last, parents)) = path.split_last() else {
            return;
        };
        let mut node = 0;
        for segment in parents {
            node = match self.edge(node, segment) {
                Some(Edge::Inside(child)) => child,
                Some(_) => return,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(Vec::new());
                    self.push(node, segment, Edge::Inside(child));
                    child
                }
            };
        }
        match self.edge(node, last) {
            None => self.push(node, last, leaf),
            // A token part read whole wins over one read inside it.
            Some(Edge::Inside(_)) if matches!(leaf, Edge::Take(_)) => {
                if let Some(children) = self.nodes.get_mut(node) {
                    for (segment, edge) in children {
                        if segment == last {
                            *edge = leaf;
                        }
                    }
                }
            }
            Some(_) => {}
        }
    }

    fn edge(&self, node: usize, segment: &str) -> Option<Edge> {
        self.nodes
            .get(node)?
            .iter()
            .find_map(|(name, edge)| (name == segment).then_some(*edge))
    }

    fn push(&mut self, node: usize, segment: &str, edge: Edge) {
        if let Some(children) = self.nodes.get_mut(node) {
            children.push((segment.to_owned(), edge));
        }
    }

    /// The route functions and the `Routes` value naming them.
    fn expand(&self, private: &TokenStream) -> (TokenStream, TokenStream) {
        let route = |edge: Edge| match edge {
            Edge::Take(slot) => {
                let slot = format_ident!("{slot}");
                quote!(#private::Route::Take(#private::Slot::#slot))
            }
            Edge::Check => quote!(#private::Route::Check),
            // A container with no token part inside is kept whole; the others are rewritten without theirs.
            Edge::Inside(child) if self.takes(child) => {
                let child = node_literal(child);
                quote!(#private::Route::Inside(#child))
            }
            Edge::Inside(child) => {
                let child = node_literal(child);
                quote!(#private::Route::Peek(#child))
            }
        };
        let levels = self.nodes.iter().enumerate().map(|(node, children)| {
            let node = node_literal(node);
            let arms = children.iter().map(|(segment, edge)| {
                let edge = route(*edge);
                quote!(#segment => #edge,)
            });
            quote!(#node => match __key { #(#arms)* _ => #private::Route::Keep },)
        });
        let mut functions = quote! {
            fn __key(__node: u16, __key: &str) -> #private::Route {
                match __node {
                    #(#levels)*
                    _ => #private::Route::Keep,
                }
            }
        };
        if self.items.is_empty() {
            return (functions, quote!(#private::Routes::keys(__key)));
        }
        let arms = self.items.iter().map(|&(node, index, edge)| {
            let node = node_literal(node);
            let edge = route(edge);
            quote!((#node, #index) => #edge,)
        });
        functions.extend(quote! {
            fn __index(__node: u16, __index: usize) -> #private::Route {
                match (__node, __index) {
                    #(#arms)*
                    _ => #private::Route::Keep,
                }
            }
        });
        (
            functions,
            quote!(#private::Routes { key: __key, index: __index }),
        )
    }

    /// Whether a token part lies at or below `node`.
    fn takes(&self, node: usize) -> bool {
        self.nodes.get(node).is_some_and(|children| {
            children.iter().any(|(_, edge)| match edge {
                Edge::Take(_) => true,
                Edge::Check => false,
                Edge::Inside(child) => self.takes(*child),
            })
        })
    }

    /// Routes array items: a segment of digits indexes an array below the body.
    /// `1` and `01` are two keys of an object but one item of an array, so the
    /// paths under both are merged for the item.
    fn index_items(&mut self) {
        let mut node = 1;
        while node < self.nodes.len() {
            let children = self.nodes.get(node).cloned().unwrap_or_default();
            for (segment, edge) in children {
                let Some(index) = segment
                    .bytes()
                    .all(|byte| byte.is_ascii_digit())
                    .then(|| segment.parse::<usize>().ok())
                    .flatten()
                else {
                    continue;
                };
                let known = self
                    .items
                    .iter()
                    .position(|item| (item.0, item.1) == (node, index));
                match known.and_then(|at| self.items.get(at).map(|item| (at, item.2))) {
                    Some((at, first)) => {
                        let merged = self.merge(first, edge);
                        if let Some(item) = self.items.get_mut(at) {
                            item.2 = merged;
                        }
                    }
                    None => self.items.push((node, index, edge)),
                }
            }
            node += 1;
        }
    }

    /// One route for two that lead to the same place, by the rule of [`Tree::insert`].
    fn merge(&mut self, first: Edge, second: Edge) -> Edge {
        match (first, second) {
            (Edge::Inside(first), Edge::Inside(second)) => {
                let merged = self.nodes.len();
                let children = self.nodes.get(first).cloned().unwrap_or_default();
                self.nodes.push(children);
                for (segment, edge) in self.nodes.get(second).cloned().unwrap_or_default() {
                    let edge = match self.edge(merged, &segment) {
                        Some(existing) => self.merge(existing, edge),
                        None => edge,
                    };
                    if let Some(children) = self.nodes.get_mut(merged) {
                        match children.iter_mut().find(|(name, _)| *name == segment) {
                            Some(child) => child.1 = edge,
                            None => children.push((segment, edge)),
                        }
                    }
                }
                Edge::Inside(merged)
            }
            (Edge::Take(slot), _) | (_, Edge::Take(slot)) => Edge::Take(slot),
            (Edge::Inside(node), _) | (_, Edge::Inside(node)) => Edge::Inside(node),
            (Edge::Check, Edge::Check) => Edge::Check,
        }
    }
}

/// A node number as the runtime's `u16`; a provider has a handful of paths, far from the bound.
fn node_literal(node: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(u16::try_from(node).unwrap_or(u16::MAX))
}
