//! The resolver options the examples share: `--zone FILE`, `--dns IP:PORT`,
//! `--system`, and the bundled demo zone when none is given.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mailauth_core::dns::{DnsResolver, HickoryResolver, MemoryResolver};

/// A resolver and a description of where its answers come from.
pub struct ResolverChoice {
    /// The resolver.
    pub resolver: Arc<dyn DnsResolver>,
    /// For the output: "zone file x", "nameserver 127.0.0.1:53", ...
    pub source: String,
}

/// The usage text of the resolver options.
pub const RESOLVER_USAGE: &str = "[--zone FILE | --dns IP:PORT | --system]";

/// Reads a resolver option: `None` when `flag` is not one, else the
/// resolver or what is wrong with the option's argument.
pub fn resolver_option(
    flag: &str,
    args: &mut impl Iterator<Item = String>,
) -> Option<Result<ResolverChoice, String>> {
    let choice = match flag {
        "--zone" => (|| {
            let path = args.next().ok_or("--zone needs a file")?;
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let zone = MemoryResolver::from_zone_text(&text).map_err(|e| format!("{path}: {e}"))?;
            Ok(ResolverChoice {
                resolver: Arc::new(zone),
                source: format!("zone file {path}"),
            })
        })(),
        "--dns" => (|| {
            let addr = args.next().ok_or("--dns needs IP:PORT")?;
            let addr: SocketAddr = addr
                .parse()
                .map_err(|_| format!("invalid IP:PORT {addr:?}"))?;
            let hickory = HickoryResolver::builder()
                .nameservers([addr])
                .timeout(Duration::from_secs(3))
                .build()
                .map_err(|e| e.to_string())?;
            Ok(ResolverChoice {
                resolver: Arc::new(hickory),
                source: format!("nameserver {addr}"),
            })
        })(),
        "--system" => HickoryResolver::system()
            .map(|hickory| ResolverChoice {
                resolver: Arc::new(hickory),
                source: "system nameservers".into(),
            })
            .map_err(|e| e.to_string()),
        _ => return None,
    };
    Some(choice)
}

/// The bundled demo zone, offline.
pub fn demo_resolver() -> Result<ResolverChoice, String> {
    let mut zone = MemoryResolver::from_zone_text(mailauth_doctor::demo::ZONE)
        .map_err(|e| format!("demo zone: {e}"))?;
    zone.set_description(mailauth_doctor::demo::DESCRIPTION);
    Ok(ResolverChoice {
        resolver: Arc::new(zone),
        source: mailauth_doctor::demo::DESCRIPTION.into(),
    })
}
