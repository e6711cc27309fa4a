//! The committed SDL (`api/schema.graphql`) must match the code, so that every schema change is
//! visible in review. To accept a change: `cargo run -- schema > api/schema.graphql`.

#[test]
fn committed_sdl_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let current = jianan_api::schema::sdl();
    assert!(
        committed == current,
        "api/schema.graphql differs from the schema the code builds; run `cargo run -- schema > api/schema.graphql` and review the diff"
    );
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_has_a_description() {
    // Descriptions are the front-end teams' documentation: a type, field, argument, input field
    // or enum value without one is a bug. Only GraphQL's own introspection types are exempt.
    let schema = jianan_api::schema::build(
        None,
        jianan_api::schema::Limits {
            depth: 64,
            complexity: 100_000,
            introspection: true,
        },
    );
    let res = schema
        .execute(
            "{ __schema { types { name kind description \
               fields { name description args { name description } } \
               inputFields { name description } enumValues { name description } } \
               directives { name args { name description } } } }",
        )
        .await;
    assert!(res.errors.is_empty(), "{:?}", res.errors);
    let v = res.data.into_json().unwrap_or_default();
    let mut missing = Vec::new();
    let empty = Vec::new();
    let described = |x: &serde_json::Value| !x["description"].as_str().unwrap_or("").is_empty();
    for t in v["__schema"]["types"].as_array().unwrap_or(&empty) {
        let name = t["name"].as_str().unwrap_or("");
        if name.starts_with("__") {
            continue;
        }
        if !described(t) {
            missing.push(name.to_owned());
        }
        for list in ["fields", "inputFields", "enumValues"] {
            for f in t[list].as_array().unwrap_or(&empty) {
                let field = f["name"].as_str().unwrap_or("");
                if !described(f) {
                    missing.push(format!("{name}.{field}"));
                }
                for a in f["args"].as_array().unwrap_or(&empty) {
                    if !described(a) {
                        missing.push(format!(
                            "{name}.{field}({})",
                            a["name"].as_str().unwrap_or("")
                        ));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:#?}");
}
