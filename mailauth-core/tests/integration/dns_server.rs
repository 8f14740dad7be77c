//! Starts the real DNS server for the tests and stops it when they end.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use mailauth_core::dns::{HickoryResolver, Transport};

/// The repository's test zone files, served by [`DnsServer::shared`].
pub(crate) fn test_zone_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/zones");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("zone directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "zone"))
        .collect();
    files.sort();
    files
}

/// A running Knot DNS server. Dropping it (or ending the test process, since
/// the script watches its standard input) stops knotd by its PID.
pub(crate) struct DnsServer {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Where the server listens, UDP and TCP.
    pub(crate) addr: SocketAddr,
}

impl DnsServer {
    /// Starts a server for these zone files (`[DOMAIN=]FILE`, as the script
    /// takes them) and waits until every zone answers.
    pub(crate) fn start(zones: &[String]) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/dns-test-server.sh");
        let mut child = Command::new("bash")
            .arg(&script)
            .args(zones)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the server's ready line");
        let port: u16 = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the DNS server did not start (said {line:?})"));
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        }
    }

    /// One server for the whole test binary, serving [`test_zone_files`];
    /// every name under `slow.mailauth.test` answers SERVFAIL, and none
    /// under `silent.mailauth.test` answers at all.
    pub(crate) fn shared() -> &'static Self {
        static SERVER: OnceLock<DnsServer> = OnceLock::new();
        SERVER.get_or_init(|| {
            let mut args: Vec<String> = [
                "--servfail",
                "slow.mailauth.test",
                "--silent",
                "silent.mailauth.test",
            ]
            .map(String::from)
            .into();
            args.extend(test_zone_files().iter().map(|p| p.display().to_string()));
            Self::start(&args)
        })
    }

    /// A resolver asking this server only, over `transport`, without cache.
    pub(crate) fn resolver(&self, transport: Transport) -> HickoryResolver {
        self.resolver_with(transport, Duration::from_secs(2), 2)
    }

    /// A resolver with this timeout and number of attempts.
    pub(crate) fn resolver_with(
        &self,
        transport: Transport,
        timeout: Duration,
        attempts: usize,
    ) -> HickoryResolver {
        HickoryResolver::builder()
            .nameservers([self.addr])
            .transport(transport)
            .timeout(timeout)
            .attempts(attempts)
            .cache(false)
            .build()
            .expect("build the hickory resolver")
    }
}

/// Tests that load the shared server hard and tests that wait for one of its
/// answers against a short timeout must not overlap: in CI a timeout test
/// failed, its answer later than 300 ms, most likely under the 50,000
/// queries of a neighbouring test. Hard loaders hold [`heavy_load`], short-timeout tests
/// hold [`timed`]; any number of the latter run together. The two cores
/// are shared too: a test that keeps servers of its own busy (the RFC 7208
/// suite through Knot) holds [`timed`], since beside it the hard loaders'
/// answers came later than their 10-second timeout.
static LOAD: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// Held while a test sends the shared server sustained load.
pub(crate) async fn heavy_load() -> tokio::sync::RwLockWriteGuard<'static, ()> {
    LOAD.write().await
}

/// Held while a test needs the shared server's answers within a short timeout.
pub(crate) async fn timed() -> tokio::sync::RwLockReadGuard<'static, ()> {
    LOAD.read().await
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
