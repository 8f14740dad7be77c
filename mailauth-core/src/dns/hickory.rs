//! The network backend: [`DnsResolver`] over hickory-resolver on tokio.
//!
//! Names are always sent absolute, so no search domain or `ndots` rule ever
//! applies; the hosts file is never read. Over UDP, a truncated answer is
//! asked again over TCP (RFC 7766 §5). Each lookup is bounded by the
//! per-query timeout times the number of attempts, whatever the network
//! does, so a lookup never hangs.
//!
//! hickory-resolver answers some special-use names of RFC 6761 itself,
//! without asking any nameserver: `localhost` and the reverse names of the
//! loopback addresses (PTR of 127.0.0.1 is `localhost`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use async_trait::async_trait;
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ProtocolConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType as HickoryType};

#[cfg(feature = "udp-mux")]
use super::mux::UdpMux;

use super::name::{reverse_name, validate_name};
use super::{
    Answer, AnyRecords, DnsResolver, LookupError, LookupResult, Mx, Question, Records,
    ServerFailure, Txt, sort_mx,
};

/// The transports a [`HickoryResolver`] asks over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// UDP first, TCP when the UDP answer is truncated (RFC 7766 §5).
    #[default]
    UdpWithTcpFallback,
    /// TCP only (RFC 7766).
    Tcp,
    /// UDP on a few long-lived sockets, many queries in flight on each,
    /// answers matched by random ID and question; truncated answers go to
    /// TCP. A lost query is sent again once its answer is overdue by the
    /// measured round-trip time, not after a whole timeout. Several times
    /// faster than [`Self::UdpWithTcpFallback`] for bulk work (DNSBL
    /// checks), but without a fresh source port per query
    /// (RFC 5452 §9.2) and without hickory's cache: meant for a resolver
    /// on a trusted path, such as the local recursive resolver a DNSBL
    /// user needs anyway, and refused for any other nameserver unless
    /// [`HickoryResolverBuilder::multiplex_public_servers`] allows it. Its
    /// sockets live on a thread of their own, so lookups work from any
    /// tokio runtime, whichever made the first. Needs the `udp-mux`
    /// feature (a default one); without it, building such a resolver is an
    /// error.
    UdpMultiplexed,
}

crate::token::tokens! {
    Transport "transport" {
        UdpWithTcpFallback = "udp",
        Tcp = "tcp",
        UdpMultiplexed = "udp-multiplexed",
    }
}

/// The resolver could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolverError {
    /// The system's resolver configuration (`/etc/resolv.conf`) could not
    /// be read.
    #[error("cannot read the system resolver configuration")]
    SystemConfig(#[source] NetError),
    /// No nameserver was given, or the system configuration lists none.
    #[error("no nameservers configured")]
    NoNameservers,
    /// A timeout of zero, zero attempts, or a timeout times attempts past
    /// what the clock can count.
    #[error("invalid option: {0}")]
    InvalidOption(&'static str),
    /// hickory-resolver refused the configuration.
    #[error("cannot build the resolver")]
    Build(#[source] NetError),
    /// [`Transport::UdpMultiplexed`] towards a nameserver that is not on
    /// loopback or a private network, without
    /// [`HickoryResolverBuilder::multiplex_public_servers`].
    #[error(
        "the multiplexed UDP transport asks only nameservers on loopback or a private network, not {0} (see multiplex_public_servers)"
    )]
    PublicMultiplexed(SocketAddr),
}

/// Builds a [`HickoryResolver`]: nameservers, transport, timeout, attempts
/// and cache.
#[derive(Clone, Debug)]
pub struct HickoryResolverBuilder {
    nameservers: Option<Vec<SocketAddr>>,
    transport: Transport,
    timeout: Duration,
    attempts: usize,
    cache: bool,
    max_in_flight: usize,
    udp_sockets: usize,
    multiplex_public: bool,
    mux_runtime: Option<tokio::runtime::Handle>,
}

impl Default for HickoryResolverBuilder {
    fn default() -> Self {
        Self {
            nameservers: None,
            transport: Transport::default(),
            timeout: Duration::from_secs(5),
            attempts: 2,
            cache: true,
            max_in_flight: 512,
            udp_sockets: 2,
            multiplex_public: false,
            mux_runtime: None,
        }
    }
}

impl HickoryResolverBuilder {
    /// Ask these nameservers (any port) instead of the system's.
    pub fn nameservers(mut self, servers: impl IntoIterator<Item = SocketAddr>) -> Self {
        self.nameservers = Some(servers.into_iter().collect());
        self
    }

    /// The transport; [`Transport::UdpWithTcpFallback`] by default.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// How long one attempt waits for an answer; 5 s by default. A lookup
    /// gives up after `timeout` times [`attempts`](Self::attempts). With
    /// [`Transport::UdpMultiplexed`], an attempt sends the query again
    /// whenever the answer is overdue by the measured round-trip time
    /// (RFC 6298's estimator, at least 50 ms, doubled each time, at most 4
    /// sendings), and an answer to any sending counts.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a query is sent before it times out; 2 by default.
    pub fn attempts(mut self, attempts: usize) -> Self {
        self.attempts = attempts;
        self
    }

    /// Whether answers are cached (by their TTL); on by default. Tests and
    /// diagnostics that must see every change turn it off.
    pub fn cache(mut self, enabled: bool) -> Self {
        self.cache = enabled;
        self
    }

    /// The most queries in flight at once on one TCP connection; 512 by
    /// default (hickory's own default, 32, makes bulk checks such as DNSBL
    /// fail with "busy" past 32 concurrent queries).
    pub fn max_in_flight(mut self, queries: usize) -> Self {
        self.max_in_flight = queries;
        self
    }

    /// For [`Transport::UdpMultiplexed`]: the sockets per nameserver; 2 by
    /// default. More sockets reach more of a server's threads (a Linux
    /// server with `SO_REUSEPORT` hashes each socket to one), which cost
    /// more than they gave on 2 CPUs: the `dnsbl-throughput` benchmark
    /// against Knot made 115k to 165k queries/s with 1 or 2 sockets and 57k
    /// to 97k with 4.
    pub fn udp_sockets(mut self, sockets: usize) -> Self {
        self.udp_sockets = sockets;
        self
    }

    /// For [`Transport::UdpMultiplexed`]: also ask nameservers that are
    /// not on loopback or a private network; off by default.
    ///
    /// Why: all queries of the multiplexed transport leave from a few
    /// long-lived source ports, so a forged answer needs only the right
    /// 16-bit ID and the (predictable) question, one chance in 65,536 per
    /// datagram instead of about one in 2^32 with a fresh random port per
    /// query (RFC 5452 §9.2, §10). An off-path attacker on the internet
    /// cannot send datagrams that appear to come from a loopback or
    /// private address across the network's edge, so towards such a
    /// resolver the IDs suffice; towards a public one they do not.
    /// Loopback is 127.0.0.0/8 and ::1; private is 10.0.0.0/8,
    /// 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, fc00::/7 and
    /// fe80::/10.
    pub fn multiplex_public_servers(mut self, allow: bool) -> Self {
        self.multiplex_public = allow;
        self
    }

    /// For [`Transport::UdpMultiplexed`]: run the sockets' receiving tasks
    /// on this runtime instead of on a thread of the transport's own.
    ///
    /// Why: with a thread of its own, every answer is handed from that
    /// thread to the task waiting on the caller's runtime: a wake-up across
    /// threads per answer, and one more thread for the scheduler to place
    /// beside the caller's and the server's. On a small machine that
    /// placement decides the rate: the `dnsbl-throughput` benchmark ranged
    /// over 1.6x between runs of the same code. On the caller's runtime the
    /// answer wakes its task on the same thread. Give the runtime that will
    /// run the lookups, and only one that lives as long as the resolver
    /// (when it shuts down, the sockets stop receiving and lookups time
    /// out); without it (the default), the transport's own thread serves
    /// lookups from any runtime.
    pub fn multiplex_on(mut self, runtime: tokio::runtime::Handle) -> Self {
        self.mux_runtime = Some(runtime);
        self
    }

    /// Builds the resolver. Without explicit nameservers, the system
    /// configuration gives them, but its search domains and `ndots` are
    /// ignored. Needs no runtime; lookups need a tokio runtime.
    pub fn build(self) -> Result<HickoryResolver, ResolverError> {
        if self.timeout.is_zero() {
            return Err(ResolverError::InvalidOption("timeout must be above zero"));
        }
        if self.attempts == 0 {
            return Err(ResolverError::InvalidOption("attempts must be at least 1"));
        }
        // Every lookup adds timeout × attempts to the clock: it must fit.
        let Some(deadline) = u32::try_from(self.attempts)
            .ok()
            .and_then(|n| self.timeout.checked_mul(n))
            .filter(|total| std::time::Instant::now().checked_add(*total).is_some())
        else {
            return Err(ResolverError::InvalidOption(
                "timeout times attempts is longer than the clock can count",
            ));
        };
        if self.udp_sockets == 0 {
            return Err(ResolverError::InvalidOption(
                "udp_sockets must be at least 1",
            ));
        }
        if self.max_in_flight == 0 {
            return Err(ResolverError::InvalidOption(
                "max_in_flight must be at least 1",
            ));
        }
        let addresses = match &self.nameservers {
            Some(servers) => servers.clone(),
            None => {
                let (config, _) = hickory_resolver::system_conf::read_system_conf()
                    .map_err(ResolverError::SystemConfig)?;
                let (_, _, servers) = config.into_parts();
                servers
                    .into_iter()
                    .map(|ns| SocketAddr::new(ns.ip, 53))
                    .collect::<Vec<_>>()
            }
        };
        if addresses.is_empty() {
            return Err(ResolverError::NoNameservers);
        }
        if cfg!(not(feature = "udp-mux")) && self.transport == Transport::UdpMultiplexed {
            return Err(ResolverError::InvalidOption(
                "the multiplexed UDP transport needs the udp-mux feature",
            ));
        }
        if self.transport == Transport::UdpMultiplexed
            && !self.multiplex_public
            && let Some(public) = addresses.iter().find(|a| !is_trusted_path(a.ip()))
        {
            return Err(ResolverError::PublicMultiplexed(*public));
        }
        let servers = addresses
            .iter()
            .map(|addr| self.nameserver(*addr))
            .collect();
        let mut options = ResolverOpts::default();
        options.ndots = 0;
        options.timeout = self.timeout;
        options.attempts = self.attempts;
        options.cache_size = if self.cache { options.cache_size } else { 0 };
        options.use_hosts_file = ResolveHosts::Never;
        options.preserve_intermediates = false;
        options.max_active_requests = self.max_in_flight;
        let config = ResolverConfig::from_name_servers(servers);
        let resolver = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(options)
            .build()
            .map_err(ResolverError::Build)?;
        let description = format!(
            "{} {} ({})",
            if self.nameservers.is_some() {
                "nameservers"
            } else {
                "the system's nameservers"
            },
            addresses
                .iter()
                .map(SocketAddr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            match self.transport {
                Transport::UdpWithTcpFallback => "UDP, TCP fallback",
                Transport::Tcp => "TCP",
                Transport::UdpMultiplexed => "multiplexed UDP",
            }
        );
        #[cfg(feature = "udp-mux")]
        let mux = (self.transport == Transport::UdpMultiplexed).then(|| {
            std::sync::Arc::new(UdpMux::new(
                addresses,
                self.udp_sockets,
                self.timeout,
                self.attempts,
                deadline,
                self.mux_runtime.clone(),
            ))
        });
        Ok(HickoryResolver {
            resolver,
            description,
            #[cfg(feature = "udp-mux")]
            mux,
            deadline,
        })
    }

    fn nameserver(&self, addr: SocketAddr) -> NameServerConfig {
        let connection = |protocol| {
            let mut connection = ConnectionConfig::new(protocol);
            connection.port = addr.port();
            connection
        };
        let connections = match self.transport {
            Transport::UdpWithTcpFallback => {
                vec![
                    connection(ProtocolConfig::Udp),
                    connection(ProtocolConfig::Tcp),
                ]
            }
            // The multiplexed transport asks hickory only for truncated
            // answers, over TCP.
            Transport::Tcp | Transport::UdpMultiplexed => vec![connection(ProtocolConfig::Tcp)],
        };
        NameServerConfig::new(addr.ip(), true, connections)
    }
}

/// A [`DnsResolver`] that asks real nameservers through hickory-resolver.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use mailauth_core::dns::{DnsResolver, HickoryResolver};
///
/// let resolver = HickoryResolver::builder()
///     .nameservers(["127.0.0.1:5353".parse()?])
///     .timeout(Duration::from_secs(2))
///     .cache(false)
///     .build()?;
/// let records = resolver.txt("_dmarc.example.com").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HickoryResolver {
    resolver: TokioResolver,
    /// What [`DnsResolver::description`] says.
    description: String,
    #[cfg(feature = "udp-mux")]
    mux: Option<std::sync::Arc<UdpMux>>,
    deadline: Duration,
}

impl std::fmt::Debug for HickoryResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HickoryResolver")
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl HickoryResolver {
    /// A builder with the defaults: system nameservers, UDP with TCP
    /// fallback, 5 s timeout, 2 attempts, cache on.
    pub fn builder() -> HickoryResolverBuilder {
        HickoryResolverBuilder::default()
    }

    /// A resolver from the system configuration with the defaults.
    pub fn system() -> Result<Self, ResolverError> {
        Self::builder().build()
    }

    /// Sends one query and returns the records `extract` picks from the
    /// answer (CNAMEs and other types are left out; never empty), with how
    /// long the answer may be kept (see [`DnsResolver::answer`]).
    async fn query<T>(
        &self,
        name: &str,
        record_type: HickoryType,
        extract: impl Fn(&RData) -> Option<T>,
    ) -> (Result<Vec<T>, LookupError>, Option<u32>) {
        let name = match validate_name(name) {
            Ok(name) => name,
            Err(e) => return (Err(e.into()), None),
        };
        #[cfg_attr(not(feature = "udp-mux"), allow(unused_mut))]
        let mut deadline = self.deadline;
        #[cfg(feature = "udp-mux")]
        if let Some(mux) = &self.mux {
            let start = std::time::Instant::now();
            // Bounded by the timeout times the attempts itself.
            let response = match mux.lookup(name, record_type).await {
                Ok(response) => response,
                Err(e) => return (Err(e), None),
            };
            // A truncated answer is asked again over TCP (RFC 7766 §5),
            // within what is left of the lookup's time.
            if !response.truncated {
                // The multiplexed transport reads no authority section, so
                // it knows no negative-caching TTL.
                let ttl = response.answers.iter().map(|r| r.ttl).min();
                return (records(response.code, &response.answers, extract), ttl);
            }
            deadline = deadline.saturating_sub(start.elapsed());
        }
        let name = match absolute_name(name) {
            Ok(name) => name,
            Err(e) => return (Err(e), None),
        };
        let lookup =
            match tokio::time::timeout(deadline, self.resolver.lookup(name, record_type)).await {
                Err(_) => return (Err(LookupError::Timeout), None),
                Ok(Err(e)) => return (Err(map_error(&e)), negative_ttl(&e)),
                Ok(Ok(lookup)) => lookup,
            };
        // Hickory's own cache counts the TTL down; valid_until says what is left.
        let left = lookup
            .valid_until()
            .saturating_duration_since(std::time::Instant::now());
        let ttl = u32::try_from(left.as_secs()).unwrap_or(u32::MAX);
        let found = records(
            lookup.message().metadata.response_code,
            lookup.answers(),
            extract,
        );
        (found, Some(ttl))
    }
}

/// The records `extract` picks from an answer section (CNAMEs and other
/// types are left out). Without any: NXDOMAIN when the RCODE says so (RFC
/// 6604: about the chain's last name), otherwise NODATA. An error RCODE is
/// a server failure.
fn records<T>(
    code: ResponseCode,
    answers: &[Record],
    extract: impl Fn(&RData) -> Option<T>,
) -> Result<Vec<T>, LookupError> {
    if !matches!(code, ResponseCode::NoError | ResponseCode::NXDomain) {
        return Err(LookupError::ServerFailure(ServerFailure::Rcode(
            code.into(),
        )));
    }
    let found: Vec<T> = answers.iter().filter_map(|r| extract(&r.data)).collect();
    match (found.is_empty(), code) {
        (false, _) => Ok(found),
        (true, ResponseCode::NXDomain) => Err(LookupError::NxDomain),
        (true, _) => Err(LookupError::NoData),
    }
}

/// Whether `ip` is on loopback or a private network, where the
/// multiplexed transport may ask (see
/// [`HickoryResolverBuilder::multiplex_public_servers`]).
fn is_trusted_path(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_trusted_path(IpAddr::V4(v4)),
            None => v6.is_loopback() || v6.is_unique_local() || v6.is_unicast_link_local(),
        },
    }
}

/// A validated name as hickory's absolute [`Name`], each label kept as raw
/// octets (no IDNA mapping, underscores and any other octet allowed).
fn absolute_name(name: &str) -> Result<Name, LookupError> {
    let mut name = Name::from_labels(name.split('.').map(str::as_bytes))
        .map_err(|e| LookupError::ServerFailure(ServerFailure::Protocol(e.to_string())))?;
    name.set_fqdn(true);
    Ok(name)
}

/// Joins the labels of a name from an answer, without the trailing dot.
fn name_text(name: &Name) -> String {
    let labels: Vec<_> = name.iter().map(String::from_utf8_lossy).collect();
    labels.join(".")
}

/// The negative-caching TTL of an NXDOMAIN or NODATA answer.
fn negative_ttl(error: &NetError) -> Option<u32> {
    match error {
        NetError::Dns(DnsError::NoRecordsFound(no_records)) => no_records.negative_ttl,
        _ => None,
    }
}

/// Sorts hickory's errors into the DNS outcomes of [`LookupError`].
fn map_error(error: &NetError) -> LookupError {
    match error {
        NetError::Dns(DnsError::NoRecordsFound(no_records)) => match no_records.response_code {
            ResponseCode::NXDomain => LookupError::NxDomain,
            ResponseCode::NoError => LookupError::NoData,
            code => LookupError::ServerFailure(ServerFailure::Rcode(code.into())),
        },
        NetError::Dns(DnsError::ResponseCode(code)) => {
            LookupError::ServerFailure(ServerFailure::Rcode((*code).into()))
        }
        // Nothing answered: the deadline passed, or no nameserver could be
        // reached (connection refused, network unreachable, all busy).
        NetError::Timeout | NetError::Io(_) | NetError::NoConnections | NetError::Busy => {
            LookupError::Timeout
        }
        other => LookupError::ServerFailure(ServerFailure::Protocol(other.to_string())),
    }
}

/// What each query type keeps of an answer's records.
fn txt_data(data: &RData) -> Option<Txt> {
    match data {
        RData::TXT(txt) => Some(Txt::new(txt.txt_data.iter().cloned())),
        _ => None,
    }
}

fn a_data(data: &RData) -> Option<Ipv4Addr> {
    match data {
        RData::A(a) => Some(a.0),
        _ => None,
    }
}

fn aaaa_data(data: &RData) -> Option<Ipv6Addr> {
    match data {
        RData::AAAA(aaaa) => Some(aaaa.0),
        _ => None,
    }
}

fn mx_data(data: &RData) -> Option<Mx> {
    match data {
        RData::MX(mx) => Some(Mx {
            preference: mx.preference,
            exchange: name_text(&mx.exchange),
        }),
        _ => None,
    }
}

fn ptr_data(data: &RData) -> Option<String> {
    match data {
        RData::PTR(ptr) => Some(name_text(&ptr.0)),
        _ => None,
    }
}

/// An answer from what [`HickoryResolver::query`] returns.
fn answer<T>(
    (found, ttl): (Result<Vec<T>, LookupError>, Option<u32>),
    wrap: fn(Records<T>) -> AnyRecords,
) -> Answer {
    Answer::new(found.map(|records| wrap(records.into())), ttl)
}

#[async_trait]
impl DnsResolver for HickoryResolver {
    async fn txt(&self, name: &str) -> LookupResult<Txt> {
        self.answer(Question::Txt(name))
            .await
            .typed(AnyRecords::into_txt)
    }

    async fn a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.answer(Question::A(name))
            .await
            .typed(AnyRecords::into_a)
    }

    async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.answer(Question::Aaaa(name))
            .await
            .typed(AnyRecords::into_aaaa)
    }

    async fn mx(&self, name: &str) -> LookupResult<Mx> {
        self.answer(Question::Mx(name))
            .await
            .typed(AnyRecords::into_mx)
    }

    async fn ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.answer(Question::Ptr(ip))
            .await
            .typed(AnyRecords::into_ptr)
    }

    /// With the TTL hickory reports: what its own cache has left of the
    /// records' TTL, or the negative-caching TTL of NXDOMAIN and NODATA
    /// from the SOA of the authority section (RFC 2308 §5).
    async fn answer(&self, question: Question<'_>) -> Answer {
        match question {
            Question::Txt(name) => answer(
                self.query(name, HickoryType::TXT, txt_data).await,
                AnyRecords::Txt,
            ),
            Question::A(name) => answer(
                self.query(name, HickoryType::A, a_data).await,
                AnyRecords::A,
            ),
            Question::Aaaa(name) => answer(
                self.query(name, HickoryType::AAAA, aaaa_data).await,
                AnyRecords::Aaaa,
            ),
            Question::Mx(name) => {
                let (mut found, ttl) = self.query(name, HickoryType::MX, mx_data).await;
                if let Ok(records) = &mut found {
                    sort_mx(records);
                }
                answer((found, ttl), AnyRecords::Mx)
            }
            Question::Ptr(ip) => {
                let name = reverse_name(ip).to_string();
                answer(
                    self.query(&name, HickoryType::PTR, ptr_data).await,
                    AnyRecords::Ptr,
                )
            }
        }
    }

    fn description(&self) -> String {
        self.description.clone()
    }
}

/// Fuzzing (`mailauth_core::fuzzing::mux_response`): `data` read as the
/// multiplexed transport reads a UDP response to one of its queries, then
/// as every query type keeps its records. Never a panic; what a lookup
/// returns is records or a DNS outcome.
#[cfg(feature = "udp-mux")]
pub(crate) fn fuzz_mux_response(data: &[u8]) {
    for (code, answers) in super::mux::fuzz_responses(data) {
        let _ = records(code, &answers, txt_data);
        let _ = records(code, &answers, a_data);
        let _ = records(code, &answers, aaaa_data);
        let _ = records(code, &answers, ptr_data);
        if let Ok(mut mx) = records(code, &answers, mx_data) {
            sort_mx(&mut mx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options the clock cannot count are refused, never a panic later
    /// (`Instant + timeout × attempts`).
    #[test]
    fn extreme_options_are_refused() {
        let local = SocketAddr::from(([127, 0, 0, 1], 53));
        let build = |timeout: Duration, attempts: usize| {
            HickoryResolver::builder()
                .nameservers([local])
                .timeout(timeout)
                .attempts(attempts)
                .build()
        };
        for (timeout, attempts) in [
            (Duration::MAX, 1),
            (Duration::from_secs(u64::MAX / 2), 3),
            (Duration::from_secs(1), usize::MAX),
        ] {
            let error = build(timeout, attempts).err();
            assert!(
                matches!(error, Some(ResolverError::InvalidOption(_))),
                "{timeout:?} x {attempts}: {error:?}"
            );
        }
        assert!(build(Duration::from_secs(5), 2).is_ok());
    }
}
