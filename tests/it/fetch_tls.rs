//! TLS certificates are verified: a local HTTPS server on 127.0.0.1 with a self-signed
//! certificate (made by `rcgen` at test time, served by `rustls`) is refused with one
//! `TLS failed` line naming the URL, and no request is ever sent to it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use threadr::fetch::{Client, Control, FetchError, FetchSettings, Progress, fetch, route};

/// Serves one connection over TLS with a self-signed certificate for 127.0.0.1; records
/// the request line, if the client ever gets as far as sending one.
fn self_signed_server() -> (u16, Arc<Mutex<Option<String>>>) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("a certificate");
    let cert = made.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(None));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut tcp) = stream else { continue };
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
            let Ok(mut conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                continue;
            };
            let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
            let mut line = String::new();
            if BufReader::new(&mut tls).read_line(&mut line).is_ok() && !line.is_empty() {
                *record.lock().unwrap() = Some(line);
                let _ = tls.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
                );
            }
        }
    });
    (port, seen)
}

#[test]
fn a_self_signed_certificate_is_refused() {
    let (port, seen) = self_signed_server();
    let url = format!("https://127.0.0.1:{port}/thread.txt");
    let client = Client::new(FetchSettings {
        timeout: Duration::from_secs(5),
        pace: Duration::ZERO,
        ..FetchSettings::default()
    });
    let cancel = AtomicBool::new(false);
    let mut progress = |_: Progress| {};
    let mut ctl = Control {
        cancel: &cancel,
        progress: &mut progress,
    };
    let e = fetch(&route::parse(&url).unwrap(), &client, &mut ctl).unwrap_err();
    assert!(matches!(e, FetchError::Tls { .. }), "{e:?}");
    let line = e.to_string();
    assert!(line.starts_with(&url), "{line}");
    assert!(line.contains("TLS failed"), "{line}");
    assert!(
        line.to_ascii_lowercase().contains("certificate"),
        "says why: {line}"
    );
    assert!(!line.contains('\n'));
    assert!(!cancel.load(Ordering::Relaxed));
    assert_eq!(*seen.lock().unwrap(), None, "no request reached the server");
}
