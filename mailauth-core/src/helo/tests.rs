use super::*;
use crate::dns::{Fault, MemoryResolver};

const ZONE: &str = "\
$ORIGIN example.com.
@ MX 10 mail
mail A 192.0.2.10
mail AAAA 2001:db8::10
other A 198.51.100.7
nullmx MX 0 .
txtonly TXT \"nothing else\"
";

fn report(ip: &str, helo: &str, confirmed: Option<&[String]>) -> HeloReport {
    let mut zone = MemoryResolver::from_zone_text(ZONE).unwrap();
    zone.inject("slow.example.com", None, Fault::Timeout)
        .unwrap();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(check_helo(&zone, ip.parse().unwrap(), helo, confirmed))
}

fn ptr() -> Vec<String> {
    vec!["mail.example.com".to_owned()]
}

#[test]
fn the_host_fqdn_passes_everything() {
    let names = ptr();
    let r = report("192.0.2.10", "Mail.Example.com.", Some(&names));
    for verdict in [
        &r.syntax,
        &r.fqdn,
        &r.resolves,
        &r.resolves_to_client,
        &r.matches_ptr,
    ] {
        assert_eq!(verdict.status, CheckStatus::Pass, "{verdict:?}");
        assert!(verdict.postfix.is_none());
    }
    assert_eq!(r.literal_matches_client.status, CheckStatus::NotApplicable);
    let v6 = report("2001:db8::10", "mail.example.com", Some(&names));
    assert_eq!(v6.resolves_to_client.status, CheckStatus::Pass);
}

/// The bare domain: it resolves (MX), but is not the host and not the PTR.
#[test]
fn the_bare_domain_does_not_match_the_ptr() {
    let names = ptr();
    let r = report("192.0.2.10", "example.com", Some(&names));
    assert_eq!(r.resolves.status, CheckStatus::Pass);
    assert!(
        r.resolves.evidence.contains("MX 10 mail.example.com"),
        "{}",
        r.resolves.evidence
    );
    assert_eq!(r.resolves_to_client.status, CheckStatus::Fail);
    assert_eq!(r.matches_ptr.status, CheckStatus::Fail);
    assert!(r.matches_ptr.evidence.contains("mail.example.com"));
}

#[test]
fn invalid_and_unqualified_names() {
    let r = report("192.0.2.10", "JUMPIN' JUPITER", None);
    assert_eq!(r.syntax.status, CheckStatus::Fail);
    assert_eq!(
        r.syntax.postfix.as_ref().unwrap().to_string(),
        "501 5.5.2 <JUMPIN' JUPITER>: Helo command rejected: Invalid name"
    );
    assert_eq!(r.fqdn.status, CheckStatus::NotApplicable);
    let r = report("192.0.2.10", "OEMCOMPUTER", None);
    assert_eq!(r.fqdn.status, CheckStatus::Fail);
    assert_eq!(r.fqdn.postfix.as_ref().unwrap().code, 504);
    assert_eq!(r.resolves.status, CheckStatus::Fail);
    assert_eq!(r.matches_ptr.status, CheckStatus::NotApplicable);
    let r = report("192.0.2.10", "evil\r\nname", None);
    assert!(!r.syntax.postfix.unwrap().to_string().contains('\r'));
}

#[test]
fn resolution_outcomes() {
    let r = report("192.0.2.10", "nullmx.example.com", None);
    assert_eq!(r.resolves.status, CheckStatus::Pass, "a null MX counts");
    assert!(r.resolves.evidence.contains("null MX"));
    let r = report("192.0.2.10", "txtonly.example.com", None);
    assert_eq!(r.resolves.status, CheckStatus::Fail);
    assert_eq!(
        r.resolves.postfix.as_ref().unwrap().to_string(),
        "450 4.7.1 <txtonly.example.com>: Helo command rejected: Host not found"
    );
    let r = report("192.0.2.10", "nowhere.example.com", None);
    assert_eq!(r.resolves.status, CheckStatus::Fail);
    let r = report("192.0.2.10", "slow.example.com", None);
    assert_eq!(r.resolves.status, CheckStatus::TempError);
    assert_eq!(r.resolves_to_client.status, CheckStatus::TempError);
    let r = report("192.0.2.10", "other.example.com", Some(&[]));
    assert_eq!(r.resolves_to_client.status, CheckStatus::Fail);
    assert!(r.resolves_to_client.evidence.contains("198.51.100.7"));
    assert_eq!(r.matches_ptr.status, CheckStatus::Fail);
}

#[test]
fn address_literals() {
    let r = report("192.0.2.10", "[192.0.2.10]", None);
    assert_eq!(r.literal_matches_client.status, CheckStatus::Pass);
    assert_eq!(r.fqdn.status, CheckStatus::Pass);
    assert_eq!(r.resolves.status, CheckStatus::NotApplicable);
    let r = report("::ffff:192.0.2.10", "[IPv6:2001:db8::1]", None);
    assert_eq!(r.literal_matches_client.status, CheckStatus::Fail);
    let r = report("2001:db8::1", "[IPv6:2001:DB8::1]", None);
    assert_eq!(r.literal_matches_client.status, CheckStatus::Pass);
    let r = report("192.0.2.10", "[192.0.2.300]", None);
    assert_eq!(r.syntax.status, CheckStatus::Fail);
}
