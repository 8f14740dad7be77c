//! iprev, HELO and mail-domain checks against the real DNS server.

use std::net::IpAddr;

use mailauth_core::dns::Transport;
use mailauth_core::helo::{CheckStatus, check_helo};
use mailauth_core::iprev::{ForwardOutcome, IprevConfig, IprevResult, PeerStatus, iprev};
use mailauth_core::maildomain::{AddressRole, MailDomainStatus, check_mail_domain};

use crate::dns_server::{self, DnsServer};

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test IP")
}

#[tokio::test]
async fn iprev_over_udp_and_tcp() {
    for transport in [Transport::UdpWithTcpFallback, Transport::Tcp] {
        let resolver = DnsServer::shared().resolver(transport);
        let v4 = iprev(&resolver, ip("192.0.2.80"), &IprevConfig::default()).await;
        assert_eq!(v4.result, IprevResult::Pass, "{transport:?}");
        assert_eq!(v4.confirmed, ["www.mailauth.test"]);
        let v6 = iprev(&resolver, ip("2001:db8::80"), &IprevConfig::default()).await;
        assert_eq!(v6.result, IprevResult::Pass, "{transport:?}");
        assert_eq!(
            v6.authentication_results(),
            "iprev=pass policy.iprev=\"2001:db8::80\""
        );
        let none = iprev(&resolver, ip("192.0.2.7"), &IprevConfig::default()).await;
        assert_eq!(none.result, IprevResult::PermError, "{transport:?}");
    }
}

#[tokio::test]
async fn only_the_third_of_several_names_confirms() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let out = iprev(&resolver, ip("192.0.2.40"), &IprevConfig::default()).await;
    assert_eq!(out.result, IprevResult::Pass);
    assert_eq!(out.ptr_names.len(), 3);
    assert_eq!(out.confirmed, ["third.mailauth.test"]);
    // The served order of an RRset is the server's; find each by name.
    let outcome = |name: &str| {
        &out.forward
            .iter()
            .find(|f| f.name == name)
            .expect(name)
            .outcome
    };
    assert!(matches!(
        outcome("nx1.mailauth.test"),
        ForwardOutcome::NoAddress(_)
    ));
    assert!(matches!(
        outcome("wrong.mailauth.test"),
        ForwardOutcome::Mismatch(_)
    ));
}

#[tokio::test]
async fn names_past_the_limit_are_not_evaluated() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let out = iprev(&resolver, ip("192.0.2.50"), &IprevConfig::default()).await;
    assert_eq!(out.ptr_names.len(), 11);
    assert_eq!(out.forward.len(), 10);
    // Which ten the server lists first is its choice: the result is pass
    // exactly when n11 is among them.
    let evaluated_n11 = out.forward.iter().any(|f| f.name == "n11.mailauth.test");
    let expected = if evaluated_n11 {
        IprevResult::Pass
    } else {
        IprevResult::Fail
    };
    assert_eq!(out.result, expected);
}

#[tokio::test]
async fn a_failing_forward_lookup_is_a_temperror() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let out = iprev(&resolver, ip("192.0.2.60"), &IprevConfig::default()).await;
    assert_eq!(out.result, IprevResult::TempError);
    assert!(matches!(out.forward[0].outcome, ForwardOutcome::Error(_)));
    assert_eq!(out.postfix.name_status, PeerStatus::Temporary);
}

#[tokio::test]
async fn a_forward_lookup_that_times_out() {
    let _quiet = dns_server::timed().await;
    let timeout = std::time::Duration::from_secs(1);
    let resolver = DnsServer::shared().resolver_with(Transport::UdpWithTcpFallback, timeout, 1);
    let started = std::time::Instant::now();
    let out = iprev(&resolver, ip("192.0.2.70"), &IprevConfig::default()).await;
    assert_eq!(out.result, IprevResult::TempError);
    assert_eq!(out.ptr_names, ["host.silent.mailauth.test"]);
    assert_eq!(
        out.forward[0].outcome,
        ForwardOutcome::Error(mailauth_core::dns::LookupError::Timeout)
    );
    assert!(started.elapsed() < timeout * 3, "{:?}", started.elapsed());
}

#[tokio::test]
async fn helo_and_mail_domain_checks() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let confirmed = iprev(&resolver, ip("192.0.2.25"), &IprevConfig::default())
        .await
        .confirmed;
    let good = check_helo(
        &resolver,
        ip("192.0.2.25"),
        "mail.mailauth.test",
        Some(&confirmed),
    )
    .await;
    assert_eq!(good.matches_ptr.status, CheckStatus::Pass);
    assert_eq!(good.resolves_to_client.status, CheckStatus::Pass);
    let bare = check_helo(
        &resolver,
        ip("192.0.2.25"),
        "mailauth.test",
        Some(&confirmed),
    )
    .await;
    assert_eq!(bare.resolves.status, CheckStatus::Pass);
    assert_eq!(bare.matches_ptr.status, CheckStatus::Fail);

    let null = check_mail_domain(&resolver, "nullmx.mailauth.test", AddressRole::Sender).await;
    assert_eq!(null.status, MailDomainStatus::NullMx);
    let mx = check_mail_domain(&resolver, "mailauth.test", AddressRole::Recipient).await;
    assert!(matches!(mx.status, MailDomainStatus::Mx(ref r) if r.len() == 3));
    let missing = check_mail_domain(&resolver, "nope.mailauth.test", AddressRole::Sender).await;
    assert!(matches!(missing.status, MailDomainStatus::NotFound(_)));
    let slow = check_mail_domain(&resolver, "x.slow.mailauth.test", AddressRole::Sender).await;
    assert!(matches!(slow.status, MailDomainStatus::TempError(_)));
}
