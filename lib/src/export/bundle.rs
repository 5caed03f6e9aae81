//! Making one schema self-contained: every resource its `$ref`s reach (the canonical files, the
//! plan's rules and sections) is copied into the root's `$defs` under its name, without its own
//! `$id`/`$schema`, and every `$ref` becomes a local `#/...` pointer. A validator given the
//! output never needs another document.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::ExportError;
use super::uri::resolve;
use super::walk::walk_mut;
use crate::Pointer;

/// A schema document that others may reference: the canonical files, and what a plan adds.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    /// Its absolute URI (the `$id` of the written files).
    pub uri: String,
    /// Its key in the `$defs` of a file that embeds it (`track.schema.json`).
    pub name: String,
    /// The schema, with `$ref`s relative to `uri`.
    pub schema: Value,
}

/// The resources `$ref`s may reach, by URI.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    resources: Vec<Resource>,
    by_uri: BTreeMap<String, usize>,
}

impl Registry {
    /// Adds a resource; a later one with the same URI replaces it.
    pub(crate) fn add(&mut self, resource: Resource) {
        match self.by_uri.get(&resource.uri) {
            Some(&i) => self.resources[i] = resource,
            None => {
                self.by_uri.insert(resource.uri.clone(), self.resources.len());
                self.resources.push(resource);
            }
        }
    }

    /// The resource at `uri`.
    pub(crate) fn get(&self, uri: &str) -> Option<&Resource> {
        self.by_uri.get(uri).map(|&i| &self.resources[i])
    }

    /// Every resource, in the order added.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Resource> {
        self.resources.iter()
    }
}

/// `root` (whose URI is `uri`) made self-contained. With `include_all`, every resource of the
/// registry is embedded, referenced or not. `file` names the output in errors.
pub(crate) fn bundle(file: &str, uri: &str, root: &Value, registry: &Registry, include_all: bool) -> Result<Value, ExportError> {
    let mut bundler = Bundler { file, root_uri: uri, root, registry, queue: VecDeque::new(), queued: BTreeSet::new() };
    let mut out = root.clone();
    bundler.rewrite(&mut out, uri, &Pointer::root())?;
    if include_all {
        for resource in registry.iter() {
            bundler.enqueue(&resource.uri);
        }
    }
    let mut embedded = BTreeMap::new();
    while let Some(target) = bundler.queue.pop_front() {
        let resource = registry.get(&target).expect("only registered resources are queued");
        let mut schema = resource.schema.clone();
        if let Value::Object(map) = &mut schema {
            map.remove("$id");
            map.remove("$schema");
        }
        bundler.rewrite(&mut schema, &resource.uri, &Pointer::root().join("$defs").join(&resource.name))?;
        embedded.insert(resource.name.clone(), schema);
    }
    if embedded.is_empty() {
        return Ok(out);
    }
    let Value::Object(map) = &mut out else { unreachable!("a schema that holds `$ref`s is an object") };
    let defs = map.entry("$defs").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(defs) = defs else {
        return Err(ExportError::Unsupported { file: file.into(), pointer: String::new(), keyword: "$defs".into(), reason: "must be an object".into() });
    };
    for (name, schema) in embedded {
        if defs.contains_key(&name) {
            return Err(ExportError::Unsupported {
                file: file.into(),
                pointer: Pointer::root().join("$defs").join(&name).into(),
                keyword: "$defs".into(),
                reason: "the schema already has a definition with the name its embedded resources take".into(),
            });
        }
        defs.insert(name, schema);
    }
    Ok(out)
}

struct Bundler<'a> {
    file: &'a str,
    root_uri: &'a str,
    root: &'a Value,
    registry: &'a Registry,
    queue: VecDeque<String>,
    queued: BTreeSet<String>,
}

impl Bundler<'_> {
    fn enqueue(&mut self, uri: &str) {
        if uri != self.root_uri && self.queued.insert(uri.to_string()) {
            self.queue.push_back(uri.to_string());
        }
    }

    /// Rewrites every `$ref` of `schema` (a resource whose URI is `base`, placed at `location`
    /// in the output) to a pointer into the output.
    fn rewrite(&mut self, schema: &mut Value, base: &str, location: &Pointer) -> Result<(), ExportError> {
        walk_mut(schema, &mut |map: &mut Map<String, Value>, at: &Pointer| {
            let pointer = format!("{location}{at}");
            let unsupported = |keyword: &str, reason: &str| ExportError::Unsupported {
                file: self.file.into(),
                pointer: pointer.clone(),
                keyword: keyword.into(),
                reason: reason.into(),
            };
            if !at.is_root() && map.contains_key("$id") {
                return Err(unsupported(
                    "$id",
                    "embedded resources with their own `$id` cannot be bundled; move the schema into `$defs` and use a local `$ref`",
                ));
            }
            for keyword in ["$dynamicRef", "$recursiveRef"] {
                if map.contains_key(keyword) {
                    return Err(unsupported(keyword, "dynamic references cannot be made local; use `$ref`"));
                }
            }
            let Some(reference) = map.get("$ref") else { return Ok(()) };
            let Some(reference) = reference.as_str() else { return Err(unsupported("$ref", "must be a string")) };
            let local = self.local(reference, base).map_err(|reason| ExportError::Reference {
                file: self.file.into(),
                pointer: pointer.clone(),
                reference: reference.into(),
                reason,
            })?;
            map.insert("$ref".into(), Value::String(local));
            Ok(())
        })
    }

    /// The local pointer that replaces `reference`, queuing the resource it reaches.
    fn local(&mut self, reference: &str, base: &str) -> Result<String, String> {
        let (uri, fragment) = resolve(base, reference);
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err("anchors cannot be bundled; use a JSON Pointer fragment such as `#/$defs/name`".into());
        }
        let (target, prefix) = if uri == self.root_uri {
            (self.root, String::new())
        } else {
            let Some(resource) = self.registry.get(&uri) else {
                return Err(format!(
                    "<{uri}> is neither a canonical schema nor part of the plan, and exports never fetch; inline the schema or reference a canonical one"
                ));
            };
            (&resource.schema, Pointer::root().join("$defs").join(&resource.name).into())
        };
        // An anchor was refused above: `fragment` is empty or starts with `/`.
        if cdpspec_plan::pointer::tokens(&fragment).try_fold(target, |v, token| child(v, &token)).is_none() {
            return Err(format!("#{fragment} does not exist in <{uri}>"));
        }
        self.enqueue(&uri);
        Ok(format!("#{prefix}{fragment}"))
    }
}

/// The value under one reference token.
fn child<'v>(value: &'v Value, token: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}
