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
    /// The TOTP secret the account enrolled while logging in, if it did.
    pub totp: Option<Vec<u8>>,
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

/// Log in through the form, as a browser does. Administrators and
/// handlers without a second factor are sent to enrol one: this enrols
/// properly, reading the secret off the page as a person would type it
/// into an app (the agent keeps it in `totp`).
pub async fn login(app: &Router, name: &str, password: &str) -> Result<Agent, Got> {
    login_with(app, name, password, None, qantar_web::auth::now()).await
}

/// The `session=…` part of a response's session cookie.
pub fn session_cookie(got: &Got) -> Option<String> {
    set_cookie(got, qantar_web::work::SESSION_COOKIE)
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .filter(|c| !c.ends_with('='))
}

/// The enrolment page's secret, as bytes.
pub fn secret_on(html: &str) -> Vec<u8> {
    let marker = "id=\"totp-secret\">";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no secret on the page:\n{html}"))
        + marker.len();
    let text = html[start..].split('<').next().unwrap_or_default();
    qantar_web::totp::from_base32(text).expect("the secret is base32")
}

/// Post a form with only the session cookie and the same-origin headers.
pub async fn post_as(app: &Router, cookie: &str, uri: &str, pairs: &[(&str, &str)]) -> Got {
    send(
        app,
        Method::POST,
        uri,
        &[
            ("cookie", cookie),
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "http://localhost"),
            ("host", "localhost"),
        ],
        &form(pairs),
    )
    .await
}

/// Just the password step: the response (a redirect to the workspace, the
/// code step or enrolment when the password was right).
pub async fn password_step(app: &Router, name: &str, password: &str) -> Got {
    let page = send(app, Method::GET, "/workspace/login", &[], "").await;
    let pre =
        set_cookie(&page, qantar_web::work::LOGIN_COOKIE).expect("login form sets its cookie");
    let pre = pre.split(';').next().unwrap_or_default().to_string();
    let token = csrf_of(&page.body);
    post_as(
        app,
        &pre,
        "/workspace/login",
        &[("csrf", &token), ("name", name), ("password", password)],
    )
    .await
}

/// Log in as [`login`] does, at `now` (the server's clock) and with the
/// account's TOTP secret when it already has one.
pub async fn login_with(
    app: &Router,
    name: &str,
    password: &str,
    key: Option<&[u8]>,
    now: i64,
) -> Result<Agent, Got> {
    let got = password_step(app, name, password).await;
    let Some(mut cookie) = session_cookie(&got) else {
        return Err(got);
    };
    let mut totp = None;
    match got.header("location").as_str() {
        "/workspace/login/code" => {
            let Some(key) = key else {
                panic!("{name} has a second factor: pass its secret");
            };
            let page = send(
                app,
                Method::GET,
                "/workspace/login/code",
                &[("cookie", &cookie)],
                "",
            )
            .await;
            let code = qantar_web::totp::code_at(key, now);
            let done = post_as(
                app,
                &cookie,
                "/workspace/login/code",
                &[("csrf", &csrf_of(&page.body)), ("code", &code)],
            )
            .await;
            cookie = session_cookie(&done).ok_or(done)?;
        }
        "/workspace/totp" => {
            let page = send(
                app,
                Method::GET,
                "/workspace/totp",
                &[("cookie", &cookie)],
                "",
            )
            .await;
            let key = secret_on(&page.body);
            let code = qantar_web::totp::code_at(&key, now);
            let done = post_as(
                app,
                &cookie,
                "/workspace/totp",
                &[("csrf", &csrf_of(&page.body)), ("code", &code)],
            )
            .await;
            cookie = session_cookie(&done).ok_or(done)?;
            totp = Some(key);
        }
        _ => {}
    }
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
        totp,
    })
}
