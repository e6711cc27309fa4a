//! At most one credential field per operation. A field that checks a password or a secret
//! (`login`, `issueServiceToken`, …) costs a slow hash on purpose; GraphQL aliases would otherwise
//! let one request ask for a hundred of them (`a: login(…) b: login(…) …`), turning the rate
//! limit per request into a hundred guesses and the hash into a denial of service. Modules name
//! their credential fields ([`crate::module::Module::credential_fields`]); the gateway installs
//! [`OneCredentialField`], which refuses an operation that selects more than one of them, with
//! `BAD_USER_INPUT`, right after parsing: before validation, before any resolver runs, so nothing
//! is hashed and nothing is written.
use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

use crate::error::ErrorCode;

/// The extension factory: the credential fields of every module of the build.
#[derive(Clone, Debug, Default)]
pub struct OneCredentialField {
    fields: Arc<HashSet<&'static str>>,
}

impl OneCredentialField {
    pub fn new(fields: impl IntoIterator<Item = &'static str>) -> Self {
        OneCredentialField {
            fields: Arc::new(fields.into_iter().collect()),
        }
    }

    /// How many credential fields each operation of `doc` selects at its root (through
    /// fragments too); the largest count.
    pub fn most_in_one_operation(&self, doc: &ExecutableDocument) -> usize {
        doc.operations
            .iter()
            .map(|(_, op)| {
                let mut seen = HashSet::new();
                self.count(doc, &op.node.selection_set.node, &mut seen)
            })
            .max()
            .unwrap_or(0)
    }

    fn count<'d>(
        &self,
        doc: &'d ExecutableDocument,
        set: &'d SelectionSet,
        fragments_seen: &mut HashSet<&'d str>,
    ) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => usize::from(self.fields.contains(f.node.name.node.as_str())),
                Selection::InlineFragment(i) => {
                    self.count(doc, &i.node.selection_set.node, fragments_seen)
                }
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.as_str();
                    // A fragment counts once per operation; a cycle (refused later by
                    // validation) cannot loop here.
                    if !fragments_seen.insert(name) {
                        return 0;
                    }
                    doc.fragments
                        .get(&s.node.fragment_name.node)
                        .map(|f| self.count(doc, &f.node.selection_set.node, fragments_seen))
                        .unwrap_or(0)
                }
            })
            .sum()
    }
}

impl ExtensionFactory for OneCredentialField {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(self.clone())
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for OneCredentialField {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        if self.most_in_one_operation(&doc) > 1 {
            let mut names: Vec<&str> = self.fields.iter().copied().collect();
            names.sort_unstable();
            let mut e = ServerError::new(
                format!(
                    "请求无效：一个操作最多包含一个登录类字段（{}）",
                    names.join("、")
                ),
                None,
            );
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", ErrorCode::BadUserInput.as_str());
            return Err(e);
        }
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn most(q: &str) -> usize {
        let doc = async_graphql::parser::parse_query(q).unwrap();
        OneCredentialField::new(["login", "issueServiceToken"]).most_in_one_operation(&doc)
    }

    #[test]
    fn aliases_and_fragments_are_counted() {
        assert_eq!(most("mutation { login(input: {}) { accessToken } }"), 1);
        assert_eq!(
            most(
                "mutation { a: login(input: {}) { accessToken } b: login(input: {}) { accessToken } }"
            ),
            2
        );
        assert_eq!(
            most("mutation { login(input: {}) { a } issueServiceToken(input: {}) { a } }"),
            2
        );
        assert_eq!(
            most(
                "mutation { ... on Mutation { a: login(input: {}) { a } } ...F } fragment F on Mutation { b: login(input: {}) { a } }"
            ),
            2
        );
        // Two operations with one each: only one runs.
        assert_eq!(
            most("mutation A { login(input: {}) { a } } mutation B { login(input: {}) { a } }"),
            1
        );
        // A field named like one deeper down is not a credential field.
        assert_eq!(most("{ me { login } }"), 0);
        // A fragment cycle terminates (validation refuses it later).
        assert_eq!(
            most("mutation { ...F } fragment F on Mutation { login(input: {}) { a } ...F }"),
            1
        );
    }
}
