//! A raw HTTP/1.1 client, so that paths reach the server exactly as written (no client-side
//! normalisation of `..` or of encodings).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A raw HTTP/1.1 exchange on a fresh connection (`Connection: close`), so that paths reach the
/// server exactly as written (no client-side normalisation of `..` or of encodings).
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn addr_of(base: &str) -> String {
    base.trim_start_matches("http://").to_string()
}

pub fn connect(base: &str) -> TcpStream {
    let stream = TcpStream::connect(addr_of(base)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// Sends `head` (request line and headers, without the final blank line) and `body`; reads the
/// whole answer. Write errors are ignored (a server may answer and close before reading a large
/// body): what counts is the answer.
pub fn raw(base: &str, head: &str, body: &[u8]) -> std::io::Result<RawResponse> {
    let mut s = connect(base);
    let mut req = head.trim_end().to_string();
    req.push_str("\r\nConnection: close\r\n\r\n");
    let _ = s.write_all(req.as_bytes());
    if !body.is_empty() {
        let _ = s.write_all(body);
    }
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => {}
        // A reset after the answer arrived (the server did not read our whole body).
        Err(_) if buf.windows(4).any(|w| w == b"\r\n\r\n") => {}
        Err(e) => return Err(e),
    }
    parse_response(&buf)
}

pub fn raw_get(base: &str, path: &str) -> RawResponse {
    raw(
        base,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost"),
        b"",
    )
    .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

pub fn parse_response(buf: &[u8]) -> std::io::Result<RawResponse> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad(&format!("no response head in {} bytes", buf.len())))?;
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
        else {
            break;
        };
        data = &data[line_end + 2..];
        if size == 0 || data.len() < size {
            out.extend_from_slice(&data[..size.min(data.len())]);
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}
