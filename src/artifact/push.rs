//! Push an OCI image layout to a registry: every blob checked with HEAD
//! first and uploaded only when missing (monolithic, or in chunks past
//! the chunk size), then the manifests, then the index under the tag.

use std::path::Path;

use super::build::{Blob, MEDIA_INDEX, MEDIA_MANIFEST};
use super::layout::Layout;
use crate::oci::registry::{Client, Method};

/// What a push did.
#[derive(Debug, Default)]
pub struct Pushed {
    /// The digest of the top manifest or index.
    pub digest: String,
    pub uploaded: usize,
    pub existing: usize,
}

fn is_manifest(media: &str) -> bool {
    media == MEDIA_INDEX
        || media == MEDIA_MANIFEST
        || media.starts_with("application/vnd.docker.distribution.manifest")
}

/// Push the image of `layout` to the client's target.
pub fn push(client: &mut Client, layout: &Path, chunk_size: usize) -> Result<Pushed, String> {
    let tag = client.target.tag.clone();
    let l = match Layout::open(layout, None) {
        Ok(l) => l,
        Err(e) if e.contains("images in the layout") => Layout::open(layout, tag.as_deref())?,
        Err(e) => return Err(e),
    };
    let top_digest = l.top["digest"].as_str().unwrap_or_default().to_string();
    let blobs = l.blobs()?;
    let mut out = Pushed {
        digest: top_digest.clone(),
        ..Pushed::default()
    };
    for b in &blobs {
        if is_manifest(b.media_type) {
            let reference = if b.digest == top_digest {
                tag.clone().unwrap_or_else(|| b.digest.clone())
            } else {
                b.digest.clone()
            };
            put_manifest(client, b, &reference)?;
        } else if blob_exists(client, &b.digest)? {
            out.existing += 1;
        } else {
            upload(client, b, chunk_size.max(1))?;
            out.uploaded += 1;
        }
    }
    Ok(out)
}

fn blob_exists(client: &mut Client, digest: &str) -> Result<bool, String> {
    let url = client.url(&format!("blobs/{digest}"));
    let a = client.send(Method::Head, &url, &[], None)?;
    match a.status {
        200 => Ok(true),
        404 => Ok(false),
        _ => Err(client.failure("HEAD", &format!("blobs/{digest}"), &a)),
    }
}

fn with_query(url: &str, kv: &str) -> String {
    if url.contains('?') {
        format!("{url}&{kv}")
    } else {
        format!("{url}?{kv}")
    }
}

fn upload(client: &mut Client, b: &Blob, chunk: usize) -> Result<(), String> {
    let start = client.url("blobs/uploads/");
    let a = client.send(Method::Post, &start, &[], Some(&[]))?;
    if a.status != 202 {
        return Err(client.failure("POST", "blobs/uploads/", &a));
    }
    let mut location = client.absolute(
        a.location
            .as_deref()
            .ok_or("the registry started an upload without a Location")?,
    );
    let done_url;
    if b.bytes.len() <= chunk {
        done_url = with_query(&location, &format!("digest={}", b.digest));
        // ureq sets Content-Length from the body.
        let a = client.send(
            Method::Put,
            &done_url,
            &[("Content-Type", "application/octet-stream")],
            Some(&b.bytes),
        )?;
        if a.status != 201 {
            return Err(client.failure("PUT", &format!("blobs/uploads ({})", b.digest), &a));
        }
    } else {
        let mut offset = 0;
        while offset < b.bytes.len() {
            let end = (offset + chunk).min(b.bytes.len());
            let range = format!("{offset}-{}", end - 1);
            let a = client.send(
                Method::Patch,
                &location,
                &[
                    ("Content-Type", "application/octet-stream"),
                    ("Content-Range", &range),
                ],
                Some(&b.bytes[offset..end]),
            )?;
            if a.status != 202 {
                return Err(client.failure("PATCH", &format!("blobs/uploads ({})", b.digest), &a));
            }
            if let Some(l) = a.location.as_deref() {
                location = client.absolute(l);
            }
            offset = end;
        }
        done_url = with_query(&location, &format!("digest={}", b.digest));
        let a = client.send(
            Method::Put,
            &done_url,
            &[("Content-Length", "0")],
            Some(&[]),
        )?;
        if a.status != 201 {
            return Err(client.failure("PUT", &format!("blobs/uploads ({})", b.digest), &a));
        }
    }
    Ok(())
}

fn put_manifest(client: &mut Client, b: &Blob, reference: &str) -> Result<(), String> {
    let url = client.url(&format!("manifests/{reference}"));
    let a = client.send(
        Method::Put,
        &url,
        &[("Content-Type", b.media_type)],
        Some(&b.bytes),
    )?;
    if a.status != 201 {
        return Err(client.failure("PUT", &format!("manifests/{reference}"), &a));
    }
    if let Some(d) = &a.digest
        && d != &b.digest
    {
        return Err(format!(
            "the registry stored manifest {reference} as {d}, not {}",
            b.digest
        ));
    }
    Ok(())
}
