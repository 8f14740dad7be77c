//! `mailauth.Resolver`: one class over both backends, with async lookups
//! (asyncio awaitables on the one shared tokio runtime) and sync ones (the
//! GIL released while waiting).

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use mailauth_core::dns::{
    CacheConfig, CacheStats, CachingResolver, DnsResolver, Fault, HickoryResolver,
    HickoryResolverBuilder, LookupResult, MemoryResolver, RecordType, Transport,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::args;
use crate::error::{BindingError, BindingResult};
use crate::records::{Answer, IntoAnswerRecords};

/// The binding's tokio runtime, shared by async and sync calls.
static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// Builds the runtime and hands it to pyo3-async-runtimes; called once, when
/// the module is imported. One worker thread: the work is DNS I/O, and
/// keeping every task on one thread spares the cross-thread wake-ups that
/// cost bulk checks most of their time (the DNSBL benchmark ran about 30%
/// faster than on pyo3-async-runtimes' default runtime of one worker per
/// core).
pub(crate) fn init_runtime() -> std::io::Result<()> {
    if RUNTIME.get().is_none() {
        let built = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("mailauth")
            .enable_all()
            .build()?;
        let runtime = RUNTIME.get_or_init(|| built);
        // Fails only when pyo3-async-runtimes already runs another runtime,
        // which then serves both.
        let _ = pyo3_async_runtimes::tokio::init_with_runtime(runtime);
    }
    Ok(())
}

/// The shared tokio runtime.
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    RUNTIME
        .get()
        .unwrap_or_else(|| pyo3_async_runtimes::tokio::get_runtime())
}

/// A DNS resolver: real nameservers (`Resolver.system`,
/// `Resolver.nameservers`) or an in-memory zone (`Resolver.from_zone`).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone)]
pub(crate) struct Resolver {
    inner: Arc<dyn DnsResolver>,
    memory: Option<Arc<MemoryResolver>>,
    description: String,
    /// How it was made: what pickles, so that another process builds its
    /// own resolver (sockets and caches do not travel).
    recipe: Recipe,
    /// The coalescing cache, for `Resolver.cached` resolvers.
    cache: Option<Arc<CachingResolver<Arc<dyn DnsResolver>>>>,
}

/// A resolver's configuration, as its constructor took it (validated).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum Recipe {
    /// `Resolver.default()` without `set_default`: the receiving process's
    /// shared system resolver.
    Default,
    /// `Resolver()` and `Resolver.system(...)`.
    System {
        timeout: f64,
        attempts: i64,
        cache: bool,
    },
    /// `Resolver.nameservers(...)`.
    Nameservers {
        servers: Vec<String>,
        transport: String,
        timeout: f64,
        attempts: i64,
        cache: bool,
        udp_sockets: i64,
        multiplex_public_servers: bool,
    },
    /// `Resolver.from_zone(...)`: the text, the faults and the latency.
    Zone {
        text: String,
        faults: Vec<(String, Option<String>, FaultSpec)>,
        latency: Option<f64>,
    },
    /// `resolver.cached(...)`: the resolver inside, and the cache's bound.
    Cached {
        inner: Box<Recipe>,
        max_entries: i64,
    },
}

/// A fault of `Resolver.from_zone`, as a value that pickles.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum FaultSpec {
    /// `"timeout"`, `"servfail"`, `"refused"`.
    Name(String),
    /// An RCODE.
    Rcode(i64),
}

/// A cache's counters as a `dict`, for `Resolver.cache_stats` and
/// `ScanStream.cache_stats`.
pub(crate) fn stats_dict(py: Python<'_>, stats: CacheStats) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("hits", stats.hits)?;
    dict.set_item("misses", stats.misses)?;
    dict.set_item("coalesced", stats.coalesced)?;
    dict.set_item("evictions", stats.evictions)?;
    dict.set_item("entries", stats.entries)?;
    Ok(dict)
}

impl serde::Serialize for Resolver {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.recipe.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Resolver {
    /// Builds a new resolver from the recipe, in this process.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let recipe = Recipe::deserialize(deserializer)?;
        Python::attach(|py| Resolver::from_recipe(py, recipe))
            .map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

/// The most attempts per lookup.
const MAX_ATTEMPTS: usize = 16;
/// The most multiplexed UDP sockets per nameserver.
const MAX_UDP_SOCKETS: usize = 64;

fn configure(
    builder: HickoryResolverBuilder,
    timeout: f64,
    attempts: i128,
    cache: bool,
) -> BindingResult<HickoryResolverBuilder> {
    Ok(builder
        .timeout(args::seconds("timeout", timeout, false)?)
        .attempts(args::range("attempts", attempts, 1..=MAX_ATTEMPTS)?)
        .cache(cache))
}

fn build(builder: HickoryResolverBuilder) -> BindingResult<HickoryResolver> {
    // hickory's runtime handle is taken from the current tokio context.
    let _guard = runtime().enter();
    Ok(builder.build()?)
}

/// An IP address given as text, parsed into `T` (`IpAddr`, or a type that
/// keeps more of the text): `Ok(None)` when `value` is not a `str`.
pub(crate) fn parse_ip_text<T: std::str::FromStr>(
    value: &Bound<'_, PyAny>,
) -> BindingResult<Option<T>> {
    let Ok(text) = value.cast::<PyString>() else {
        return Ok(None);
    };
    let text = text
        .to_cow()
        .map_err(|e| BindingError::InvalidInput(e.to_string()))?;
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| BindingError::InvalidInput(format!("invalid IP address {text:?}")))
}

/// An IP address from `str`, `ipaddress.IPv4Address` or
/// `ipaddress.IPv6Address`.
pub(crate) fn ip_from_py(ip: &Bound<'_, PyAny>) -> BindingResult<IpAddr> {
    if let Some(ip) = parse_ip_text(ip)? {
        return Ok(ip);
    }
    ip.extract::<IpAddr>().map_err(|_| {
        BindingError::InvalidInput("an IP address must be a str or an ipaddress object".into())
    })
}

impl Resolver {
    fn wrap(
        inner: Arc<dyn DnsResolver>,
        memory: Option<Arc<MemoryResolver>>,
        description: String,
        recipe: Recipe,
    ) -> Self {
        Self {
            inner,
            memory,
            description,
            recipe,
            cache: None,
        }
    }

    /// The resolver a recipe describes, built by the constructor that made
    /// it (and so validated again: a pickle is input like any other).
    fn from_recipe(py: Python<'_>, recipe: Recipe) -> PyResult<Self> {
        match recipe {
            Recipe::Default => Self::default(),
            Recipe::System {
                timeout,
                attempts,
                cache,
            } => Self::system(timeout, attempts.into(), cache),
            Recipe::Nameservers {
                servers,
                transport,
                timeout,
                attempts,
                cache,
                udp_sockets,
                multiplex_public_servers,
            } => Self::nameservers(
                servers,
                &transport,
                timeout,
                attempts.into(),
                cache,
                udp_sockets.into(),
                multiplex_public_servers,
            ),
            Recipe::Zone {
                text,
                faults,
                latency,
            } => {
                let faults = faults
                    .into_iter()
                    .map(|(name, record_type, fault)| {
                        let fault = match fault {
                            FaultSpec::Name(name) => name.into_pyobject(py)?.into_any(),
                            FaultSpec::Rcode(code) => code.into_pyobject(py)?.into_any(),
                        };
                        Ok((name, record_type, fault))
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                Self::from_zone(&text, faults, latency)
            }
            Recipe::Cached { inner, max_entries } => {
                Self::from_recipe(py, *inner)?.cached(max_entries.into())
            }
        }
    }

    /// Runs one lookup as an asyncio awaitable.
    fn spawn<'py, T, F>(
        &self,
        py: Python<'py>,
        lookup: impl FnOnce(Arc<dyn DnsResolver>) -> F,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        T: IntoAnswerRecords,
        F: Future<Output = LookupResult<T>> + Send + 'static,
    {
        let future = lookup(Arc::clone(&self.inner));
        pyo3_async_runtimes::tokio::future_into_py(
            py,
            async move { Ok(Answer::from(future.await)) },
        )
    }

    /// Runs one lookup to completion with the GIL released.
    fn block<T, F>(&self, py: Python<'_>, lookup: impl FnOnce(Arc<dyn DnsResolver>) -> F) -> Answer
    where
        T: IntoAnswerRecords,
        F: Future<Output = LookupResult<T>> + Send,
    {
        let future = lookup(Arc::clone(&self.inner));
        py.detach(|| Answer::from(runtime().block_on(future)))
    }

    /// The resolver, shared.
    pub(crate) fn dns(&self) -> Arc<dyn DnsResolver> {
        Arc::clone(&self.inner)
    }

    fn memory(&self) -> PyResult<&MemoryResolver> {
        self.memory.as_deref().ok_or_else(|| {
            BindingError::InvalidInput("query counters exist only on in-memory resolvers".into())
                .into()
        })
    }
}

/// A fault argument, with the value that pickles for it.
fn parse_fault(fault: &Bound<'_, PyAny>) -> BindingResult<(Fault, FaultSpec)> {
    if let Ok(text) = fault.extract::<String>() {
        let name = text.to_ascii_lowercase();
        let parsed = match name.as_str() {
            "timeout" => Fault::Timeout,
            "servfail" => Fault::Rcode(2),
            "refused" => Fault::Rcode(5),
            _ => {
                return Err(BindingError::InvalidInput(format!(
                    "unknown fault {text:?} (expected \"timeout\", \"servfail\", \"refused\" or an RCODE number)"
                )));
            }
        };
        return Ok((parsed, FaultSpec::Name(name)));
    }
    match args::int(fault) {
        Ok(rcode) => {
            let code = args::range("an RCODE fault", rcode, 1..=4095)?;
            Ok((Fault::Rcode(code), FaultSpec::Rcode(code.into())))
        }
        Err(_) => Err(BindingError::InvalidInput(
            "a fault is a str or an RCODE number".into(),
        )),
    }
}

/// The shared system resolver of [`Resolver::default`], built on first use.
static SYSTEM: OnceLock<Arc<HickoryResolver>> = OnceLock::new();

/// The shared system resolver, built on first use (its error says what to
/// use instead when the system configuration cannot be read).
fn shared_system() -> BindingResult<Arc<HickoryResolver>> {
    if let Some(shared) = SYSTEM.get() {
        return Ok(Arc::clone(shared));
    }
    let built = Arc::new(system_resolver()?);
    Ok(Arc::clone(SYSTEM.get_or_init(|| built)))
}

/// The resolver `Resolver.set_default` installed; `None`: the shared
/// system resolver.
static DEFAULT: RwLock<Option<Resolver>> = RwLock::new(None);

/// The resolver of checks called without `resolver=`: the one
/// `Resolver.set_default` installed, else the shared system resolver.
fn default_resolver() -> BindingResult<Resolver> {
    if let Some(chosen) = DEFAULT
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        return Ok(chosen.clone());
    }
    Ok(Resolver::wrap(
        shared_system()?,
        None,
        "system nameservers (shared)".into(),
        Recipe::Default,
    ))
}

/// The DNS a check asks: the caller's `resolver=`, else the default
/// resolver, so that every check works without one as pyspf's,
/// checkdmarc's and pydnsbl's do.
pub(crate) fn dns(resolver: Option<&Resolver>) -> BindingResult<Arc<dyn DnsResolver>> {
    match resolver {
        Some(resolver) => Ok(resolver.dns()),
        None => Ok(default_resolver()?.dns()),
    }
}

fn system_resolver() -> BindingResult<HickoryResolver> {
    build(HickoryResolver::builder()).map_err(|e| match e {
        BindingError::Resolver(e) => BindingError::SystemResolver(e),
        other => other,
    })
}

#[pymethods]
impl Resolver {
    /// The system's nameservers (`/etc/resolv.conf`) with the defaults: 5 s
    /// timeout, 2 attempts, cache on. If the system configuration cannot be
    /// read, the error says what to use instead.
    #[new]
    fn new() -> PyResult<Self> {
        Ok(Self::wrap(
            Arc::new(system_resolver()?),
            None,
            "system nameservers".into(),
            Recipe::System {
                timeout: 5.0,
                attempts: 2,
                cache: true,
            },
        ))
    }

    /// The resolver of every check called without `resolver=`: one system
    /// resolver (as `Resolver()`) shared by every caller in the process,
    /// built on first use so that its cache serves them all, unless
    /// `Resolver.set_default` chose another.
    #[staticmethod]
    fn default() -> PyResult<Self> {
        Ok(default_resolver()?)
    }

    /// Makes `resolver` the default of every check called without
    /// `resolver=` in this process (`Resolver.default()` returns it); `None`
    /// restores the shared system resolver.
    #[staticmethod]
    fn set_default(resolver: Option<&Resolver>) {
        *DEFAULT.write().unwrap_or_else(PoisonError::into_inner) = resolver.cloned();
    }

    /// A resolver using the system's nameservers (`/etc/resolv.conf`).
    #[staticmethod]
    #[pyo3(signature = (*, timeout = 5.0, attempts = 2, cache = true))]
    fn system(
        #[pyo3(from_py_with = args::float)] timeout: f64,
        #[pyo3(from_py_with = args::int)] attempts: i128,
        cache: bool,
    ) -> PyResult<Self> {
        let resolver = build(configure(
            HickoryResolver::builder(),
            timeout,
            attempts,
            cache,
        )?)?;
        Ok(Self::wrap(
            Arc::new(resolver),
            None,
            "system nameservers".into(),
            Recipe::System {
                timeout,
                attempts: args::saturating_i64(attempts),
                cache,
            },
        ))
    }

    /// A resolver asking these nameservers, each `"IP:PORT"` (IPv6 as
    /// `"[::1]:53"`) or a bare IP for port 53. `transport` is `"udp"` (with
    /// TCP fallback on truncation), `"tcp"`, or `"udp-multiplexed"`: many
    /// queries on a few long-lived UDP sockets, for bulk work such as DNSBL
    /// checks towards a trusted local resolver (no cache, no fresh source
    /// port per query; a lost query is sent again once its answer is
    /// overdue by the measured round-trip time, at least 50 ms, instead of
    /// after `timeout`). `udp_sockets` is the number of those sockets per
    /// nameserver (at least 1). The multiplexed transport asks only
    /// nameservers on loopback or a private network (its few source ports
    /// leave the 16-bit ID as the only defence against forged answers)
    /// unless `multiplex_public_servers` is true.
    #[staticmethod]
    #[pyo3(signature = (servers, *, transport = "udp", timeout = 5.0, attempts = 2, cache = true, udp_sockets = 2,
                        multiplex_public_servers = false))]
    fn nameservers(
        #[pyo3(from_py_with = args::servers)] servers: Vec<String>,
        transport: &str,
        #[pyo3(from_py_with = args::float)] timeout: f64,
        #[pyo3(from_py_with = args::int)] attempts: i128,
        cache: bool,
        #[pyo3(from_py_with = args::int)] udp_sockets: i128,
        multiplex_public_servers: bool,
    ) -> PyResult<Self> {
        let udp_sockets = args::range("udp_sockets", udp_sockets, 1..=MAX_UDP_SOCKETS)?;
        let addrs = servers
            .iter()
            .map(|s| {
                s.parse::<SocketAddr>()
                    .or_else(|_| s.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
                    .map_err(|_| {
                        BindingError::InvalidInput(format!("invalid nameserver address {s:?}"))
                    })
            })
            .collect::<BindingResult<Vec<_>>>()?;
        let transport: Transport = args::token("transport", transport)?;
        // The binding's one runtime lives as long as the process: the
        // multiplexed sockets receive on it, so an answer wakes its lookup
        // on the same thread instead of crossing from a thread of the
        // transport's own.
        let builder = HickoryResolver::builder()
            .nameservers(addrs)
            .transport(transport)
            .udp_sockets(udp_sockets)
            .multiplex_public_servers(multiplex_public_servers)
            .multiplex_on(runtime().handle().clone());
        let resolver = build(configure(builder, timeout, attempts, cache)?)?;
        let description = format!("nameservers {}", servers.join(", "));
        Ok(Self::wrap(
            Arc::new(resolver),
            None,
            description,
            Recipe::Nameservers {
                servers,
                transport: transport.as_str().to_owned(),
                timeout,
                attempts: args::saturating_i64(attempts),
                cache,
                udp_sockets: args::saturating_i64(udp_sockets as i128),
                multiplex_public_servers,
            },
        ))
    }

    /// An in-memory resolver answering from RFC 1035 zone-file text.
    ///
    /// `faults` makes some queries fail: `(name, type or None, fault)`, the
    /// type `"A"`, `"AAAA"`, `"MX"`, `"PTR"` or `"TXT"` (None: every type),
    /// the fault `"timeout"`, `"servfail"`, `"refused"` or an RCODE number.
    /// `latency` (seconds) delays every answer.
    #[staticmethod]
    #[pyo3(signature = (text, *, faults = Vec::new(), latency = None))]
    fn from_zone(
        text: &str,
        #[pyo3(from_py_with = args::faults)] faults: Vec<(
            String,
            Option<String>,
            Bound<'_, PyAny>,
        )>,
        #[pyo3(from_py_with = args::optional_float)] latency: Option<f64>,
    ) -> PyResult<Self> {
        let mut zone = MemoryResolver::from_zone_text(text).map_err(BindingError::from)?;
        let mut specs = Vec::with_capacity(faults.len());
        for (name, record_type, fault) in &faults {
            let record_type = record_type
                .as_deref()
                .map(|t| {
                    t.parse::<RecordType>()
                        .map_err(|e| BindingError::InvalidInput(format!("{e}: {t:?}")))
                })
                .transpose()?;
            let (fault, spec) = parse_fault(fault)?;
            zone.inject(name, record_type, fault)
                .map_err(|e| BindingError::InvalidInput(format!("fault name {name:?}: {e}")))?;
            specs.push((
                name.clone(),
                record_type.map(|t| t.as_str().to_owned()),
                spec,
            ));
        }
        if let Some(latency) = latency {
            zone.set_latency(args::seconds("latency", latency, true)?);
        }
        let zone = Arc::new(zone);
        Ok(Self::wrap(
            zone.clone(),
            Some(zone),
            "in-memory zone".into(),
            Recipe::Zone {
                text: text.to_owned(),
                faults: specs,
                latency,
            },
        ))
    }

    /// TXT records of `name` (awaitable).
    fn txt<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        self.spawn(py, |r| async move { r.txt(&name).await })
    }

    /// IPv4 addresses of `name` (awaitable).
    fn a<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        self.spawn(py, |r| async move { r.a(&name).await })
    }

    /// IPv6 addresses of `name` (awaitable).
    fn aaaa<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        self.spawn(py, |r| async move { r.aaaa(&name).await })
    }

    /// MX records of `name`, lowest preference first (awaitable).
    fn mx<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        self.spawn(py, |r| async move { r.mx(&name).await })
    }

    /// PTR names of `ip` (awaitable).
    fn ptr<'py>(&self, py: Python<'py>, ip: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let ip = ip_from_py(ip)?;
        self.spawn(py, move |r| async move { r.ptr(ip).await })
    }

    /// TXT records of `name`, blocking.
    fn txt_sync(&self, py: Python<'_>, name: &str) -> Answer {
        self.block(py, |r| async move { r.txt(name).await })
    }

    /// IPv4 addresses of `name`, blocking.
    fn a_sync(&self, py: Python<'_>, name: &str) -> Answer {
        self.block(py, |r| async move { r.a(name).await })
    }

    /// IPv6 addresses of `name`, blocking.
    fn aaaa_sync(&self, py: Python<'_>, name: &str) -> Answer {
        self.block(py, |r| async move { r.aaaa(name).await })
    }

    /// MX records of `name`, blocking.
    fn mx_sync(&self, py: Python<'_>, name: &str) -> Answer {
        self.block(py, |r| async move { r.mx(name).await })
    }

    /// PTR names of `ip`, blocking.
    fn ptr_sync(&self, py: Python<'_>, ip: &Bound<'_, PyAny>) -> PyResult<Answer> {
        let ip = ip_from_py(ip)?;
        Ok(self.block(py, move |r| async move { r.ptr(ip).await }))
    }

    /// In-memory resolvers: how many queries were asked.
    #[getter]
    fn query_count(&self) -> PyResult<u64> {
        Ok(self.memory()?.queries())
    }

    /// In-memory resolvers: the most queries in flight at once.
    #[getter]
    fn peak_in_flight(&self) -> PyResult<usize> {
        Ok(self.memory()?.peak_in_flight())
    }

    /// In-memory resolvers: set the counters back to zero.
    fn reset_counters(&self) -> PyResult<()> {
        self.memory()?.reset_counters();
        Ok(())
    }

    /// This resolver behind a cache shared by everything that uses the
    /// returned resolver: answers kept for their TTL (NXDOMAIN and NODATA
    /// for the negative TTL of the zone's SOA, RFC 2308), at most
    /// `max_entries` of them, and questions in flight coalesced (many
    /// concurrent checks that need one record send one query). `scan`
    /// uses one of its own unless `cache=False`.
    #[pyo3(signature = (*, max_entries = 100_000))]
    fn cached(&self, #[pyo3(from_py_with = args::int)] max_entries: i128) -> PyResult<Self> {
        let max_entries: usize = args::range("max_entries", max_entries, 0..=100_000_000)?;
        let cache = Arc::new(CachingResolver::new(
            Arc::clone(&self.inner),
            CacheConfig::default().max_entries(max_entries),
        ));
        Ok(Self {
            inner: Arc::clone(&cache) as Arc<dyn DnsResolver>,
            memory: self.memory.clone(),
            description: format!("{}, through a cache", self.description),
            recipe: Recipe::Cached {
                inner: Box::new(self.recipe.clone()),
                max_entries: args::saturating_i64(max_entries as i128),
            },
            cache: Some(cache),
        })
    }

    /// For `Resolver.cached` resolvers: the cache's counters so far
    /// (`hits`, `misses`, `coalesced`, `evictions`, `entries`); `None`
    /// otherwise.
    #[getter]
    fn cache_stats<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.cache
            .as_ref()
            .map(|cache| stats_dict(py, cache.stats()))
            .transpose()
    }

    fn __repr__(&self) -> String {
        format!("Resolver({})", self.description)
    }
}
