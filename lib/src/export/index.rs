//! Writing files: pretty JSON with a final newline, and `index.json`, the list of what an
//! export wrote.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::{ExportError, INDEX_FILE, Options, Written};

/// Writes `value` to `out/relative` (creating directories); returns the path written.
pub(crate) fn write_json(out: &Path, relative: &str, value: &Value) -> Result<PathBuf, ExportError> {
    let path = relative.split('/').fold(out.to_path_buf(), |p, part| p.join(part));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| ExportError::Io { path: parent.to_path_buf(), source })?;
    }
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    std::fs::write(&path, text).map_err(|source| ExportError::Io { path: path.clone(), source })?;
    Ok(path)
}

/// Writes `index.json`: the draft, the plan (name and version) if any, and every file written.
pub(crate) fn write(options: &Options, written: &[Written]) -> Result<(), ExportError> {
    let mut index = Map::new();
    index.insert("draft".into(), json!(options.draft.as_str()));
    if let Some(plan) = options.plan {
        index.insert("plan".into(), json!({"name": plan.name, "version": plan.version}));
    }
    let files: Vec<Value> =
        written.iter().map(|w| json!({"path": w.relative, "id": w.id, "title": w.title, "kind": w.kind.as_str(), "draft": w.draft.as_str()})).collect();
    index.insert("files".into(), Value::Array(files));
    write_json(options.out, INDEX_FILE, &Value::Object(index))?;
    Ok(())
}
