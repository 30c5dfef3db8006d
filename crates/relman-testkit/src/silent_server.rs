//! [`SilentServer`]: a TCP listener on 127.0.0.1 that accepts every connection, reads what comes,
//! and never answers. The service that hangs: a client must give up by its own deadline. It
//! counts the connections it accepted and stops (closing them all) when dropped.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A server that accepts and never answers.
#[derive(Debug)]
pub struct SilentServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SilentServer {
    pub fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener
            .local_addr()
            .expect("the listener's address")
            .port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (accepted, stop) = (Arc::clone(&accepted), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut held: Vec<TcpStream> = Vec::new();
                let mut buffer = [0u8; 4096];
                while !stop.load(Ordering::Relaxed) {
                    if let Ok((stream, _)) = listener.accept() {
                        let _ = stream.set_nonblocking(true);
                        accepted.fetch_add(1, Ordering::Relaxed);
                        held.push(stream);
                    }
                    // Drain what clients send, so they are never blocked writing.
                    for stream in &mut held {
                        let _ = stream.read(&mut buffer);
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        };
        SilentServer {
            port,
            accepted,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
