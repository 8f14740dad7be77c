//! The project's test DNS server (Knot, started by
//! `scripts/dns-test-server.sh`) for the examples' tests and the
//! benchmarks. It stops when dropped (or when this process ends: the script
//! watches its standard input).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server.
pub struct TestDnsServer {
    child: Child,
    /// Where it listens, UDP and TCP.
    pub addr: SocketAddr,
}

impl TestDnsServer {
    /// Starts a server for these zones (`[DOMAIN=]FILE`, as the script
    /// takes them; `.=FILE` serves a root zone) and waits until every zone
    /// answers.
    pub fn start(zones: &[String]) -> Result<Self, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/dns-test-server.sh");
        let mut child = Command::new("bash")
            .arg(&script)
            .args(zones)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let stdout = child.stdout.take().ok_or("no standard output")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("reading the ready line: {e}"))?;
        let port: u16 = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .ok_or_else(|| format!("the DNS server did not start (said {line:?})"))?;
        Ok(Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        })
    }
}

impl Drop for TestDnsServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
