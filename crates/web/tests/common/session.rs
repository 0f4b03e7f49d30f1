//! Acting as a documenter in tests: requests with cookies, logging in, and
//! reading the CSRF token out of a page as a browser would.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use tower::ServiceExt;

use super::Got;

pub const PASSWORD: &str = "correct horse battery";

/// Any request. `headers` are added as given.
pub async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Got {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).expect("request"))
        .await
        .expect("router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 10 * 1024 * 1024)
        .await
        .expect("body");
    Got {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Percent-encode a form value.
pub fn enc(s: &str) -> String {
    qantar_web::html::url_part(s)
}

/// `a=1&b=2` from pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of a cookie set by a response.
pub fn set_cookie(got: &Got, name: &str) -> Option<String> {
    got.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The hidden CSRF field of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no CSRF field on the page:\n{html}"))
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A logged-in documenter: the cookie header to send and the form token.
#[derive(Clone, Debug)]
pub struct Agent {
    pub cookie: String,
    pub csrf: String,
}

impl Agent {
    pub fn headers(&self) -> Vec<(&str, &str)> {
        vec![
            ("cookie", self.cookie.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "http://localhost"),
            ("host", "localhost"),
            ("sec-fetch-site", "same-origin"),
        ]
    }

    pub async fn get(&self, app: &Router, uri: &str) -> Got {
        send(
            app,
            Method::GET,
            uri,
            &[("cookie", self.cookie.as_str())],
            "",
        )
        .await
    }

    /// Post a form with this session's token added.
    pub async fn post(&self, app: &Router, uri: &str, pairs: &[(&str, &str)]) -> Got {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        send(app, Method::POST, uri, &self.headers(), &form(&all)).await
    }
}

/// Log in through the form, as a browser does.
pub async fn login(app: &Router, name: &str, password: &str) -> Result<Agent, Got> {
    let page = send(app, Method::GET, "/workspace/login", &[], "").await;
    let pre =
        set_cookie(&page, qantar_web::work::LOGIN_COOKIE).expect("login form sets its cookie");
    let pre = pre.split(';').next().unwrap_or_default().to_string();
    let token = csrf_of(&page.body);
    let got = send(
        app,
        Method::POST,
        "/workspace/login",
        &[
            ("cookie", pre.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "http://localhost"),
            ("host", "localhost"),
        ],
        &form(&[("csrf", &token), ("name", name), ("password", password)]),
    )
    .await;
    let Some(session) = set_cookie(&got, qantar_web::work::SESSION_COOKIE) else {
        return Err(got);
    };
    let cookie = session.split(';').next().unwrap_or_default().to_string();
    let home = send(
        app,
        Method::GET,
        "/workspace/",
        &[("cookie", cookie.as_str())],
        "",
    )
    .await;
    assert_eq!(
        home.status, 200,
        "the workspace opens after login: {}",
        home.body
    );
    Ok(Agent {
        csrf: csrf_of(&home.body),
        cookie,
    })
}
