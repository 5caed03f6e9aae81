//! The `#[event(...)]` and `#[plan(...)]` attributes, each parsed once into typed settings.
//!
//! Values are checked here, where their tokens are (a blank name, version 0, an unknown key);
//! what needs the whole input (a missing name, the shape of the type) is checked in `check.rs`.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token};

use crate::ctxt::Ctxt;

/// The keys of `#[event(...)]` on an event struct.
pub const EVENT_KEYS: &[&str] = &["name", "version", "owner", "deprecated", "label"];
/// The keys of `#[plan(...)]` on a tracking-plan enum.
pub const PLAN_KEYS: &[&str] = &["name", "version", "description"];
/// The keys of `#[plan(...)]` on a variant of a tracking-plan enum.
pub const VARIANT_KEYS: &[&str] = &["identify", "group"];

/// The settings of an event struct: `#[event(...)]` and its doc comment.
pub struct Event {
    /// `name = "Course Enrolled"`: the event name (required).
    pub name: Option<String>,
    /// `version = 2`: the plan version the type follows; 1 when not given.
    pub version: u32,
    /// `owner = "growth"`.
    pub owner: Option<String>,
    /// `deprecated = "2024-05-01"`: when this version was deprecated.
    pub deprecated: Option<String>,
    /// `label(team = "growth", tier = "gold")`, in order.
    pub labels: Vec<(String, String)>,
    /// The doc comment's lines (string literals or macro calls such as `include_str!`).
    pub docs: Vec<TokenStream>,
}

impl Event {
    /// Reads the `#[event(...)]` attributes and doc comment of an event struct.
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut event = Event { name: None, version: 1, owner: None, deprecated: None, labels: Vec::new(), docs: docs(attrs) };
        let mut seen = Seen::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("event")) {
            parse(cx, attr, |meta| {
                let key = key_of(&meta.path);
                if !EVENT_KEYS.contains(&key.as_str()) {
                    return unknown_key(cx, &meta, "event", EVENT_KEYS);
                }
                if key != "label" && !seen.first(cx, &meta, "event") {
                    return skip_value(&meta);
                }
                match key.as_str() {
                    "name" => {
                        let name = string(&meta, "name = \"Course Enrolled\"")?;
                        if name.value().trim().is_empty() {
                            cx.error_spanned_by(&name, "the event name must not be empty or blank: destinations route and report by it");
                        }
                        event.name = Some(name.value());
                    }
                    "version" => {
                        if let Some(version) = version(cx, &meta)? {
                            event.version = version;
                        }
                    }
                    "owner" => event.owner = Some(string(&meta, "owner = \"growth\"")?.value()),
                    "deprecated" => event.deprecated = Some(string(&meta, "deprecated = \"2024-05-01\"")?.value()),
                    _ => labels(cx, &meta, &mut event.labels)?,
                }
                Ok(())
            });
        }
        event
    }
}

/// The settings of a tracking-plan enum: `#[plan(...)]` and its doc comment.
pub struct Plan {
    /// `name = "Courses app"`: the plan's name (required).
    pub name: Option<String>,
    /// `version = "1.0.0"`: the plan's own version.
    pub version: Option<String>,
    /// `description = "..."`: what the plan covers (the doc comment when not given).
    pub description: Option<String>,
    /// The doc comment's lines (string literals or macro calls such as `include_str!`).
    pub docs: Vec<TokenStream>,
}

impl Plan {
    /// Reads the `#[plan(...)]` attributes and doc comment of a tracking-plan enum.
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut plan = Plan { name: None, version: None, description: None, docs: docs(attrs) };
        let mut seen = Seen::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("plan")) {
            parse(cx, attr, |meta| {
                let key = key_of(&meta.path);
                if !PLAN_KEYS.contains(&key.as_str()) {
                    return unknown_key(cx, &meta, "plan", PLAN_KEYS);
                }
                if !seen.first(cx, &meta, "plan") {
                    return skip_value(&meta);
                }
                match key.as_str() {
                    "name" => {
                        let name = string(&meta, "name = \"Courses app\"")?;
                        if name.value().trim().is_empty() {
                            cx.error_spanned_by(&name, "the plan name must not be empty or blank");
                        }
                        plan.name = Some(name.value());
                    }
                    "version" => plan.version = Some(string(&meta, "version = \"1.0.0\"")?.value()),
                    _ => plan.description = Some(string(&meta, "description = \"...\"")?.value()),
                }
                Ok(())
            });
        }
        plan
    }
}

/// What a variant of a tracking-plan enum holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    /// A track event (a type that implements `cdpspec::Event`); variants without attributes.
    Event,
    /// `#[plan(identify)]`: the identify call's traits.
    Identify,
    /// `#[plan(group)]`: the group call's traits.
    Group,
}

/// The settings of a variant of a tracking-plan enum.
pub struct Variant {
    /// What the variant holds.
    pub role: Role,
    /// The `identify` or `group` key, for errors about it.
    pub role_tokens: Option<TokenStream>,
}

impl Variant {
    /// Reads the `#[plan(...)]` attributes of a variant.
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut variant = Variant { role: Role::Event, role_tokens: None };
        for attr in attrs.iter().filter(|a| a.path().is_ident("plan")) {
            parse(cx, attr, |meta| {
                let role = match key_of(&meta.path).as_str() {
                    "identify" => Role::Identify,
                    "group" => Role::Group,
                    _ => return unknown_key(cx, &meta, "plan", VARIANT_KEYS),
                };
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    cx.error_spanned_by(&meta.path, format!("`{}` takes no value: write #[plan({0})]", key_of(&meta.path)));
                    skip_value(&meta)?;
                }
                if variant.role_tokens.is_some() {
                    cx.error_spanned_by(&meta.path, "a variant holds one thing: mark it either #[plan(identify)] or #[plan(group)]");
                } else {
                    variant.role = role;
                    variant.role_tokens = Some(meta.path.to_token_stream());
                }
                Ok(())
            });
        }
        variant
    }
}

/// Whether serde never serializes a field (`#[serde(skip)]`, `#[serde(skip_serializing)]`).
pub fn serde_skips_serializing(attrs: &[Attribute]) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("serde")).any(|attr| {
        let Meta::List(list) = &attr.meta else { return false };
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        tokens.iter().enumerate().any(|(i, t)| {
            let is_skip = matches!(t, TokenTree::Ident(id) if id == "skip" || id == "skip_serializing");
            let standalone = match tokens.get(i + 1) {
                None => true,
                Some(TokenTree::Punct(p)) => p.as_char() == ',',
                Some(_) => false,
            };
            let first = i == 0 || matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ',');
            is_skip && standalone && first
        })
    })
}

/// The doc comment's lines (`#[doc = "..."]` values), each without its one leading space, as
/// schemars reads them.
fn docs(attrs: &[Attribute]) -> Vec<TokenStream> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let Meta::NameValue(nv) = &attr.meta else { continue };
        match &nv.value {
            Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => {
                let value = s.value();
                let line = value.strip_prefix(' ').unwrap_or(&value);
                lines.push(LitStr::new(line, s.span()).to_token_stream());
            }
            other => lines.push(other.to_token_stream()),
        }
    }
    lines
}

/// Runs `logic` on every `key` or `key = value` of `attr`, recording errors in `cx`.
fn parse(cx: &Ctxt, attr: &Attribute, logic: impl FnMut(ParseNestedMeta) -> syn::Result<()>) {
    if let Err(error) = attr.parse_nested_meta(logic) {
        cx.syn_error(error);
    }
}

/// The keys already given in one container's attributes.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    /// Whether this is the first time the key of `meta` is given; records an error otherwise.
    fn first(&mut self, cx: &Ctxt, meta: &ParseNestedMeta, attr: &str) -> bool {
        let key = key_of(&meta.path);
        if self.0.contains(&key) {
            cx.error_spanned_by(&meta.path, format!("duplicate `{key}` in #[{attr}(...)]"));
            false
        } else {
            self.0.push(key);
            true
        }
    }
}

/// A key as written (`name`, or a path such as `a::b`).
fn key_of(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// Records an unknown key, naming the valid ones, and skips its value.
fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta, attr: &str, valid: &[&str]) -> syn::Result<()> {
    let key = key_of(&meta.path);
    let list = valid.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let message = match closest(&key, valid) {
        Some(close) => format!("unknown key `{key}` in #[{attr}(...)]: did you mean `{close}`? The keys are {list}"),
        None => format!("unknown key `{key}` in #[{attr}(...)]: the keys are {list}"),
    };
    cx.error_spanned_by(&meta.path, message);
    skip_value(meta)
}

/// Consumes the `= value` or `(...)` after a key, so that the keys after it are read too.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<TokenTree>()?;
    }
    Ok(())
}

/// The string literal after `key =`; `example` shows the expected form.
fn string(meta: &ParseNestedMeta, example: &str) -> syn::Result<LitStr> {
    let key = key_of(&meta.path);
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{key}` needs a value, as in `{example}`")));
    }
    match meta.value()?.parse::<Lit>() {
        Ok(Lit::Str(s)) => Ok(s),
        Ok(other) => Err(syn::Error::new_spanned(other, format!("`{key}` is a string, as in `{example}`"))),
        Err(e) => Err(syn::Error::new(e.span(), format!("`{key}` is a string, as in `{example}`"))),
    }
}

/// The version after `version =`: a whole number from 1. `None` after an error.
fn version(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<u32>> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error("`version` needs a value, as in `version = 2`"));
    }
    let lit = match meta.value()?.parse::<Lit>() {
        Ok(Lit::Int(i)) => i,
        Ok(other) => return Err(syn::Error::new_spanned(other, "`version` is a whole number, as in `version = 2`")),
        Err(e) => return Err(syn::Error::new(e.span(), "`version` is a whole number, as in `version = 2`")),
    };
    match lit.base10_parse::<u32>() {
        Ok(0) => cx.error_spanned_by(&lit, "event versions start at 1: use `version = 1` (the default) for the first version"),
        Ok(v) if lit.suffix().is_empty() => return Ok(Some(v)),
        _ => cx.error_spanned_by(&lit, "`version` is a whole number from 1 to 4294967295, without a suffix"),
    }
    Ok(None)
}

/// The pairs of `label(key = "value", ...)`, appended to `labels`.
fn labels(cx: &Ctxt, meta: &ParseNestedMeta, labels: &mut Vec<(String, String)>) -> syn::Result<()> {
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, "labels are written `label(team = \"growth\")`");
        return skip_value(meta);
    }
    meta.parse_nested_meta(|inner| {
        let Some(key) = inner.path.get_ident().map(|i| i.to_string()) else {
            cx.error_spanned_by(&inner.path, "a label key is a plain name, as in `label(team = \"growth\")`");
            return skip_value(&inner);
        };
        let value = string(&inner, "label(team = \"growth\")")?;
        if labels.iter().any(|(k, _)| *k == key) {
            cx.error_spanned_by(&inner.path, format!("duplicate label `{key}`"));
        } else {
            labels.push((key, value.value()));
        }
        Ok(())
    })
}

/// The valid key closest to a mistyped one, if one is close (case-insensitive edit distance of
/// at most a third of its length, and at least 1).
fn closest<'a>(key: &str, valid: &[&'a str]) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
    let limit = (key.chars().count() / 3).max(1);
    valid.iter().map(|v| (edit_distance(&key, v), *v)).filter(|(d, _)| *d <= limit).min_by_key(|(d, _)| *d).map(|(_, v)| v)
}

/// Levenshtein distance, counting a swap of neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keys() {
        assert_eq!(closest("nmae", EVENT_KEYS), Some("name"));
        assert_eq!(closest("Version", EVENT_KEYS), Some("version"));
        assert_eq!(closest("labels", EVENT_KEYS), Some("label"));
        assert_eq!(closest("identfy", VARIANT_KEYS), Some("identify"));
        assert_eq!(closest("colour", EVENT_KEYS), None);
    }

    #[test]
    fn serde_skips() {
        let skips = |tokens: TokenStream| {
            let attr: Attribute = syn::parse_quote!(#[serde(#tokens)]);
            serde_skips_serializing(&[attr])
        };
        assert!(skips(quote::quote!(skip)));
        assert!(skips(quote::quote!(rename = "x", skip_serializing)));
        assert!(!skips(quote::quote!(skip_serializing_if = "Option::is_none")));
        assert!(!skips(quote::quote!(skip_deserializing)));
        assert!(!skips(quote::quote!(rename = "skip")));
    }
}
