//! SIGTERM and slow clients: in-flight requests finish, half-sent ones are cut off.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use lopdf::{Document, Stream, dictionary};

use super::fixture::fixture;
use super::pdfs::text_pdf;
use super::raw_http::{addr_of, connect, parse_response, raw_get};
use super::rng::Rng;
use super::run::copy_slice;
use crate::common::report::{report_of, stderr_of, strings};
use crate::common::{self, Server, run_index};

/// SIGTERM: the server stops accepting connections at once, finishes a download already in
/// flight (a file larger than the socket buffers, read slowly), closes idle connections, and
/// exits with status 0.
#[test]
fn sigterm_finishes_in_flight_requests_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    copy_slice(&corpus, &["2024-05-your-vote-counts"]);
    // A 24 MiB PDF: one page of text and a large incompressible stream.
    let mut doc = Document::load_mem(&text_pdf("Big File", "Grandiloquor", 1)).unwrap();
    let mut rng = Rng(7);
    let noise: Vec<u8> = (0..24 << 20).map(|_| rng.next() as u8).collect();
    doc.add_object(Stream::new(dictionary! {}, noise).with_compression(false));
    let mut big = Vec::new();
    doc.save_to(&mut big).unwrap();
    std::fs::write(corpus.join("big.pdf"), &big).unwrap();
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(strings(&report_of(&out)["added"]).contains(&"big.pdf".to_string()));

    let mut server = Server::start(&index, &corpus, &[]);
    let base = server.base.clone();
    let mut idle = connect(&base);
    let mut download = connect(&base);
    download
        .write_all(b"GET /files/big.pdf HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut first = vec![0u8; 64 * 1024];
    download.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"HTTP/1.1 200"));

    let started = Instant::now();
    sigterm(server.pid());
    // New connections are refused soon after the signal.
    assert!(
        common::wait_until(Duration::from_secs(10), || TcpStream::connect(addr_of(
            &base
        ))
        .is_err()),
        "the server still accepts connections after SIGTERM"
    );
    // The idle connection is closed by the server.
    let mut buf = [0u8; 16];
    assert_eq!(
        idle.read(&mut buf).unwrap_or(0),
        0,
        "idle connection kept open"
    );
    // The download in flight completes, byte for byte.
    let mut rest = Vec::new();
    download.read_to_end(&mut rest).unwrap();
    let mut whole = first;
    whole.extend_from_slice(&rest);
    let resp = parse_response(&whole).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.body.len(),
        big.len(),
        "download cut short by the shutdown"
    );
    assert!(resp.body == big, "download corrupted");
    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("the server did not exit within 10 s of finishing the download");
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    eprintln!(
        "SIGTERM to exit, with a {} MiB download in flight: {:.2} s",
        big.len() >> 20,
        started.elapsed().as_secs_f64()
    );
}

/// A client that sends half a request and then nothing (slowloris) is disconnected within a
/// bounded time (hyper's usual header timeout is 30 s). The server runs with a 1 s
/// `--header-read-timeout`, so the client is cut off before the default 10 s would be up.
#[test]
fn slow_clients_are_cut_off() {
    let f = fixture();
    let server = Server::start(&f.index, &f.corpus, &["--header-read-timeout", "1"]);
    let mut slow = connect(&server.base);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(45)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let cut = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        cut.is_ok() && waited < Duration::from_secs(45),
        "a half-sent request was kept open for {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(10),
        "cut off after {waited:?}: the 1 s --header-read-timeout was not applied (default 10 s)"
    );
    eprintln!(
        "half-sent request cut off after {:.1} s",
        waited.as_secs_f64()
    );
}

/// SIGTERM while clients hold connections with half-sent requests: the server still exits
/// promptly, with status 0.
#[test]
fn sigterm_is_not_held_up_by_slow_clients() {
    let f = fixture();
    let mut server = Server::start(&f.index, &f.corpus, &[]);
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut s = connect(&server.base);
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            .unwrap();
        slow.push(s);
    }
    // One more client that has not sent a byte.
    slow.push(connect(&server.base));
    // The server has accepted them all: a full request on a new connection is answered after.
    assert_eq!(raw_get(&server.base, "/healthz").status, 200);
    let started = Instant::now();
    sigterm(server.pid());
    let status = server
        .wait_exit(Duration::from_secs(15))
        .expect("slow clients held up the shutdown for 15 s");
    assert!(status.success(), "{status:?}");
    eprintln!(
        "SIGTERM to exit with 5 slow clients connected: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    drop(slow);
}

/// Sends SIGTERM to process `pid` (with `kill`: the crate forbids unsafe code).
fn sigterm(pid: u32) {
    let kill = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(kill.success());
}
