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
async fn every_type_field_and_enum_value_has_a_description() {
    // Descriptions are the front-end teams' documentation: a field without one is a bug.
    let schema = jianan_api::schema::build(
        None,
        jianan_api::schema::Limits {
            depth: 64,
            complexity: 100_000,
            introspection: true,
        },
    );
    let res = schema
        .execute("{ __schema { types { name kind description fields { name description } inputFields { name description } enumValues { name description } } } }")
        .await;
    let v = res.data.into_json().unwrap_or_default();
    let mut missing = Vec::new();
    let empty = Vec::new();
    for t in v["__schema"]["types"].as_array().unwrap_or(&empty) {
        let name = t["name"].as_str().unwrap_or("");
        let builtin =
            name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name);
        if builtin || ["Query", "Mutation", "Subscription", "PageInfo"].contains(&name) {
            continue;
        }
        if t["description"].as_str().unwrap_or("").is_empty()
            && !name.ends_with("Connection")
            && !name.ends_with("Edge")
        {
            missing.push(name.to_owned());
        }
        for list in ["fields", "inputFields", "enumValues"] {
            for f in t[list].as_array().unwrap_or(&empty) {
                let field = f["name"].as_str().unwrap_or("");
                let connection_plumbing = (name.ends_with("Connection") || name.ends_with("Edge"))
                    && ["edges", "nodes", "pageInfo", "cursor", "node"].contains(&field);
                if f["description"].as_str().unwrap_or("").is_empty() && !connection_plumbing {
                    missing.push(format!("{name}.{field}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:#?}");
}
