//! Schema fidelity check: validates JSON values against the vendor reference
//! specs (MoeGo Swagger 2.0 definitions and the MOGU OpenAPI 3.0.3 document).
//!
//! The vendor schemas are converted to a strict JSON Schema (draft 2020-12):
//!
//! * every object schema that lists `properties` (and, for the protobuf
//!   based MoeGo definitions, every `type: object` message) is closed with
//!   `additionalProperties: false` unless the spec says otherwise;
//! * `allOf` object compositions are merged first, so closing them does not
//!   reject the fields of the other members;
//! * `nullable: true` / `x-nullable: true` allow `null` (also added to `enum`);
//! * protobuf wire encodings are enforced: `string`+`int64`/`uint64` must be
//!   canonical decimal strings, `integer`+`int32`/`uint32` must be in range,
//!   `string`+`byte` must be padded base64;
//! * `format` is asserted (`date-time`, `uri`, `uuid`, ...) and an unknown
//!   format makes the schema fail to compile instead of being ignored;
//! * annotations (`title`, `description`, `example(s)`, `default`,
//!   `readOnly`, `discriminator`, `x-*`, ...) are dropped; any other keyword
//!   the converter does not know makes the conversion panic, so nothing is
//!   silently loosened.
//!
//! The reference directory is `$MOAPI_REFERENCE_DIR` or
//! `<workspace>/../shared/reference`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde_json::{json, Map, Value};

/// Directory holding `moego/` and `mogu/` reference specs.
pub fn reference_dir() -> PathBuf {
    match std::env::var_os("MOAPI_REFERENCE_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference"
        )),
    }
}

const MOEGO_SUBDIR: &str = "moego/openapi/moego/business";
const MOGU_FILE: &str = "mogu/openapi.yaml";
const SWAGGER_PREFIX: &str = "#/definitions/";
const OAS_PREFIX: &str = "#/components/schemas/";

/// Canonical protojson int64 (no leading zeros, no "-0", at most 19 digits).
const INT64_PATTERN: &str = "^(0|-?[1-9][0-9]{0,18})$";
/// Canonical protojson uint64 (no sign, no leading zeros, at most 20 digits).
const UINT64_PATTERN: &str = "^(0|[1-9][0-9]{0,19})$";
/// Standard, padded base64 (what protojson emits for `bytes`).
const BASE64_PATTERN: &str = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";

/// Keywords that only annotate and are dropped by the conversion.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "discriminator",
    "externalDocs",
    "xml",
    "deprecated",
    "$comment",
];

/// Validates `value` against MoeGo definition `definition` of `swagger`
/// (relative to `moego/openapi/moego/business/`) and panics listing every
/// violation.
#[track_caller]
pub fn assert_moego(swagger: &str, definition: &str, value: &Value) {
    let violations = moego_violations(swagger, definition, value);
    if !violations.is_empty() {
        panic!(
            "{}",
            report(
                &format!("MoeGo {swagger}{SWAGGER_PREFIX}{definition}"),
                &violations,
                value
            )
        );
    }
}

/// Validates `value` against MOGU `components/schemas/<schema>` and panics
/// listing every violation.
#[track_caller]
pub fn assert_mogu(schema: &str, value: &Value) {
    let violations = mogu_violations(schema, value);
    if !violations.is_empty() {
        panic!(
            "{}",
            report(
                &format!("MOGU openapi.yaml{OAS_PREFIX}{schema}"),
                &violations,
                value
            )
        );
    }
}

/// Every violation of `value` against a MoeGo definition (`<instance path>: <reason>`).
/// Panics if the spec file or definition cannot be loaded or converted.
pub fn moego_violations(swagger: &str, definition: &str, value: &Value) -> Vec<String> {
    let validator = validator(Dialect::Swagger2, swagger, definition);
    collect(&validator, value)
}

/// Every violation of `value` against a MOGU schema (`<instance path>: <reason>`).
/// Panics if the spec file or schema cannot be loaded or converted.
pub fn mogu_violations(schema: &str, value: &Value) -> Vec<String> {
    let validator = validator(Dialect::Oas30, MOGU_FILE, schema);
    collect(&validator, value)
}

/// Names of all definitions of a MoeGo swagger file (for exhaustive tests).
pub fn moego_definition_names(swagger: &str) -> Vec<String> {
    converted_doc(Dialect::Swagger2, swagger)
        .keys()
        .cloned()
        .collect()
}

/// Names of all MOGU component schemas (for exhaustive tests).
pub fn mogu_schema_names() -> Vec<String> {
    converted_doc(Dialect::Oas30, MOGU_FILE)
        .keys()
        .cloned()
        .collect()
}

/// The raw (unconverted) MOGU OpenAPI document, e.g. to pull examples from it.
pub fn mogu_document() -> Value {
    load_file(Dialect::Oas30, MOGU_FILE)
}

fn report(what: &str, violations: &[String], value: &Value) -> String {
    let mut msg = format!(
        "schema fidelity check failed against {what}: {} violation(s)\n",
        violations.len()
    );
    for v in violations {
        msg.push_str("  - ");
        msg.push_str(v);
        msg.push('\n');
    }
    msg.push_str("value:\n");
    msg.push_str(&serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
    msg
}

fn collect(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|err| {
            let path = err.instance_path.as_str();
            let path = if path.is_empty() { "(root)" } else { path };
            format!("{path}: {err} [schema {}]", err.schema_path)
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Dialect {
    Swagger2,
    Oas30,
}

impl Dialect {
    fn prefix(self) -> &'static str {
        match self {
            Dialect::Swagger2 => SWAGGER_PREFIX,
            Dialect::Oas30 => OAS_PREFIX,
        }
    }

    fn path(self, file: &str) -> PathBuf {
        match self {
            Dialect::Swagger2 => reference_dir().join(MOEGO_SUBDIR).join(file),
            Dialect::Oas30 => reference_dir().join(file),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

type DocCache = HashMap<(Dialect, String), Arc<Map<String, Value>>>;
type ValidatorCache = HashMap<(Dialect, String, String), Arc<jsonschema::Validator>>;

static DOCS: OnceLock<Mutex<DocCache>> = OnceLock::new();
static VALIDATORS: OnceLock<Mutex<ValidatorCache>> = OnceLock::new();

fn load_file(dialect: Dialect, file: &str) -> Value {
    let path = dialect.path(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fidelity: cannot read {}: {e}", path.display()));
    match dialect {
        Dialect::Swagger2 => serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("fidelity: {} is not JSON: {e}", path.display())),
        Dialect::Oas30 => serde_yaml_ng::from_str(&text)
            .unwrap_or_else(|e| panic!("fidelity: {} is not YAML: {e}", path.display())),
    }
}

/// Converted schemas of one spec file, keyed by definition name.
fn converted_doc(dialect: Dialect, file: &str) -> Arc<Map<String, Value>> {
    let docs = DOCS.get_or_init(Default::default);
    if let Some(doc) = lock(docs).get(&(dialect, file.to_owned())) {
        return doc.clone();
    }
    let raw = load_file(dialect, file);
    let defs = match dialect {
        Dialect::Swagger2 => raw.get("definitions"),
        Dialect::Oas30 => raw.pointer("/components/schemas"),
    }
    .and_then(Value::as_object)
    .unwrap_or_else(|| panic!("fidelity: {file} has no schema definitions"));
    let conv = Converter { dialect, defs };
    let mut out = Map::new();
    for (name, schema) in defs {
        let converted = conv
            .convert(schema, &format!("{}{name}", dialect.prefix()))
            .unwrap_or_else(|e| panic!("fidelity: cannot convert {file}: {e}"));
        out.insert(name.clone(), converted);
    }
    let out = Arc::new(out);
    lock(docs).insert((dialect, file.to_owned()), out.clone());
    out
}

fn validator(dialect: Dialect, file: &str, name: &str) -> Arc<jsonschema::Validator> {
    let key = (dialect, file.to_owned(), name.to_owned());
    let cache = VALIDATORS.get_or_init(Default::default);
    if let Some(v) = lock(cache).get(&key) {
        return v.clone();
    }
    let defs = converted_doc(dialect, file);
    if !defs.contains_key(name) {
        let mut known: Vec<&String> = defs.keys().collect();
        known.sort();
        panic!("fidelity: {file} has no schema named {name:?}; known: {known:?}");
    }
    let root = match dialect {
        Dialect::Swagger2 => json!({
            "$ref": format!("{SWAGGER_PREFIX}{name}"),
            "definitions": Value::Object((*defs).clone()),
        }),
        Dialect::Oas30 => json!({
            "$ref": format!("{OAS_PREFIX}{name}"),
            "components": { "schemas": Value::Object((*defs).clone()) },
        }),
    };
    let compiled = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .build(&root)
        .unwrap_or_else(|e| panic!("fidelity: cannot compile {file} {name}: {e}"));
    let compiled = Arc::new(compiled);
    lock(cache).insert(key, compiled.clone());
    compiled
}

struct Converter<'a> {
    dialect: Dialect,
    defs: &'a Map<String, Value>,
}

impl Converter<'_> {
    fn is_nullable(&self, m: &Map<String, Value>) -> bool {
        let key = match self.dialect {
            Dialect::Swagger2 => "x-nullable",
            Dialect::Oas30 => "nullable",
        };
        m.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    /// Resolves a local `$ref` to the raw definition (following ref chains).
    fn resolve<'s>(&'s self, reference: &str, at: &str) -> Result<&'s Value, String> {
        let mut reference = reference.to_owned();
        for _ in 0..32 {
            let name = reference
                .strip_prefix(self.dialect.prefix())
                .ok_or_else(|| format!("{at}: unsupported $ref {reference:?}"))?;
            let target = self
                .defs
                .get(name)
                .ok_or_else(|| format!("{at}: dangling $ref {reference:?}"))?;
            match target.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next.to_owned(),
                None => return Ok(target),
            }
        }
        Err(format!("{at}: $ref cycle at {reference:?}"))
    }

    fn convert(&self, schema: &Value, at: &str) -> Result<Value, String> {
        let m = match schema {
            Value::Bool(b) => return Ok(Value::Bool(*b)),
            Value::Object(m) => m,
            other => return Err(format!("{at}: schema is not an object: {other}")),
        };
        let nullable = self.is_nullable(m);
        let mut out = Map::new();

        if let Some(reference) = m.get("$ref") {
            // Swagger 2.0 / OAS 3.0: siblings of $ref are ignored.
            let r = reference
                .as_str()
                .ok_or_else(|| format!("{at}: $ref is not a string"))?;
            self.resolve(r, at)?;
            out.insert("$ref".into(), Value::String(r.to_owned()));
            return Ok(finish_nullable(out, nullable));
        }

        if m.contains_key("allOf") {
            if let Some(merged) = self.merge_all_of(m, at, 0)? {
                return self.convert(&Value::Object(merged), at);
            }
        }

        for (key, val) in m {
            let here = format!("{at}/{key}");
            match key.as_str() {
                "type" | "required" | "enum" | "pattern" | "minLength" | "maxLength"
                | "minItems" | "maxItems" | "uniqueItems" | "minProperties" | "maxProperties"
                | "multipleOf" | "minimum" | "maximum" => {
                    out.insert(key.clone(), val.clone());
                }
                "exclusiveMinimum" | "exclusiveMaximum" => match val {
                    // Swagger 2.0 / OAS 3.0: boolean modifier of minimum/maximum.
                    Value::Bool(_) => {}
                    _ => {
                        out.insert(key.clone(), val.clone());
                    }
                },
                "format" => {}
                "properties" => {
                    let props = val
                        .as_object()
                        .ok_or_else(|| format!("{here}: not an object"))?;
                    let mut conv = Map::new();
                    for (name, sub) in props {
                        conv.insert(name.clone(), self.convert(sub, &format!("{here}/{name}"))?);
                    }
                    out.insert(key.clone(), Value::Object(conv));
                }
                "items" | "additionalProperties" | "not" => {
                    out.insert(key.clone(), self.convert(val, &here)?);
                }
                "allOf" | "oneOf" | "anyOf" => {
                    let list = val
                        .as_array()
                        .ok_or_else(|| format!("{here}: not an array"))?;
                    let conv = list
                        .iter()
                        .enumerate()
                        .map(|(i, sub)| self.convert(sub, &format!("{here}/{i}")))
                        .collect::<Result<Vec<_>, _>>()?;
                    out.insert(key.clone(), Value::Array(conv));
                }
                "nullable" | "x-nullable" => {}
                k if k.starts_with("x-") || ANNOTATIONS.contains(&k) => {}
                k => return Err(format!("{at}: unsupported schema keyword {k:?}")),
            }
        }

        // Boolean exclusive bounds (Swagger 2.0 / OAS 3.0) -> numeric form.
        for (flag, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if m.get(flag).and_then(Value::as_bool) == Some(true) {
                let b = out
                    .remove(bound)
                    .ok_or_else(|| format!("{at}: {flag} without {bound}"))?;
                out.insert(flag.into(), b);
            }
        }

        if let Some(format) = m.get("format") {
            let format = format
                .as_str()
                .ok_or_else(|| format!("{at}: format is not a string"))?;
            self.apply_format(&mut out, m.get("type").and_then(Value::as_str), format, at)?;
        }

        let is_object_type = match out.get("type") {
            Some(Value::String(t)) => t == "object",
            _ => false,
        };
        if !out.contains_key("additionalProperties")
            && (out.contains_key("properties")
                // Protobuf messages are closed even without fields (`{}`).
                || (self.dialect == Dialect::Swagger2 && is_object_type))
        {
            // An explicit (possibly empty) `properties` makes jsonschema name
            // the unexpected keys in its error message.
            out.entry("properties").or_insert_with(|| json!({}));
            out.insert("additionalProperties".into(), Value::Bool(false));
        }

        Ok(finish_nullable(out, nullable))
    }

    fn apply_format(
        &self,
        out: &mut Map<String, Value>,
        ty: Option<&str>,
        format: &str,
        at: &str,
    ) -> Result<(), String> {
        let mut set_pattern = |pattern: &str| -> Result<(), String> {
            if out.contains_key("pattern") {
                return Err(format!("{at}: both pattern and format {format:?}"));
            }
            out.insert("pattern".into(), Value::String(pattern.into()));
            Ok(())
        };
        match (ty, format) {
            (Some("string"), "int64") => set_pattern(INT64_PATTERN)?,
            (Some("string"), "uint64") => set_pattern(UINT64_PATTERN)?,
            (Some("string"), "byte") => set_pattern(BASE64_PATTERN)?,
            (Some("integer"), "int32") => {
                out.entry("minimum").or_insert(json!(i32::MIN));
                out.entry("maximum").or_insert(json!(i32::MAX));
            }
            (Some("integer"), "uint32") => {
                out.entry("minimum").or_insert(json!(0));
                out.entry("maximum").or_insert(json!(u32::MAX));
            }
            (Some("integer"), "uint64") => {
                out.entry("minimum").or_insert(json!(0));
            }
            (Some("integer"), "int64") | (Some("number"), "double" | "float") => {}
            (_, other) => {
                // Asserted by jsonschema (unknown formats fail compilation).
                out.insert("format".into(), Value::String(other.into()));
            }
        }
        Ok(())
    }

    /// Merges an `allOf` of object schemas (plus the parent's own
    /// properties) into a single object schema. Returns `None` when a member
    /// is not a plain object schema, in which case `allOf` is kept as is.
    fn merge_all_of(
        &self,
        m: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Result<Option<Map<String, Value>>, String> {
        if depth > 16 {
            return Err(format!("{at}: allOf nesting too deep"));
        }
        let members = m
            .get("allOf")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{at}/allOf: not an array"))?;

        let mut parent = m.clone();
        parent.remove("allOf");
        let mut parts: Vec<Map<String, Value>> = vec![parent];
        for (i, member) in members.iter().enumerate() {
            let here = format!("{at}/allOf/{i}");
            let mut member = member
                .as_object()
                .ok_or_else(|| format!("{here}: not an object"))?;
            if let Some(r) = member.get("$ref").and_then(Value::as_str) {
                member = self
                    .resolve(r, &here)?
                    .as_object()
                    .ok_or_else(|| format!("{here}: $ref target is not an object"))?;
            }
            if member.contains_key("allOf") {
                match self.merge_all_of(member, &here, depth + 1)? {
                    Some(merged) => parts.push(merged),
                    None => return Ok(None),
                }
            } else {
                parts.push(member.clone());
            }
        }

        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut additional: Option<Value> = None;
        let mut nullable = false;
        for (i, part) in parts.iter().enumerate() {
            for (key, val) in part {
                match key.as_str() {
                    "type" if val == "object" => {}
                    "properties" => {
                        let props = val
                            .as_object()
                            .ok_or_else(|| format!("{at}: properties is not an object"))?;
                        for (name, sub) in props {
                            match properties.get_mut(name) {
                                Some(existing) if *existing != *sub => {
                                    *existing = json!({ "allOf": [existing.clone(), sub.clone()] });
                                }
                                Some(_) => {}
                                None => {
                                    properties.insert(name.clone(), sub.clone());
                                }
                            }
                        }
                    }
                    "required" => {
                        for r in val
                            .as_array()
                            .ok_or_else(|| format!("{at}: required is not an array"))?
                        {
                            if !required.contains(r) {
                                required.push(r.clone());
                            }
                        }
                    }
                    "additionalProperties" => match &additional {
                        Some(existing) if existing != val => {
                            return Err(format!(
                                "{at}: allOf members disagree on additionalProperties"
                            ));
                        }
                        _ => additional = Some(val.clone()),
                    },
                    // Only the parent's own nullability counts.
                    "nullable" | "x-nullable" if i == 0 => nullable = val == true,
                    k if k.starts_with("x-") || ANNOTATIONS.contains(&k) => {}
                    // Anything else (oneOf, enum, a non-object type, ...) is
                    // not mergeable.
                    _ => return Ok(None),
                }
            }
        }

        let mut merged = Map::new();
        merged.insert("type".into(), "object".into());
        merged.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            merged.insert("required".into(), Value::Array(required));
        }
        if let Some(additional) = additional {
            merged.insert("additionalProperties".into(), additional);
        }
        if nullable {
            let key = match self.dialect {
                Dialect::Swagger2 => "x-nullable",
                Dialect::Oas30 => "nullable",
            };
            merged.insert(key.into(), Value::Bool(true));
        }
        Ok(Some(merged))
    }
}

/// Makes a converted schema also accept `null`.
fn finish_nullable(mut out: Map<String, Value>, nullable: bool) -> Value {
    if !nullable {
        return Value::Object(out);
    }
    let simple = !["$ref", "allOf", "oneOf", "anyOf", "not"]
        .iter()
        .any(|k| out.contains_key(*k));
    match out.get("type").cloned() {
        Some(Value::String(t)) if simple => {
            out.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        _ => json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
    }
}
