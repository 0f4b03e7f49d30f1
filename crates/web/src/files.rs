//! `GET /files/{sha256}`: the stripped public copy of a file attached to a
//! public record.
//!
//! Only a blob that is the public copy of an attachment of a public,
//! unretracted record is served (`qantar_store::Store::public_file`, asked
//! on every request, so a retraction takes effect at once rather than with
//! the next snapshot). Originals, copies of restricted or retracted
//! records, sealed ciphertext, unknown and malformed ids all get exactly
//! the site's not-found answer, so the route cannot be used to learn which
//! blobs exist. The copy is content-addressed, so it may be cached for good.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/files/{sha256}", get(file))
}

async fn file(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let dir = state.inner.dir.clone();
    let found = state
        .with_store(move |s| {
            qantar_store::evidence::read_public_file(&dir, s, &sha256)
                .map(|f| f.map(|(media, bytes)| (media, bytes, sha256)))
                .map_err(WebError::from)
        })
        .await;
    match found {
        Ok(Some((media, bytes, sha256))) => (
            [
                (header::CONTENT_TYPE, media),
                (
                    header::CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_string(),
                ),
                (header::ETAG, format!("\"{sha256}\"")),
                // Never rendered as a page of this site, whatever its type.
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{sha256}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => crate::fallback(headers, uri).await,
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "this file cannot be served right now; try again later\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use qantar_store::{Archive, NewFile, Stamp};
    use serde_json::json;
    use tower::ServiceExt;

    fn stamp() -> Stamp {
        Stamp {
            author: "tester".into(),
            time: "2026-11-22T10:00:00.000Z".into(),
        }
    }

    /// A PNG with a text chunk the public copy must not keep. The stripper
    /// works on chunks, so the image data need not decode; it differs per
    /// marker so that two test images do not share one public copy.
    fn png(marker: &str) -> Vec<u8> {
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0; 4]);
            c
        };
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        out.extend(chunk(b"tEXt", format!("Author\0{marker}").as_bytes()));
        out.extend(chunk(
            b"IDAT",
            &[0x78, 0x9c, 0x63, marker.len() as u8, 0, 0, 1, 0, 1],
        ));
        out.extend(chunk(b"IEND", &[]));
        out
    }

    async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
        let res = app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let kind = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        (status, kind, body)
    }

    use super::*;

    #[tokio::test]
    async fn only_public_copies_of_public_records_are_served() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a");
        let mut archive = Archive::init(&dir, "files", [1; 32], "t", &stamp(), None).unwrap();
        let drafts = archive
            .store
            .prepare_records(
                &[
                    json!({"kind": "source", "ref": "s-pub", "source_kind": "media_report",
                           "title": {"en": "A"}, "confidentiality": "public"}),
                    json!({"kind": "source", "ref": "s-res", "source_kind": "testimony",
                           "title": {"en": "B"}, "confidentiality": "restricted"}),
                ],
                &mut uuid::Uuid::now_v7,
            )
            .unwrap();
        archive.append(drafts, &stamp()).unwrap();
        let attach = |archive: &mut Archive, record: &str, marker: &str| {
            let bytes = png(marker);
            let file = NewFile {
                name: format!("{marker}.png"),
                captured_at: None,
            };
            archive
                .attach(record, &bytes[..], &file, None, &stamp(), Box::new(|_| {}))
                .unwrap()
                .attachment
        };
        let public = attach(&mut archive, "s-pub", "qzpublicmarker");
        let restricted = attach(&mut archive, "s-res", "qzrestrictedmarker");
        let copy = public.public_copy.clone().unwrap().sha256;
        drop(archive);
        let app = crate::router(AppState::open(&dir).unwrap());

        let (status, kind, body) = get(&app, &format!("/files/{copy}")).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "image/png"));
        assert_eq!(qantar_vault_sha(&body), copy);
        assert!(
            !body.windows(6).any(|w| w == b"qzpubl"),
            "the copy kept its text"
        );

        // Everything else answers exactly as a missing page does.
        let missing = get(&app, &format!("/files/{}", "0".repeat(64))).await;
        assert_eq!(missing.0, StatusCode::NOT_FOUND);
        let original = public.file.clone().unwrap().sha256;
        let others = [
            original,
            restricted.public_copy.clone().unwrap().sha256,
            restricted.file.clone().unwrap().sha256,
            "not-a-hash".to_string(),
            copy.to_uppercase(),
        ];
        for other in others {
            let got = get(&app, &format!("/files/{other}")).await;
            assert_eq!(got, missing, "/files/{other} differs from not found");
        }

        // Retracted: gone at once.
        let mut archive = Archive::open(&dir).unwrap();
        let retract = archive.store.prepare_retract("s-pub", "duplicate").unwrap();
        archive.append(vec![retract], &stamp()).unwrap();
        assert_eq!(get(&app, &format!("/files/{copy}")).await, missing);
    }

    fn qantar_vault_sha(bytes: &[u8]) -> String {
        use sha2::Digest;
        hex_lower(&sha2::Sha256::digest(bytes))
    }

    fn hex_lower(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
