//! A self-contained GraphiQL IDE.
//!
//! Every script, stylesheet and font the page needs is compiled into the
//! binary (see `api/assets/graphiql/README.md` for the vendored packages and
//! how to refresh them), so the IDE works on networks without internet
//! access: the page only ever loads `/graphiql/assets/<file>` from the server
//! that served it.
//!
//! * [`page`] renders the HTML page (serve it as `text/html; charset=utf-8`).
//! * [`asset`] looks up one embedded file.
//! * [`router`] serves `GET /graphiql/assets/{name}`.

use axum::{
    Router,
    extract::Path,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

/// The URL path prefix under which [`router`] serves the embedded files.
const ASSET_PREFIX: &str = "/graphiql/assets/";

const JS: &str = "application/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// One embedded file: name under [`ASSET_PREFIX`], content type, bytes.
type Asset = (&'static str, &'static str, &'static [u8]);

/// The vendored GraphiQL files, in the order the page loads them.
const ASSETS: &[Asset] = &[
    (
        "graphiql.min.css",
        CSS,
        include_bytes!("../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        JS,
        include_bytes!("../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        JS,
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "graphiql.min.js",
        JS,
        include_bytes!("../assets/graphiql/graphiql.min.js"),
    ),
];

/// The embedded file called `name` (no directory part), as
/// `(content type, bytes)`, or `None` if there is no such file.
pub fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS
        .iter()
        .find(|(file, _, _)| *file == name)
        .map(|&(_, content_type, bytes)| (content_type, bytes))
}

/// A router serving `GET /graphiql/assets/{name}` from [`asset`], with a one
/// day `cache-control`; unknown names get `404 Not Found`.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/graphiql/assets/{name}", get(serve_asset))
}

async fn serve_asset(Path(name): Path<String>) -> Response {
    match asset(&name) {
        Some((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The GraphiQL HTML page.
///
/// Queries and mutations are POSTed to `endpoint` (a path such as
/// `/graphql`). Subscriptions use the `graphql-transport-ws` protocol on
/// `subscription_endpoint` (a path such as `/graphql/ws`); the page turns it
/// into a `ws://` or `wss://` URL on the page's own host. A full `ws://` or
/// `wss://` URL is used as given.
///
/// The headers editor is enabled and its contents are kept in the browser's
/// local storage, so a user can set `{"Authorization": "Bearer <token>"}`
/// once. Those headers go with every HTTP request and, for subscriptions, in
/// the `connection_init` payload of the websocket.
pub fn page(endpoint: &str, subscription_endpoint: &str) -> String {
    let endpoint = js_string(endpoint);
    let subscription_endpoint = js_string(subscription_endpoint);
    format!(
        r##"<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>建安 Jian'an GraphQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{ASSET_PREFIX}graphiql.min.css">
<style>
html, body {{ height: 100%; margin: 0; overflow: hidden; }}
#graphiql {{ height: 100vh; }}
#graphiql-loading {{ font-family: sans-serif; padding: 2em; color: #555; }}
</style>
</head>
<body>
<div id="graphiql"><div id="graphiql-loading">Loading GraphiQL…</div></div>
<script src="{ASSET_PREFIX}react.production.min.js"></script>
<script src="{ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="{ASSET_PREFIX}graphiql.min.js"></script>
<script>
(function () {{
  "use strict";
  var endpoint = {endpoint};
  var subscriptionEndpoint = {subscription_endpoint};
  var subscriptionUrl = /^wss?:/i.test(subscriptionEndpoint)
    ? subscriptionEndpoint
    : (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + subscriptionEndpoint;
  var fetcher = GraphiQL.createFetcher({{
    url: endpoint,
    subscriptionUrl: subscriptionUrl
  }});
  var defaultQuery = [
    "# Welcome to 建安 Jian'an GraphQL.",
    "#",
    "# To call the API as a user, open the",
    "# Headers tab below and enter:",
    "#",
    "#   {{ \"Authorization\": \"Bearer <token>\" }}",
    "#",
    "# Headers are remembered in this browser and",
    "# sent with every query and mutation (and in",
    "# connection_init for subscriptions).",
    "#",
    "# Ctrl-Enter runs; Ctrl-Space autocompletes.",
    "",
    "{{",
    "  __typename",
    "}}",
    ""
  ].join("\n");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(
      GraphiQL,
      {{
        fetcher: fetcher,
        defaultQuery: defaultQuery,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: "headers"
      }},
      React.createElement(GraphiQL.Logo, null, "建安 Jian'an")
    )
  );
}})();
</script>
</body>
</html>
"##
    )
}

/// `s` as a double-quoted JavaScript string literal that is also safe inside
/// an HTML `<script>` element (no `<`, `>` or `&` survive unescaped, so it
/// can never close the element).
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\'' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if c.is_control() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    /// Every `/graphiql/assets/<file>` path in `html`.
    fn asset_paths(html: &str) -> Vec<&str> {
        html.match_indices(ASSET_PREFIX)
            .map(|(at, _)| {
                let rest = &html[at..];
                let end = rest
                    .find(|c: char| c == '"' || c == '\'' || c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .collect()
    }

    #[test]
    fn page_loads_nothing_from_outside() {
        let html = page("/graphql", "/graphql/ws");
        assert!(!html.contains("http://"), "page contains http://");
        assert!(!html.contains("https://"), "page contains https://");
        assert!(html.contains("<title>建安 Jian'an GraphQL</title>"));
        assert!(html.contains(r#"var endpoint = "/graphql";"#));
        assert!(html.contains(r#"var subscriptionEndpoint = "/graphql/ws";"#));
        assert!(html.contains("isHeadersEditorEnabled: true"));
        assert!(html.contains("shouldPersistHeaders: true"));

        // Every src=/href= must be one of our assets (or the inline data:
        // favicon); nothing else may be loaded.
        for attr in ["src=\"", "href=\""] {
            for (at, _) in html.match_indices(attr) {
                let value = &html[at + attr.len()..];
                assert!(
                    value.starts_with(ASSET_PREFIX) || value.starts_with("data:"),
                    "unexpected {attr}{}",
                    &value[..value.find('"').unwrap_or(value.len())]
                );
            }
        }

        let paths = asset_paths(&html);
        assert_eq!(paths.len(), ASSETS.len(), "paths: {paths:?}");
        for path in paths {
            let name = path.strip_prefix(ASSET_PREFIX).unwrap();
            let (content_type, bytes) =
                asset(name).unwrap_or_else(|| panic!("{path} is not an embedded asset"));
            assert!(!bytes.is_empty(), "{path} is empty");
            if name.ends_with(".js") {
                assert_eq!(content_type, JS);
            } else {
                assert_eq!(content_type, CSS);
            }
        }
    }

    #[test]
    fn endpoints_are_escaped() {
        let html = page("/a\"</script><b>", "/ws\\x");
        assert!(html.contains(r#"var endpoint = "/a\"\u003c/script\u003e\u003cb\u003e";"#));
        assert!(html.contains(r#"var subscriptionEndpoint = "/ws\\x";"#));
        assert_eq!(html.matches("</script>").count(), 4);
    }

    #[test]
    fn unknown_assets_are_none() {
        assert!(asset("").is_none());
        assert!(asset("nope.js").is_none());
        assert!(asset("../Cargo.toml").is_none());
        assert!(asset("README.md").is_none());
    }

    #[tokio::test]
    async fn router_serves_assets_and_404s() {
        let app: Router = router();

        let res = app
            .clone()
            .oneshot(
                Request::get("/graphiql/assets/graphiql.min.css")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], CSS);
        assert_eq!(
            res.headers()[header::CACHE_CONTROL],
            "public, max-age=86400"
        );
        let body = to_bytes(res.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&body[..], asset("graphiql.min.css").unwrap().1);

        let res = app
            .clone()
            .oneshot(
                Request::get("/graphiql/assets/react.production.min.js")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], JS);

        let res = app
            .oneshot(
                Request::get("/graphiql/assets/missing.js")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}
