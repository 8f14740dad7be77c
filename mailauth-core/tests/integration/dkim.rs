//! DKIM key lookups through the real DNS server (RFC 6376 §6.1.2), over
//! UDP and TCP: the RFC 8463 example passes, and each DNS outcome gives the
//! result §6.1.2 asks for.

use mailauth_core::auth::{AuthConfig, Envelope, authenticate};
use mailauth_core::dkim::{DkimConfig, DkimReason, DkimResult, verify};
use mailauth_core::dns::Transport;

use crate::dns_server::DnsServer;

const MESSAGE: &str = include_str!("../data/dkim/rfc8463-a3.eml");

/// The example with the Ed25519 signature's selector and domain replaced:
/// its key lookup then meets the given DNS outcome.
fn with_ed25519_key_at(selector: &str, domain: &str) -> String {
    MESSAGE.replacen(
        "d=football.example.com; i=@football.example.com;\n q=dns/txt; s=brisbane;",
        &format!("d={domain}; i=@{domain};\n q=dns/txt; s={selector};"),
        1,
    )
}

#[tokio::test]
async fn the_rfc_8463_example_over_udp_and_tcp() {
    for transport in [Transport::UdpWithTcpFallback, Transport::Tcp] {
        let dns = DnsServer::shared().resolver(transport);
        let out = verify(&dns, MESSAGE.as_bytes(), &DkimConfig::default()).await;
        let results: Vec<DkimResult> = out.signatures.iter().map(|s| s.result).collect();
        assert_eq!(
            results,
            [DkimResult::Pass, DkimResult::Pass],
            "{transport:?}: {out:?}"
        );
    }
}

#[tokio::test]
async fn dns_outcomes_of_the_key_lookup() {
    let dns = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let cases = [
        (
            "nokey",
            "football.example.com",
            DkimResult::PermError,
            DkimReason::NoKey,
        ),
        (
            "junk",
            "football.example.com",
            DkimResult::PermError,
            DkimReason::KeySyntax,
        ),
        (
            "revoked",
            "football.example.com",
            DkimResult::PermError,
            DkimReason::KeyRevoked,
        ),
        (
            "s",
            "x.slow.mailauth.test",
            DkimResult::TempError,
            DkimReason::KeyUnavailable,
        ),
    ];
    for (selector, domain, result, reason) in cases {
        let message = with_ed25519_key_at(selector, domain);
        let out = verify(&dns, message.as_bytes(), &DkimConfig::default()).await;
        let first = &out.signatures[0];
        assert_eq!(
            (first.result, first.reason),
            (result, reason),
            "{selector}._domainkey.{domain}: {first:?}"
        );
        // The other signature is untouched by the first's key.
        assert_eq!(out.signatures[1].result, DkimResult::Pass);
    }
}

/// The whole message through the real server: SPF, both signatures,
/// DMARC and the field.
#[tokio::test]
async fn a_whole_message_through_the_server() {
    let dns = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let envelope = Envelope::new(
        "192.0.2.1".parse().expect("ip"),
        "mail.football.example.com",
        "joe@football.example.com",
    );
    let out = authenticate(
        &dns,
        MESSAGE.as_bytes(),
        &envelope,
        &AuthConfig::new("mx.example.net"),
    )
    .await;
    let field = out.authentication_results();
    assert!(
        field.contains("spf=pass smtp.mailfrom=joe@football.example.com"),
        "{field}"
    );
    assert_eq!(field.matches("dkim=pass").count(), 2, "{field}");
    assert!(
        field.contains("dmarc=pass header.from=football.example.com policy.dmarc=reject"),
        "{field}"
    );
}
