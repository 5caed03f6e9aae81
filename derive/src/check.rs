//! Cross-checks of the model that no single attribute shows: the shape of the type, a missing
//! name, field types that cannot be event properties, duplicate roles in a plan.

use quote::quote;
use syn::{GenericArgument, GenericParam, PathArguments, Type};

use crate::ast::{Container, Data, Field, Style};
use crate::attr::{self, Role};
use crate::ctxt::Ctxt;

/// Checks an event struct.
pub fn event(cx: &Ctxt, cont: &Container<attr::Event, ()>) {
    let input = cont.original;
    let ident = cont.ident;
    match (&cont.data, &input.data) {
        (Data::Struct(Style::Named, fields), _) => {
            for field in fields {
                no_helper_attribute(cx, field, "event", "an event struct");
                if field.serialized {
                    property_type(cx, field.ty);
                }
            }
        }
        (Data::Struct(Style::Tuple, _), syn::Data::Struct(s)) => cx.error_spanned_by(
            &s.fields,
            "#[derive(Event)] needs named fields: the fields of a tuple struct have no names to send as properties",
        ),
        (Data::Struct(..), syn::Data::Struct(s)) => cx.error_spanned_by(
            {
                let struct_token = &s.struct_token;
                quote!(#struct_token #ident)
            },
            format!("#[derive(Event)] needs named fields: a unit struct serializes as `null`, not as properties; write `struct {ident} {{}}` for an event without properties"),
        ),
        (Data::Enum(_), syn::Data::Enum(e)) => {
            let enum_token = &e.enum_token;
            cx.error_spanned_by(
                quote!(#enum_token #ident),
                "#[derive(Event)] needs a struct with named fields: an event's properties are one JSON object; write one struct per event and list them in a #[derive(TrackingPlan)] enum",
            )
        }
        _ => cx.error_spanned_by(ident, "#[derive(Event)] needs a struct with named fields, not a union"),
    }
    not_generic(cx, cont, "an event type", "a plan holds one schema per event version", true);
    if cont.attrs.name.is_none() {
        let message = "missing event name: add #[event(name = \"...\")] with the name sent in the call's `event`, such as \"Course Enrolled\"";
        match input.attrs.iter().find(|a| a.path().is_ident("event")) {
            Some(attr) => cx.error_spanned_by(attr, message),
            None => cx.error_spanned_by(ident, message),
        }
    }
}

/// Checks a tracking-plan enum.
pub fn plan(cx: &Ctxt, cont: &Container<attr::Plan, attr::Variant>) {
    let input = cont.original;
    let ident = cont.ident;
    match &cont.data {
        Data::Enum(variants) => {
            let mut identify = false;
            let mut group = false;
            for variant in variants {
                if variant.style != Style::Tuple || variant.fields.len() != 1 {
                    let v = variant.ident;
                    cx.error_spanned_by(
                        variant.original,
                        format!("each variant of a tracking plan holds one type, as in `{v}(CourseEnrolled)`: an event struct, or the traits of #[plan(identify)] or #[plan(group)]"),
                    );
                }
                for field in &variant.fields {
                    no_helper_attribute(cx, field, "plan", "a variant");
                }
                let seen = match variant.attrs.role {
                    Role::Event => continue,
                    Role::Identify => &mut identify,
                    Role::Group => &mut group,
                };
                if *seen {
                    let key = variant.attrs.role_tokens.clone().unwrap_or_default();
                    cx.error_spanned_by(&key, format!("a tracking plan has one #[plan({key})] variant"));
                }
                *seen = true;
            }
        }
        _ => {
            let token = match &input.data {
                syn::Data::Struct(s) => {
                    let struct_token = &s.struct_token;
                    quote!(#struct_token #ident)
                }
                syn::Data::Union(u) => {
                    let union_token = &u.union_token;
                    quote!(#union_token #ident)
                }
                syn::Data::Enum(_) => quote!(#ident),
            };
            cx.error_spanned_by(
                token,
                "#[derive(TrackingPlan)] needs an enum whose variants list the plan's events and traits, as in `enum Courses { Enrolled(CourseEnrolled) }`",
            );
        }
    }
    not_generic(cx, cont, "a tracking plan", "a plan is one set of events", false);
    if cont.attrs.name.is_none() {
        let message = "missing plan name: add #[plan(name = \"...\")], such as \"Courses app\"";
        match input.attrs.iter().find(|a| a.path().is_ident("plan")) {
            Some(attr) => cx.error_spanned_by(attr, message),
            None => cx.error_spanned_by(ident, message),
        }
    }
}

/// Rejects type and const parameters, and lifetime parameters unless `lifetimes` are fine.
fn not_generic<A, V>(cx: &Ctxt, cont: &Container<A, V>, what: &str, why: &str, lifetimes: bool) {
    for param in &cont.generics.params {
        match param {
            GenericParam::Lifetime(_) if lifetimes => {}
            GenericParam::Lifetime(_) => cx.error_spanned_by(param, format!("{what} cannot have generic parameters: {why}")),
            _ if lifetimes => cx.error_spanned_by(param, format!("{what} cannot have type or const parameters: {why} (lifetime parameters are fine)")),
            _ => cx.error_spanned_by(param, format!("{what} cannot have generic parameters: {why}")),
        }
    }
}

/// Rejects the derive's own attribute on a field, where it means nothing.
fn no_helper_attribute(cx: &Ctxt, field: &Field, name: &str, owner: &str) {
    for attr in field.original.attrs.iter().filter(|a| a.path().is_ident(name)) {
        cx.error_spanned_by(attr, format!("#[{name}(...)] goes on {owner}, not on a field"));
    }
}

/// Rejects field types that have no place in a call's properties, anywhere in `ty` (also inside
/// `Vec<...>`, `Option<...>`, references and arrays):
///
/// - raw pointers and function pointers: they do not serialize;
/// - trait objects and `impl Trait`: a plan needs one concrete type per property;
/// - tuples: they serialize as JSON arrays whose items have no names;
/// - `()`: it always serializes as `null`;
/// - `!`: it has no values.
fn property_type(cx: &Ctxt, ty: &Type) {
    let problem = match ty {
        Type::Ptr(_) => "raw pointers cannot be event properties: they do not serialize; use an owned value",
        Type::FnPtr(_) => "function pointers cannot be event properties: they do not serialize",
        Type::TraitObject(_) | Type::ImplTrait(_) => {
            "trait objects cannot be event properties: a plan needs one concrete type per property; use a struct or an enum"
        }
        Type::Tuple(t) if t.elems.is_empty() => "`()` cannot be an event property: it always serializes as `null`",
        Type::Tuple(_) => "tuples cannot be event properties: they serialize as JSON arrays whose items have no names; use a struct with named fields",
        Type::Never(_) => "`!` cannot be an event property: it has no values",
        Type::Array(a) => return property_type(cx, &a.elem),
        Type::Slice(s) => return property_type(cx, &s.elem),
        Type::Reference(r) => return property_type(cx, &r.elem),
        Type::Paren(p) => return property_type(cx, &p.elem),
        Type::Group(g) => return property_type(cx, &g.elem),
        Type::Path(p) => {
            if let Some(qself) = &p.qself {
                property_type(cx, &qself.ty);
            }
            for segment in &p.path.segments {
                if let PathArguments::AngleBracketed(args) = &segment.arguments {
                    for arg in &args.args {
                        if let GenericArgument::Type(ty) = arg {
                            property_type(cx, ty);
                        }
                    }
                }
            }
            return;
        }
        _ => return,
    };
    cx.error_spanned_by(ty, problem);
}
