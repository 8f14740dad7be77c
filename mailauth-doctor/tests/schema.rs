//! The JSON report against its documented schema
//! (`schema/report.schema.json`, explained in `docs/doctor-json.md`):
//! every snapshot validates, the schema's token lists are the code's, and
//! the documentation names every finding code.

use std::path::{Path, PathBuf};

use mailauth_core::dns::RecordType;
use mailauth_doctor::bounce::{InputKind, Reason, Receiver, Stage};
use mailauth_doctor::{CheckKind, FINDING_CODES, Origin, SetupField, Verdict};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("schema/report.schema.json")).expect("schema");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Validates `value` against `schema` for the keywords the report's schema
/// uses (`$ref` into `$defs`, `type`, `enum`, `const`, `anyOf`,
/// `properties`, `required`, `additionalProperties: false`, `items`,
/// `minimum`); returns the first violation with its path.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/$defs/").expect("local $ref");
        return validate(root, &root["$defs"][name], value, path);
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        return if options
            .iter()
            .any(|o| validate(root, o, value, path).is_ok())
        {
            Ok(())
        } else {
            Err(format!("{path}: matches no alternative: {value}"))
        };
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        return Err(format!("{path}: {value} is not one of {allowed:?}"));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        return Err(format!("{path}: {value} is not {constant}"));
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type keyword"),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.contains(&actual) {
            return Err(format!("{path}: {actual} where {types:?} is expected"));
        }
    }
    if let (Some(minimum), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n < minimum
    {
        return Err(format!("{path}: {n} is below {minimum}"));
    }
    if let Value::Object(object) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().expect("name");
            if !object.contains_key(name) {
                return Err(format!("{path}: {name} is missing"));
            }
        }
        for (name, field) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => validate(root, sub, field, &format!("{path}.{name}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{path}: {name} is not in the schema"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(sub)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(root, sub, item, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

/// Every snapshot report (the demo cases, the bounces, the header
/// sections) validates.
#[test]
fn every_snapshot_validates() {
    let schema = schema();
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("tests/snapshots")).expect("snapshots") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            validate(&schema, &schema, &value, "$")
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            count += 1;
        }
    }
    assert!(count >= 27, "{count} snapshots");
}

/// The validator fails where it must: a field the schema does not name, an
/// unknown code, a missing field, a wrong type.
#[test]
fn the_validator_rejects_what_the_schema_does_not_allow() {
    let schema = schema();
    let text = std::fs::read_to_string(root().join("tests/snapshots/good.json")).expect("read");
    let good: Value = serde_json::from_str(&text).expect("JSON");
    assert!(validate(&schema, &schema, &good, "$").is_ok());
    let mutations: [fn(&mut Value); 4] = [
        |v| v["findings"][0]["extra"] = Value::Bool(true),
        |v| v["findings"][0]["code"] = "spf-mailfrom.great".into(),
        |v| {
            v.as_object_mut().expect("object").remove("worst");
        },
        |v| v["findings"][0]["evidence"] = "not a list".into(),
    ];
    for mutate in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(validate(&schema, &schema, &bad, "$").is_err(), "{bad}");
    }
}

fn schema_enum(schema: &Value, name: &str) -> Vec<String> {
    schema["$defs"][name]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("$defs.{name}"))
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn tokens<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|t| as_str(*t).to_owned()).collect()
}

/// The schema's token lists are the code's.
#[test]
fn the_schema_speaks_the_codes_tokens() {
    let schema = schema();
    let cases = [
        (
            "code",
            FINDING_CODES.iter().map(|c| (*c).to_owned()).collect(),
        ),
        ("check", tokens(CheckKind::ALL, CheckKind::as_str)),
        ("verdict", tokens(Verdict::ALL, Verdict::as_str)),
        ("recordType", tokens(RecordType::ALL, RecordType::as_str)),
        ("setupField", tokens(SetupField::ALL, SetupField::as_str)),
        ("origin", tokens(Origin::ALL, Origin::as_str)),
        ("bounceInput", tokens(InputKind::ALL, InputKind::as_str)),
        ("bounceReason", tokens(Reason::ALL, Reason::as_str)),
        ("bounceReceiver", tokens(Receiver::ALL, Receiver::as_str)),
        ("smtpStage", tokens(Stage::ALL, Stage::as_str)),
    ];
    for (name, expected) in cases {
        assert_eq!(schema_enum(&schema, name), expected, "$defs.{name}");
    }
}

/// `docs/doctor-json.md` explains every finding code, and only those.
#[test]
fn the_documentation_lists_every_code() {
    let doc = std::fs::read_to_string(root().join("../docs/doctor-json.md"))
        .expect("docs/doctor-json.md");
    let listed: Vec<&str> = doc
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|code| code.contains('.'))
        .collect();
    assert_eq!(listed, FINDING_CODES);
}

/// Domain-mode reports validate too (the snapshots are sending setups).
#[test]
fn domain_reports_validate() {
    use mailauth_core::dns::MemoryResolver;
    let schema = schema();
    let zone = MemoryResolver::from_zone_text(mailauth_doctor::demo::ZONE).expect("zone");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    for domain in [
        "good.example",
        "ghost.example",
        "hostinc.example",
        "bare.example",
    ] {
        let report = runtime
            .block_on(mailauth_doctor::audit_domain(&zone, domain))
            .expect("valid domain");
        let value: Value = serde_json::from_str(&report.to_json()).expect("JSON");
        assert_eq!(value["subject"]["mode"], "domain");
        validate(&schema, &schema, &value, "$").unwrap_or_else(|e| panic!("{domain}: {e}"));
    }
}
