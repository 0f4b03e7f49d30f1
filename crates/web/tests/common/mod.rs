//! Shared helpers: build a small archive in a temp dir, drive the router
//! without a socket, and crawl the public site.

#![allow(dead_code)]

pub mod fixture;
pub mod lists;
pub mod sealed;
pub mod session;

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use qantar_store::{Archive, Stamp};
use serde_json::Value;
use tower::ServiceExt;

pub fn stamp() -> Stamp {
    Stamp {
        author: "tester".into(),
        time: "2026-01-05T10:00:00.000Z".into(),
    }
}

/// A fresh archive at `dir` holding `records`, then with `retract` (refs)
/// retracted.
pub fn archive_with(dir: &Path, records: &[Value], retract: &[(&str, &str)]) -> Archive {
    let mut archive =
        Archive::init(dir, "test", [7u8; 32], "web-test", &stamp(), None).expect("init archive");
    let drafts = archive
        .store
        .prepare_records(records, &mut uuid::Uuid::now_v7)
        .unwrap_or_else(|e| panic!("test records are invalid: {e}"));
    archive.append(drafts, &stamp()).expect("append");
    for (target, reason) in retract {
        let d = archive
            .store
            .prepare_retract(target, reason)
            .expect("retract");
        archive
            .append(vec![d], &stamp())
            .expect("append retraction");
    }
    archive
}

pub fn router_for(dir: &Path) -> Router {
    let state = qantar_web::AppState::open(dir).expect("open archive for the web");
    qantar_web::router(state)
}

#[derive(Debug)]
pub struct Got {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Got {
    let mut req = Request::builder().uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res: Response<Body> = app
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
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

pub async fn get(app: &Router, uri: &str) -> Got {
    get_with(app, uri, &[]).await
}

/// Internal links (`href="/…"`) on a page, without fragments, HTML-unescaped.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let link = part[..end].replace("&amp;", "&");
        if link.starts_with('/') {
            let link = link.split('#').next().unwrap_or_default().to_string();
            out.push(link);
        }
    }
    out
}

/// Every page reachable from the three home pages by internal links, plus
/// every anonymous API route (records listed, each record, each person).
/// Returns (uri, status, body).
pub async fn crawl(app: &Router) -> Vec<(String, StatusCode, String)> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for start in [
        "/",
        "/kk/",
        "/ru/",
        "/en/",
        "/api/v1",
        "/api/v1/records?limit=1000",
        "/api/v1/persons?limit=1000",
        "/api/v1/numbers",
        "/api/v1/accountability",
        "/api/v1/openapi.json",
    ] {
        queue.push_back(start.to_string());
    }
    let mut out = Vec::new();
    while let Some(uri) = queue.pop_front() {
        if !seen.insert(uri.clone()) || seen.len() > 3000 {
            continue;
        }
        let got = get(app, &uri).await;
        if got.status.is_redirection() {
            queue.push_back(got.header("location"));
        }
        if got.header("content-type").starts_with("text/html") {
            for l in links(&got.body) {
                queue.push_back(l);
            }
        }
        if uri.starts_with("/api/v1/records?") && got.status == StatusCode::OK {
            for item in got.json()["items"].as_array().cloned().unwrap_or_default() {
                let id = item["id"].as_str().unwrap_or_default().to_string();
                queue.push_back(format!("/api/v1/records/{id}"));
                if item["kind"] == "person" {
                    queue.push_back(format!("/api/v1/persons/{id}"));
                }
            }
        }
        out.push((uri, got.status, got.body));
    }
    out
}

/// The demo records shipped with the CLI, if this checkout has them.
pub fn demo_records() -> Option<Vec<Value>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/demo/qandy-qantar.records.json"
    );
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

pub const BOUNDARY: &str = "qantar-test-boundary-7f3a";

/// A multipart body: the session's token first, then the file.
pub fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

pub async fn upload(app: &axum::Router, agent: &session::Agent, name: &str, bytes: &[u8]) -> Got {
    use axum::http::Method;
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/workspace/import/preview")
        .header("cookie", agent.cookie.as_str())
        .header("content-type", ct)
        .header("sec-fetch-site", "same-origin")
        .header("host", "localhost")
        .body(Body::from(multipart(&agent.csrf, name, bytes)))
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 10 * 1024 * 1024)
        .await
        .expect("body");
    Got {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}
