//! The derive input as a small model: a container (struct or enum) with its parsed attributes,
//! its variants and its fields. Built once; `check.rs` inspects it and the emitters read it.

use syn::{DeriveInput, Generics, Ident, Type};

use crate::attr;
use crate::ctxt::Ctxt;

/// A struct or enum given to a derive, with its attributes `A` and its variants' attributes `V`.
pub struct Container<'a, A, V> {
    /// The type's name.
    pub ident: &'a Ident,
    /// The type's generics.
    pub generics: &'a Generics,
    /// The type's settings from its attributes.
    pub attrs: A,
    /// Its fields or variants.
    pub data: Data<'a, V>,
    /// The input as written, for error spans.
    pub original: &'a DeriveInput,
}

/// The body of a container.
pub enum Data<'a, V> {
    /// A struct.
    Struct(Style, Vec<Field<'a>>),
    /// An enum.
    Enum(Vec<Variant<'a, V>>),
    /// A union.
    Union,
}

/// How a struct or variant holds its fields.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// `{ a: T }`.
    Named,
    /// `(T)`.
    Tuple,
    /// No fields at all.
    Unit,
}

/// A variant of an enum.
pub struct Variant<'a, V> {
    /// The variant's name.
    pub ident: &'a Ident,
    /// The variant's settings from its attributes.
    pub attrs: V,
    /// How it holds its fields.
    pub style: Style,
    /// Its fields.
    pub fields: Vec<Field<'a>>,
    /// The variant as written, for error spans.
    pub original: &'a syn::Variant,
}

/// A field of a struct or variant.
pub struct Field<'a> {
    /// The field's type.
    pub ty: &'a Type,
    /// Whether serde writes it (not `#[serde(skip)]` or `#[serde(skip_serializing)]`).
    pub serialized: bool,
    /// The field as written, for error spans.
    pub original: &'a syn::Field,
}

impl<'a, A, V> Container<'a, A, V> {
    /// Reads `input`, parsing the container's attributes with `container` and every variant's
    /// with `variant`; attribute errors go to `cx`.
    pub fn from_ast(
        cx: &Ctxt,
        input: &'a DeriveInput,
        container: impl FnOnce(&Ctxt, &[syn::Attribute]) -> A,
        mut variant: impl FnMut(&Ctxt, &[syn::Attribute]) -> V,
    ) -> Self {
        let attrs = container(cx, &input.attrs);
        let data = match &input.data {
            syn::Data::Struct(s) => {
                let (style, fields) = fields(&s.fields);
                Data::Struct(style, fields)
            }
            syn::Data::Enum(e) => Data::Enum(
                e.variants
                    .iter()
                    .map(|v| {
                        let (style, fields) = fields(&v.fields);
                        Variant { ident: &v.ident, attrs: variant(cx, &v.attrs), style, fields, original: v }
                    })
                    .collect(),
            ),
            syn::Data::Union(_) => Data::Union,
        };
        Container { ident: &input.ident, generics: &input.generics, attrs, data, original: input }
    }
}

/// The style and fields of a struct or variant.
fn fields(fields: &syn::Fields) -> (Style, Vec<Field<'_>>) {
    let style = match fields {
        syn::Fields::Named(_) => Style::Named,
        syn::Fields::Unnamed(_) => Style::Tuple,
        syn::Fields::Unit => Style::Unit,
    };
    let fields = fields.iter().map(|f| Field { ty: &f.ty, serialized: !attr::serde_skips_serializing(&f.attrs), original: f }).collect();
    (style, fields)
}
