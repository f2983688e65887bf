//! Sprig's path and URL functions: `base` `dir` `clean` `ext` `isAbs` (and
//! `os*` variants), `urlParse` `urlJoin`, `getHostByName`.
//!
//! Go's `path` and (on Unix, where Helm's output is defined) `path/filepath`
//! agree, so the `os*` variants share the implementations. URLs follow Go's
//! `net/url` parser and `URL.String`.

use std::collections::BTreeMap;

use super::util::plain;
use crate::go::fmt::go_quote;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{Sig, Ty, Value};

const STR1: Sig = Sig::new(&[Ty::String], None);
const MAP1: Sig = Sig::new(&[Ty::Map], None);

pub fn register(m: &mut FuncMap) {
    type PathFn = fn(&mut State, &[Value]) -> Result<Value, FuncErr>;
    let path_fns: [(&str, &str, PathFn); 5] = [
        ("base", "osBase", |_, a| Ok(Value::string(base(arg(a))))),
        ("dir", "osDir", |_, a| Ok(Value::string(dir(arg(a))))),
        ("clean", "osClean", |_, a| Ok(Value::string(clean(arg(a))))),
        ("ext", "osExt", |_, a| Ok(Value::str(ext(arg(a))))),
        ("isAbs", "osIsAbs", |_, a| {
            Ok(Value::Bool(arg(a).starts_with('/')))
        }),
    ];
    for (name, os_name, f) in path_fns {
        m.insert(name, plain(&STR1, f));
        m.insert(os_name, plain(&STR1, f));
    }
    m.insert("urlParse", plain(&STR1, url_parse));
    m.insert("urlJoin", plain(&MAP1, url_join));
    // Helm replaces Sprig's DNS lookup unless --enable-dns is given.
    m.insert("getHostByName", plain(&STR1, |_, _| Ok(Value::str(""))));
}

fn arg(a: &[Value]) -> &str {
    a.first().and_then(Value::as_str).unwrap_or_default()
}

/// Go's `path.Clean`: lexical cleanup of slashes, `.` and `..`.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    // Leading `..` of a relative path cannot be removed.
    let mut fixed = 0;
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.len() > fixed => {
                parts.pop();
            }
            ".." if !rooted => {
                parts.push("..");
                fixed += 1;
            }
            ".." => {}
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// Go's `path.Base`.
pub fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// Go's `path.Dir`: everything up to the last slash, cleaned.
pub fn dir(p: &str) -> String {
    let cut = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..cut])
}

/// Go's `path.Ext`: from the last dot of the final element.
pub fn ext(p: &str) -> &str {
    let last = &p[p.rfind('/').map_or(0, |i| i + 1)..];
    last.rfind('.').map_or("", |i| &last[i..])
}

/// The parts of a URL Sprig exposes, as Go's `url.URL` holds them.
#[derive(Default, Debug)]
struct Url {
    scheme: String,
    opaque: String,
    /// `None` when the URL has no userinfo; else (user, password).
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    omit_host: bool,
    force_query: bool,
    raw_query: String,
    fragment: String,
}

/// `urlParse`: a map of the URL's parts; parse errors panic in Sprig.
fn url_parse(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let u = parse_url(arg(a)).map_err(|e| FuncErr::msg(format!("unable to parse url: {e}")))?;
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), Value::string(v));
    };
    put("scheme", u.scheme.clone());
    put("host", u.host.clone());
    put("hostname", hostname(&u.host).to_string());
    put("path", u.path.clone());
    put("query", u.raw_query.clone());
    put("opaque", u.opaque.clone());
    put("fragment", u.fragment.clone());
    put("userinfo", u.userinfo_string());
    Ok(Value::map(m))
}

/// `urlJoin`: the inverse of `urlParse`.
fn url_join(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let d: BTreeMap<String, Value> = a
        .first()
        .and_then(Value::as_map)
        .map(|m| m.clone())
        .unwrap_or_default();
    let get = |k: &str| -> Result<String, FuncErr> {
        match d.get(k) {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            // reflect.TypeOf(nil).Kind() dereferences a nil Type.
            Some(Value::Nil) => Err(FuncErr::msg(
                "runtime error: invalid memory address or nil pointer dereference",
            )),
            Some(v) => Err(FuncErr::msg(format!(
                "unable to parse {k} key, must be of type string, but {} found",
                v.kind_name()
            ))),
        }
    };
    let mut u = Url {
        scheme: get("scheme")?,
        host: get("host")?,
        path: get("path")?,
        raw_query: get("query")?,
        opaque: get("opaque")?,
        fragment: get("fragment")?,
        ..Url::default()
    };
    let userinfo = get("userinfo")?;
    if !userinfo.is_empty() {
        let tmp = parse_url(&format!("proto://{userinfo}@host"))
            .map_err(|e| FuncErr::msg(format!("unable to parse userinfo in dict: {e}")))?;
        u.user = tmp.user;
    }
    Ok(Value::string(u.to_string()))
}

/// Go's `url.Parse`, with its `parse "URL": reason` error text.
fn parse_url(raw: &str) -> Result<Url, String> {
    let wrap = |url: &str, e: String| format!("parse {}: {e}", go_quote(url));
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = parse_main(u).map_err(|e| wrap(u, e))?;
    if !frag.is_empty() {
        url.fragment = unescape(frag, Mode::Fragment).map_err(|e| wrap(raw, e))?;
    }
    Ok(url)
}

fn parse_main(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, mut rest) = split_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        url.raw_query = q.to_string();
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        if rest.split('/').next().unwrap_or_default().contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let auth_and_path = &rest[2..];
        let (authority, path) = match auth_and_path.find('/') {
            Some(i) => auth_and_path.split_at(i),
            None => (auth_and_path, ""),
        };
        parse_authority(&mut url, authority)?;
        rest = path;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

/// Go's `getScheme`.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_authority(url: &mut Url, authority: &str) -> Result<(), String> {
    let at = authority.rfind('@');
    let host_part = at.map_or(authority, |i| &authority[i + 1..]);
    url.host = parse_host(host_part)?;
    let Some(i) = at else {
        return Ok(());
    };
    let info = &authority[..i];
    if !info.chars().all(valid_userinfo_char) {
        return Err("net/url: invalid userinfo".into());
    }
    url.user = Some(match info.split_once(':') {
        None => (unescape(info, Mode::UserPassword)?, None),
        Some((u, p)) => (
            unescape(u, Mode::UserPassword)?,
            Some(unescape(p, Mode::UserPassword)?),
        ),
    });
    Ok(())
}

fn valid_userinfo_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c)
}

fn parse_host(host: &str) -> Result<String, String> {
    let port = if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        &host[i + 1..]
    } else {
        host.rfind(':').map_or("", |i| &host[i..])
    };
    if !valid_optional_port(port) {
        return Err(format!("invalid port {} after host", go_quote(port)));
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        _ if port.is_empty() => true,
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// `URL.Hostname`: the host without port and IPv6 brackets.
fn hostname(host: &str) -> &str {
    let mut h = host;
    if let Some(i) = h.rfind(':')
        && valid_optional_port(&h[i..])
    {
        h = &h[..i];
    }
    h.strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(h)
}

/// Which part of a URL a string belongs to (Go's `encoding` modes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    Fragment,
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => c == b'?',
            Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => false,
            Mode::Host => true,
        },
        b'!' | b'(' | b')' | b'*' if mode == Mode::Fragment => false,
        _ => true,
    }
}

/// Go's `escape` (no query mode is needed here).
fn escape(s: &str, mode: Mode) -> String {
    let mut o = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if should_escape(b, mode) {
            o.push_str(&format!("%{b:02X}"));
        } else {
            o.push(b as char);
        }
    }
    o
}

/// Go's `unescape`: `%XX` decoding with its validity checks.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
                let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2)) else {
                    let bad: String = s[i..].chars().take(3).collect();
                    return Err(format!("invalid URL escape {}", go_quote(&bad)));
                };
                if mode == Mode::Host && h < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!("invalid URL escape {}", go_quote(&s[i..i + 3])));
                }
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        go_quote(&(c as char).to_string())
                    ));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

impl Url {
    /// `Userinfo.String()`.
    fn userinfo_string(&self) -> String {
        match &self.user {
            None => String::new(),
            Some((u, p)) => {
                let mut s = escape(u, Mode::UserPassword);
                if let Some(p) = p {
                    s.push(':');
                    s.push_str(&escape(p, Mode::UserPassword));
                }
                s
            }
        }
    }
}

/// Go's `URL.String`.
impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let has_user = self.user.is_some();
            let has_authority = !self.scheme.is_empty() || !self.host.is_empty() || has_user;
            let omitted = self.omit_host && self.host.is_empty() && !has_user;
            if has_authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || has_user {
                    buf.push_str("//");
                }
                if has_user {
                    buf.push_str(&self.userinfo_string());
                    buf.push('@');
                }
                buf.push_str(&escape(&self.host, Mode::Host));
            }
            let path = if self.path == "*" {
                "*".to_string()
            } else {
                escape(&self.path, Mode::Path)
            };
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().unwrap_or_default().contains(':') {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        f.write_str(&buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let table = [
            ("", ".", ".", ".", ""),
            ("/", "/", "/", "/", ""),
            ("a/b/", "b", "a/b", "a/b", ""),
            ("/a//b/../c/./d.txt", "d.txt", "/a/c", "/a/c/d.txt", ".txt"),
            ("../../x/..", "..", "../../x", "../..", "."),
            ("/../a", "a", "/..", "/a", ""),
            ("a.b/c", "c", "a.b", "a.b/c", ""),
        ];
        for (p, b, d, c, e) in table {
            assert_eq!(
                (base(p).as_str(), dir(p).as_str(), clean(p).as_str(), ext(p)),
                (b, clean(d).as_str(), c, e),
                "{p}"
            );
        }
    }

    #[test]
    fn urls() {
        let u = parse_url("https://u:p%40x@Host.com:8080/a%20b/c?q=1#frag%20x").unwrap();
        assert_eq!(
            (u.host.as_str(), hostname(&u.host), u.path.as_str()),
            ("Host.com:8080", "Host.com", "/a b/c")
        );
        assert_eq!(u.userinfo_string(), "u:p%40x");
        assert_eq!(
            u.to_string(),
            "https://u:p%40x@Host.com:8080/a%20b/c?q=1#frag%20x"
        );
        assert_eq!(
            parse_url("http://a b/").unwrap_err(),
            "parse \"http://a b/\": invalid character \" \" in host name"
        );
        assert_eq!(parse_url("http:///p").unwrap().to_string(), "http:///p");
        assert_eq!(parse_url("a:b/c").unwrap().opaque, "b/c");
    }
}
