//! DMARC tests, grouped by the RFC 9989 / RFC 9990 section each rule
//! comes from. The zone is the one the integration tests serve with Knot.

use super::*;
use crate::dns::{Fault, MemoryResolver, RecordType};
use crate::spf::SpfResult;

const ZONE: &str = include_str!("../../tests/data/zones/example.zone");

fn zone() -> MemoryResolver {
    MemoryResolver::from_zone_text(ZONE).unwrap()
}

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn kinds(text: &str) -> Vec<(usize, Severity, DiagnosticKind)> {
    DmarcRecord::validate(text)
        .diagnostics
        .into_iter()
        .map(|d| (d.offset, d.severity, d.kind))
        .collect()
}

fn discover(domain: &str) -> PolicyDiscovery {
    run(discover_policy(&zone(), domain)).unwrap()
}

fn query_names(discovery: &PolicyDiscovery) -> Vec<String> {
    discovery
        .queries
        .iter()
        .map(|q| format!("{} {}", q.record_type.as_str(), q.name))
        .collect()
}

mod section_4_8_syntax {
    use super::*;

    /// Tag names and keyword values in any case (RFC 5234 §2.3), WSP
    /// around `=` and `;`, a trailing separator.
    #[test]
    fn odd_case_and_whitespace() {
        let record = DmarcRecord::parse(
            "V = DMARC1 ;\tP=Reject ; SP =QUARANTINE;ADKIM=S; aspf = s; Psd=N; T=Y ;",
        )
        .unwrap();
        assert_eq!(record.p, Some(Policy::Reject));
        assert_eq!(record.sp, Some(Policy::Quarantine));
        assert_eq!(record.dkim_alignment(), AlignmentMode::Strict);
        assert_eq!(record.spf_alignment(), AlignmentMode::Strict);
        assert_eq!(record.psd_flag(), PsdFlag::No);
        assert!(record.testing());
        assert!(DmarcRecord::validate("V = DMARC1 ;\tP=Reject ;").is_valid());
        // A bare version is a record (RFC 9989 dropped RFC 7489's
        // mandatory separator).
        assert_eq!(DmarcRecord::parse("v=DMARC1"), Ok(DmarcRecord::default()));
    }

    /// `%s"DMARC1"`: the version is case-sensitive, and must be followed by
    /// a separator or the end.
    #[test]
    fn version_is_case_sensitive() {
        let err = DmarcRecord::parse("v=dmarc1; p=reject").unwrap_err();
        assert_eq!(
            err,
            DmarcError::NotDmarc {
                offset: 2,
                reason: NotDmarcReason::VersionCase
            }
        );
        for (text, offset, reason) in [
            ("p=reject; v=DMARC1", 0, NotDmarcReason::MissingVersion),
            (" v=DMARC1", 0, NotDmarcReason::MissingVersion),
            ("v=DMARC10", 2, NotDmarcReason::WrongVersion),
            ("v=DMARC1 p=reject", 2, NotDmarcReason::WrongVersion),
            ("v=spf1 -all", 2, NotDmarcReason::WrongVersion),
            ("", 0, NotDmarcReason::MissingVersion),
        ] {
            assert_eq!(
                DmarcRecord::parse(text),
                Err(DmarcError::NotDmarc { offset, reason }),
                "{text:?}"
            );
        }
        let validation = DmarcRecord::validate("v=dmarc1; p=reject");
        assert_eq!(validation.record, None);
        assert_eq!(
            validation.diagnostics[0].to_string(),
            "error at byte 2: not a DMARC record: DMARC1 must be upper case (RFC 9989 section 4.8)"
        );
    }

    /// Syntax errors past the version drop the tag, never the record
    /// (§4.7 "MUST be discarded in favor of default values").
    #[test]
    fn syntax_errors_are_diagnostics() {
        let text = "v=DMARC1;; p=reject; 9x=1; adkim; aspf=; fo=0\u{e9}; sp = none";
        let record = DmarcRecord::parse(text).unwrap();
        assert_eq!(record.p, Some(Policy::Reject));
        assert_eq!(record.sp, Some(Policy::None));
        assert_eq!(record.adkim, None);
        assert_eq!(record.fo, None);
        let found = kinds(text);
        assert_eq!(found[0], (9, Severity::Error, DiagnosticKind::EmptyTag));
        assert_eq!(
            found[1],
            (21, Severity::Error, DiagnosticKind::InvalidTagName)
        );
        assert_eq!(
            found[2],
            (
                27,
                Severity::Error,
                DiagnosticKind::MissingEquals {
                    tag: "adkim".into()
                }
            )
        );
        assert_eq!(
            found[3],
            (
                34,
                Severity::Error,
                DiagnosticKind::EmptyValue { tag: "aspf".into() }
            )
        );
        assert_eq!(
            found[4],
            (
                44,
                Severity::Error,
                DiagnosticKind::InvalidCharacter { tag: "fo".into() }
            )
        );
    }

    /// Of a repeated tag the first stays; a second `v` is a duplicate too.
    #[test]
    fn duplicate_tags() {
        let text = "v=DMARC1; p=reject; p=none; v=DMARC1";
        assert_eq!(DmarcRecord::parse(text).unwrap().p, Some(Policy::Reject));
        let found = kinds(text);
        assert_eq!(
            found[..2],
            [
                (
                    20,
                    Severity::Error,
                    DiagnosticKind::DuplicateTag { tag: "p".into() }
                ),
                (
                    28,
                    Severity::Error,
                    DiagnosticKind::DuplicateTag { tag: "v".into() }
                ),
            ]
        );
    }

    /// Canonical form: parse, print, parse gives the same record.
    #[test]
    fn display_round_trips() {
        for text in [
            "v=DMARC1",
            "v=DMARC1; p=reject; sp=none; np=quarantine; adkim=s; aspf=r; fo=1:d:s; \
             rua=mailto:a@example.com!10m,https://reports.example.net/dmarc; \
             ruf=mailto:f@example.com; psd=u; t=n; pct=20; rf=afrf; ri=3600",
            "V=DMARC1;P=QUARANTINE;FO=s : d",
        ] {
            let record = DmarcRecord::parse(text).unwrap();
            let printed = record.to_string();
            assert_eq!(DmarcRecord::parse(&printed).unwrap(), record, "{printed}");
        }
        let record = DmarcRecord::parse("v=DMARC1;P=QUARANTINE;FO=s : d").unwrap();
        assert_eq!(record.to_string(), "v=DMARC1; p=quarantine; fo=d:s");
    }
}

mod section_4_7_tags {
    use super::*;

    /// An invalid `p` falls back: with a valid `rua` the record counts as
    /// `p=none` (§4.10.1), without one it has no policy.
    #[test]
    fn invalid_policies_with_and_without_rua() {
        let without = DmarcRecord::parse("v=DMARC1; p=block; sp=reject").unwrap();
        assert_eq!(without.p, None);
        assert_eq!(without.policy(), None);
        assert_eq!(without.subdomain_policy(), None);
        let with =
            DmarcRecord::parse("v=DMARC1; p=block; np=bogus; rua=mailto:d@example.com").unwrap();
        assert_eq!(with.policy(), Some(Policy::None));
        assert_eq!(with.nonexistent_policy(), Some(Policy::None));
        let found = kinds("v=DMARC1; p=block; sp=x; np=y");
        let invalid = |offset, tag: &str| {
            (
                offset,
                Severity::Error,
                DiagnosticKind::InvalidValue {
                    tag: tag.into(),
                    expected: "none, quarantine or reject".into(),
                },
            )
        };
        assert_eq!(
            found[..3],
            [invalid(12, "p"), invalid(22, "sp"), invalid(28, "np")]
        );
        let discarded = DiagnosticKind::PolicyDiscarded { tag: "sp".into() };
        assert_eq!(found[3], (22, Severity::Warning, discarded));
        assert_eq!(found[4], (0, Severity::Warning, DiagnosticKind::NoPolicy));
        let found = kinds("v=DMARC1; p=block; rua=mailto:d@example.com");
        assert_eq!(
            found[1],
            (0, Severity::Warning, DiagnosticKind::PolicyFromRua)
        );
    }

    /// §4.10.1: an invalid `sp` or `np` is treated like an invalid `p`:
    /// the record's policy is `none` with a valid `rua`, and it has none
    /// without one, whatever a valid `p` says.
    #[test]
    fn invalid_sp_or_np_discards_the_policy() {
        for text in [
            "v=DMARC1; p=reject; sp=bogus",
            "v=DMARC1; p=reject; np=bogus; sp=reject",
            "v=DMARC1; np=; p=quarantine",
        ] {
            let record = DmarcRecord::parse(text).unwrap();
            assert_eq!(record.policy(), None, "{text}");
            assert_eq!(record.subdomain_policy(), None, "{text}");
            assert_eq!(record.nonexistent_policy(), None, "{text}");
        }
        let record =
            DmarcRecord::parse("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@e.example").unwrap();
        for policy in [
            record.policy(),
            record.subdomain_policy(),
            record.nonexistent_policy(),
        ] {
            assert_eq!(policy, Some(Policy::None));
        }
        assert_eq!(record.to_string(), "v=DMARC1; rua=mailto:d@e.example");
        // Through discovery and evaluation: no policy applies.
        let extra = "_dmarc.badsp TXT \"v=DMARC1; p=reject; sp=bogus\"\n";
        let dns = MemoryResolver::from_zone_text(&format!("{ZONE}\n{extra}")).unwrap();
        let out = run(evaluate(&dns, &DmarcInput::new("badsp.example")));
        assert_eq!(
            (out.result, out.disposition),
            (DmarcResult::None, Policy::None)
        );
        // A repeated tag is ignored, whatever its value.
        let record = DmarcRecord::parse("v=DMARC1; p=reject; sp=none; sp=").unwrap();
        assert_eq!(record.subdomain_policy(), Some(Policy::None));
        // A valid record stays as it was.
        let record = DmarcRecord::parse("v=DMARC1; p=reject; sp=none; np=quarantine").unwrap();
        assert_eq!(record.policy(), Some(Policy::Reject));
    }

    /// A record without a policy is valid (RFC 9990 §3 asks report
    /// receivers to publish `v=DMARC1` alone): warnings, no error.
    #[test]
    fn records_without_a_policy_are_valid() {
        for text in [
            "v=DMARC1",
            "v=DMARC1;",
            "v=DMARC1; rua=mailto:d@example.com",
            "v=DMARC1; adkim=s",
        ] {
            let checked = DmarcRecord::validate(text);
            assert!(checked.record.is_some(), "{text}");
            assert!(
                checked
                    .diagnostics
                    .iter()
                    .all(|d| d.severity == Severity::Warning),
                "{text}: {:?}",
                checked.diagnostics
            );
        }
    }

    /// `np` falls back to `sp`, `sp` to `p`.
    #[test]
    fn subdomain_defaults() {
        let record = DmarcRecord::parse("v=DMARC1; p=reject").unwrap();
        assert_eq!(record.subdomain_policy(), Some(Policy::Reject));
        assert_eq!(record.nonexistent_policy(), Some(Policy::Reject));
        let record = DmarcRecord::parse("v=DMARC1; p=reject; sp=none").unwrap();
        assert_eq!(record.nonexistent_policy(), Some(Policy::None));
    }

    /// Appendix C.5: `pct`, `rf`, `ri` are read into the compatibility view
    /// and reported as obsolete.
    #[test]
    fn obsolete_tags() {
        let text = "v=DMARC1; p=reject; pct=25; rf=AFRF; ri=86400; pct=7";
        let record = DmarcRecord::parse(text).unwrap();
        assert_eq!(record.rfc7489.pct, Some(25));
        assert_eq!(record.rfc7489.rf.as_deref(), Some("afrf"));
        assert_eq!(record.rfc7489.ri, Some(86400));
        let found = kinds(text);
        for (i, (offset, tag)) in [(20, "pct"), (28, "rf"), (37, "ri")]
            .into_iter()
            .enumerate()
        {
            let kind = DiagnosticKind::ObsoleteTag { tag: tag.into() };
            assert_eq!(found[i], (offset, Severity::Warning, kind));
        }
        // To an RFC 9989 reader these are unknown tags: a warning, never
        // an error, whatever the value.
        let found = kinds("v=DMARC1; p=none; pct=101; rf=a b; ri=-1");
        let obsolete = |tag: &str| DiagnosticKind::ObsoleteTag { tag: tag.into() };
        let tags: Vec<_> = found.iter().map(|(_, _, kind)| kind.clone()).collect();
        assert_eq!(tags[..3], [obsolete("pct"), obsolete("rf"), obsolete("ri")]);
        assert!(
            found
                .iter()
                .all(|(_, severity, _)| *severity == Severity::Warning),
            "{found:?}"
        );
    }

    /// Unknown tags are ignored with a warning.
    #[test]
    fn unknown_tags() {
        let text = "v=DMARC1; p=reject; xyz=1; rua=mailto:d@example.com";
        let record = DmarcRecord::parse(text).unwrap();
        assert_eq!(record.p, Some(Policy::Reject));
        assert_eq!(
            kinds(text),
            [(
                20,
                Severity::Warning,
                DiagnosticKind::UnknownTag { tag: "xyz".into() }
            )]
        );
    }

    /// `fo`: 0 and 1 exclude each other, nothing repeats.
    #[test]
    fn failure_options() {
        let fo = |text: &str| DmarcRecord::parse(text).unwrap().fo;
        assert_eq!(
            fo("v=DMARC1; fo=1:d").map(|f| f.to_string()).as_deref(),
            Some("1:d")
        );
        assert_eq!(fo("v=DMARC1; fo=0:1"), None);
        assert_eq!(fo("v=DMARC1; fo=d:d"), None);
        assert_eq!(fo("v=DMARC1; fo=x"), None);
        assert_eq!(DmarcRecord::default().failure_options().to_string(), "0");
        let found = kinds("v=DMARC1; p=reject; rua=mailto:a@example.com; fo=1");
        assert_eq!(
            found,
            [(
                0,
                Severity::Warning,
                DiagnosticKind::FailureOptionsWithoutRuf
            )]
        );
    }

    /// `rua` with several URIs, the obsolete `!size`, invalid URIs dropped.
    #[test]
    fn report_uris() {
        let text = "v=DMARC1; p=none; rua=mailto:a@Example.COM!10m , https://r.example.net:8443/x?y, \
                    ftp://x.example, mailto:no-at, mailto:a@b!c; ruf=MAILTO:f@example.com";
        let record = DmarcRecord::parse(text).unwrap();
        let hosts: Vec<_> = record.rua.iter().map(|u| u.host.as_str()).collect();
        assert_eq!(hosts, ["example.com", "r.example.net"]);
        assert_eq!(record.rua[0].size_limit.as_deref(), Some("10m"));
        assert_eq!(record.rua[0].to_string(), "mailto:a@Example.COM!10m");
        assert_eq!(record.rua[1].target, ReportTarget::Https);
        assert_eq!(
            record.ruf[0].target,
            ReportTarget::Mailto {
                address: "f@example.com".into()
            }
        );
        let found = kinds(text);
        assert_eq!(
            found[0],
            (22, Severity::Warning, DiagnosticKind::ObsoleteSizeLimit)
        );
        let dropped: Vec<_> = found
            .iter()
            .filter_map(|(offset, _, kind)| match kind {
                DiagnosticKind::InvalidUri { reason, .. } => Some((*offset, reason.as_ref())),
                _ => None,
            })
            .collect();
        assert_eq!(
            dropped,
            [
                (81, "only mailto: and https: URIs are supported"),
                (98, "mailto without '@'"),
                (
                    112,
                    "'!' must be percent-encoded unless it starts a size limit"
                ),
            ]
        );
    }

    /// Validator warnings for a monitoring-only record without reports.
    #[test]
    fn monitoring_only_advice() {
        assert_eq!(
            kinds("v=DMARC1; p=none"),
            [
                (12, Severity::Warning, DiagnosticKind::MonitoringOnly),
                (0, Severity::Warning, DiagnosticKind::NoAggregateReports),
            ]
        );
    }
}

mod section_4_10_tree_walk {
    use super::*;

    /// 13 labels: the name, then straight to its last 7 labels, then one
    /// label less at a time: 8 queries.
    #[test]
    fn walk_on_a_long_name() {
        let discovery = discover("a.b.c.d.e.f.g.h.i.j.mail.long.example");
        assert_eq!(
            query_names(&discovery),
            [
                "TXT _dmarc.a.b.c.d.e.f.g.h.i.j.mail.long.example",
                "TXT _dmarc.g.h.i.j.mail.long.example",
                "TXT _dmarc.h.i.j.mail.long.example",
                "TXT _dmarc.i.j.mail.long.example",
                "TXT _dmarc.j.mail.long.example",
                "TXT _dmarc.mail.long.example",
                "TXT _dmarc.long.example",
                "TXT _dmarc.example",
            ]
        );
        assert_eq!(discovery.queries.len(), MAX_WALK_QUERIES);
        assert_eq!(
            discovery.organizational_domain.as_deref(),
            Some("long.example")
        );
        let found = discovery.policy().unwrap();
        assert_eq!(found.source, PolicySource::OrganizationalDomain);
        assert_eq!(found.applied_policy, Some(Policy::Quarantine));
    }

    /// More than one DMARC record at a name: all discarded (step 2); other
    /// TXT records are ignored.
    #[test]
    fn multiple_records_are_discarded() {
        let discovery = discover("multi.example");
        assert_eq!(
            discovery.walk[0].found,
            DmarcAtName::Discarded {
                records: vec!["v=DMARC1; p=none".into(), "v=DMARC1; p=reject".into()]
            }
        );
        assert_eq!(discovery.outcome, DiscoveryOutcome::NoRecord);
        let mixed = discover("mixed.example");
        assert_eq!(
            mixed.policy().unwrap().declared_policy,
            Some(Policy::Reject)
        );
        let lower = discover("lower.example");
        assert_eq!(lower.outcome, DiscoveryOutcome::NoRecord);
    }

    /// §4.10.2 rule 2: `psd=y` above the start makes the name one label
    /// below it the Organizational Domain; its missing record lets the
    /// PSD's policy apply (§4.10.1), `sp` or `np` by existence.
    #[test]
    fn psd_yes() {
        let discovery = discover("mail.shop.psd.example");
        assert_eq!(
            discovery.organizational_domain.as_deref(),
            Some("shop.psd.example")
        );
        assert_eq!(discovery.walk.len(), 3);
        let found = discovery.policy().unwrap();
        assert_eq!(found.source, PolicySource::PublicSuffixDomain);
        assert_eq!(found.policy_domain, "psd.example");
        assert_eq!(found.author_domain_exists, Some(true));
        assert_eq!(found.declared_policy, Some(Policy::Quarantine));
        let gone = discover("gone.shop.psd.example");
        let found = gone.policy().unwrap();
        assert_eq!(found.author_domain_exists, Some(false));
        assert_eq!(found.declared_policy, Some(Policy::Reject));
        // The Organizational Domain's own record wins over the PSD's.
        let owned = discover("x.owned.psd.example");
        assert_eq!(
            owned.organizational_domain.as_deref(),
            Some("owned.psd.example")
        );
        let found = owned.policy().unwrap();
        assert_eq!(found.source, PolicySource::OrganizationalDomain);
        assert_eq!(found.declared_policy, Some(Policy::None));
        // At the PSD itself, its own record's p applies (rule 2 excludes
        // the starting domain).
        let psd = discover("psd.example");
        assert_eq!(psd.organizational_domain.as_deref(), Some("psd.example"));
        assert_eq!(psd.queries.len(), 1);
    }

    /// §4.10.2 rule 1: `psd=n` ends the walk and names the Organizational
    /// Domain; the parent's record is never asked.
    #[test]
    fn psd_no() {
        let discovery = discover("mail.dept.corp.example");
        assert_eq!(
            query_names(&discovery),
            [
                "TXT _dmarc.mail.dept.corp.example",
                "TXT _dmarc.dept.corp.example"
            ]
        );
        assert_eq!(
            discovery.organizational_domain.as_deref(),
            Some("dept.corp.example")
        );
        assert_eq!(
            discovery.policy().unwrap().declared_policy,
            Some(Policy::Reject)
        );
        // Without psd=n, corp.example would be the Organizational Domain.
        let corp = discover("other.corp.example");
        assert_eq!(corp.organizational_domain.as_deref(), Some("corp.example"));
    }

    /// §4.10.1: `p` at the Author Domain, `sp` for an existing subdomain,
    /// `np` for one that does not exist (only NXDOMAIN counts).
    #[test]
    fn np_versus_sp() {
        let at = |domain| {
            let d = discover(domain);
            let found = d.policy().unwrap().clone();
            (
                found.source,
                found.author_domain_exists,
                found.declared_policy,
                query_names(&d),
            )
        };
        let (source, exists, policy, _) = at("org.example");
        assert_eq!(source, PolicySource::AuthorDomain);
        assert_eq!((exists, policy), (None, Some(Policy::Reject)));
        let (source, exists, policy, queries) = at("mail.org.example");
        assert_eq!(source, PolicySource::OrganizationalDomain);
        assert_eq!((exists, policy), (Some(true), Some(Policy::Quarantine)));
        assert_eq!(queries.last().unwrap(), "A mail.org.example");
        let (_, exists, policy, _) = at("ghost.org.example");
        assert_eq!((exists, policy), (Some(false), Some(Policy::Reject)));
        // A DNS failure on the existence query is a temporary error.
        let mut dns = zone();
        dns.inject("mail.org.example", Some(RecordType::A), Fault::Timeout)
            .unwrap();
        let failed = run(discover_policy(&dns, "mail.org.example")).unwrap();
        assert!(matches!(failed.outcome, DiscoveryOutcome::TempError { .. }));
    }

    /// `t=y` lowers the applied policy one level; the declared one stays.
    #[test]
    fn testing_mode() {
        let found = discover("testing.example").policy().unwrap().clone();
        assert_eq!(found.declared_policy, Some(Policy::Reject));
        assert_eq!(found.applied_policy, Some(Policy::Quarantine));
    }

    /// A record without a valid `p` applies only with a valid `rua`.
    #[test]
    fn record_without_policy() {
        let found = discover("nopolicy.example").policy().unwrap().clone();
        assert_eq!(found.declared_policy, None);
        let found = discover("ruaonly.example").policy().unwrap().clone();
        assert_eq!(found.declared_policy, Some(Policy::None));
    }

    /// A failed query ends the walk with a temporary error (§5.3.6).
    #[test]
    fn dns_failure_is_temperror() {
        let mut dns = zone();
        dns.inject("_dmarc.org.example", None, Fault::Timeout)
            .unwrap();
        let discovery = run(discover_policy(&dns, "mail.org.example")).unwrap();
        assert_eq!(
            discovery.outcome,
            DiscoveryOutcome::TempError {
                name: "_dmarc.org.example".into(),
                error: crate::dns::LookupError::Timeout
            }
        );
        assert_eq!(
            run(discover_policy(&dns, "a..b")).unwrap_err(),
            DmarcError::InvalidDomain("a..b".into())
        );
    }
}

mod section_4_4_alignment {
    use super::*;

    fn evaluate_input(input: DmarcInput) -> DmarcOutput {
        run(evaluate(&zone(), &input))
    }

    /// Relaxed: subdomains of one Organizational Domain align, siblings
    /// included; strict: only identical domains.
    #[test]
    fn relaxed_and_strict() {
        let out = evaluate_input(
            DmarcInput::new("news.org.example").spf("bounce.org.example", SpfResult::Pass),
        );
        assert_eq!(out.result, DmarcResult::Pass);
        assert_eq!(out.spf.unwrap().alignment, Alignment::Relaxed);
        let out = evaluate_input(DmarcInput::new("org.example").dkim("ORG.example.", true));
        assert_eq!(out.dkim[0].alignment, Alignment::Identical);
        assert_eq!(out.result, DmarcResult::Pass);
    }

    /// Siblings whose parent publishes no record have different
    /// Organizational Domains (§4.10.2 rule 3), so they do not align: the
    /// tree walk's answer, where the public suffix list aligned them.
    #[test]
    fn siblings_without_a_parent_record() {
        let out = evaluate_input(
            DmarcInput::new("news.sibling.example").spf("bounce.sibling.example", SpfResult::Pass),
        );
        assert_eq!(out.spf.as_ref().unwrap().alignment, Alignment::NotAligned);
        assert_eq!(out.result, DmarcResult::Fail);
        assert_eq!(out.disposition, Policy::Reject);
        assert_eq!(
            out.authentication_results(),
            "dmarc=fail header.from=news.sibling.example policy.dmarc=reject"
        );
    }

    /// Authenticated but unaligned, aligned but unauthenticated: fail; the
    /// disposition follows `t=y`.
    #[test]
    fn fail_and_disposition() {
        let out = evaluate_input(
            DmarcInput::new("testing.example")
                .spf("isp.example", SpfResult::Pass)
                .dkim("testing.example", false),
        );
        assert_eq!(out.result, DmarcResult::Fail);
        assert_eq!(out.disposition, Policy::Quarantine);
        assert!(!out.dkim[0].authenticated);
        assert_eq!(out.dkim[0].alignment, Alignment::Identical);
    }

    /// No record: none; no policy in the record: none; invalid author
    /// domain: permerror; DNS failure: temperror.
    #[test]
    fn other_results() {
        let none = evaluate_input(DmarcInput::new("nothing.example"));
        assert_eq!(none.result, DmarcResult::None);
        assert_eq!(
            none.authentication_results(),
            "dmarc=none header.from=nothing.example"
        );
        let no_policy = evaluate_input(DmarcInput::new("nopolicy.example"));
        assert_eq!(no_policy.result, DmarcResult::None);
        let bad = evaluate_input(DmarcInput::new("a..b\r\n"));
        assert_eq!(bad.result, DmarcResult::PermError);
        assert_eq!(
            bad.authentication_results(),
            "dmarc=permerror header.from=\"a..b??\""
        );
        let mut dns = zone();
        dns.inject("_dmarc.org.example", None, Fault::Rcode(2))
            .unwrap();
        let temp = run(evaluate(&dns, &DmarcInput::new("org.example")));
        assert_eq!(temp.result, DmarcResult::TempError);
    }

    /// A message can carry any number of DKIM signatures: the walks for
    /// their alignment are capped, and none is made once one passed.
    #[test]
    fn alignment_walks_are_capped() {
        // Below org.example, split.org.example is an Organizational Domain
        // of its own: each d<i>.split.org.example needs its walk to tell.
        let extra = "_dmarc.split.org TXT \"v=DMARC1; psd=n\"\n";
        let dns = MemoryResolver::from_zone_text(&format!("{ZONE}\n{extra}")).unwrap();
        let mut input = DmarcInput::new("org.example");
        for i in 0..20 {
            input = input.dkim(format!("d{i}.split.org.example"), true);
        }
        dns.reset_counters();
        let out = run(evaluate(&dns, &input));
        assert_eq!(out.result, DmarcResult::Fail);
        let count = |alignment| out.dkim.iter().filter(|d| d.alignment == alignment).count();
        assert_eq!(count(Alignment::NotChecked), 20 - MAX_ALIGNMENT_WALKS);
        assert_eq!(count(Alignment::NotAligned), MAX_ALIGNMENT_WALKS);
        // _dmarc.org.example and _dmarc.example, _dmarc.split.org.example
        // once, and one name of each walked identifier.
        assert_eq!(dns.queries(), 3 + MAX_ALIGNMENT_WALKS as u64);
        // Domains outside the Organizational Domain cost no walk at all.
        let mut input = DmarcInput::new("org.example");
        for i in 0..20 {
            input = input.dkim(format!("d{i}.other.example"), true);
        }
        dns.reset_counters();
        let out = run(evaluate(&dns, &input));
        assert!(
            out.dkim
                .iter()
                .all(|d| d.alignment == Alignment::NotAligned)
        );
        assert_eq!(dns.queries(), 2);
        // Once a signature passes aligned, the others are not walked.
        let input = DmarcInput::new("news.org.example")
            .dkim("mail.org.example", true)
            .dkim("x.other.example", true);
        let out = run(evaluate(&dns, &input));
        assert_eq!(out.result, DmarcResult::Pass);
        assert_eq!(out.dkim[1].alignment, Alignment::NotChecked);
    }

    /// U-labels become A-labels (§5.3.1).
    #[test]
    fn idna_author_domain() {
        let out = evaluate_input(DmarcInput::new("bücher.example"));
        assert_eq!(out.discovery.unwrap().domain, "xn--bcher-kva.example");
    }
}

/// Which failed queries may make the result `temperror` (the module
/// documentation's list): a sender's own DNS never can.
mod temperror_rule {
    use super::*;

    fn with_faults(faults: &[(&str, Fault)]) -> MemoryResolver {
        let mut dns = zone();
        for (name, fault) in faults {
            dns.inject(name, None, *fault).unwrap();
        }
        dns
    }

    fn asked(out: &DmarcOutput) -> Vec<String> {
        query_names(out.discovery.as_ref().unwrap())
    }

    /// The bypass: org.example publishes p=reject, the spoofer passes SPF
    /// and DKIM for domains of its own whose `_dmarc` names fail. The
    /// result stays `fail` with `reject`, and no query asks the spoofer's
    /// names.
    #[test]
    fn a_senders_failing_dns_cannot_turn_fail_into_temperror() {
        for fault in [Fault::Timeout, Fault::Rcode(2), Fault::Rcode(5)] {
            let dns = with_faults(&[
                ("_dmarc.spoof.example", fault),
                ("_dmarc.mail.spoof.example", fault),
                ("_dmarc.spoof.test", fault),
            ]);
            let input = DmarcInput::new("org.example")
                .spf("spoof.example", SpfResult::Pass)
                .dkim("mail.spoof.example", true)
                .dkim("spoof.test", true);
            let out = run(evaluate(&dns, &input));
            assert_eq!(out.result, DmarcResult::Fail, "{fault:?}");
            assert_eq!(out.disposition, Policy::Reject);
            assert_eq!(out.spf.as_ref().unwrap().alignment, Alignment::NotAligned);
            assert!(
                out.dkim
                    .iter()
                    .all(|d| d.alignment == Alignment::NotAligned)
            );
            assert_eq!(
                asked(&out),
                ["TXT _dmarc.org.example", "TXT _dmarc.example"]
            );
        }
    }

    /// A lookup the result does not need cannot poison it: with a record
    /// at the Author Domain and an identical identifier, `_dmarc.<tld>` is
    /// not even asked; strict mode asks nothing more either.
    #[test]
    fn an_unneeded_failure_does_not_poison_the_result() {
        let dns = with_faults(&[("_dmarc.example", Fault::Rcode(2))]);
        let pass = run(evaluate(
            &dns,
            &DmarcInput::new("org.example").spf("org.example", SpfResult::Pass),
        ));
        assert_eq!(pass.result, DmarcResult::Pass);
        assert_eq!(asked(&pass), ["TXT _dmarc.org.example"]);
        let fail = run(evaluate(
            &dns,
            &DmarcInput::new("org.example").dkim("org.example", false),
        ));
        assert_eq!(
            (fail.result, fail.disposition),
            (DmarcResult::Fail, Policy::Reject)
        );
        let extra = "_dmarc.strict TXT \"v=DMARC1; p=reject; aspf=s; adkim=s\"\n";
        let mut dns = MemoryResolver::from_zone_text(&format!("{ZONE}\n{extra}")).unwrap();
        dns.inject("_dmarc.example", None, Fault::Timeout).unwrap();
        dns.inject("_dmarc.mail.strict.example", None, Fault::Timeout)
            .unwrap();
        let strict = run(evaluate(
            &dns,
            &DmarcInput::new("strict.example")
                .spf("mail.strict.example", SpfResult::Pass)
                .dkim("mail.strict.example", true),
        ));
        assert_eq!(strict.result, DmarcResult::Fail);
        assert_eq!(asked(&strict), ["TXT _dmarc.strict.example"]);
        // An identifier at or below the Organizational Domain that cannot
        // align even if its own names hold nothing: psd.example declares
        // itself a PSD (psd=y), so below it every name is its own
        // organisation, and x.shop.psd.example's names are not asked.
        let dns = with_faults(&[("_dmarc.x.shop.psd.example", Fault::Timeout)]);
        let out = run(evaluate(
            &dns,
            &DmarcInput::new("psd.example").spf("x.shop.psd.example", SpfResult::Pass),
        ));
        assert_eq!(out.spf.as_ref().unwrap().alignment, Alignment::NotAligned);
        assert_eq!(out.result, DmarcResult::Fail);
        assert!(
            !asked(&out).iter().any(|q| q.contains("shop")),
            "{:?}",
            asked(&out)
        );
    }

    /// Each case of the list, in order, gives `temperror`.
    #[test]
    fn needed_failures_are_temperror() {
        let temperror = |faults: &[(&str, Fault)], input: DmarcInput| {
            let out = run(evaluate(&with_faults(faults), &input));
            assert_eq!(out.result, DmarcResult::TempError, "{faults:?}");
            assert_eq!(out.disposition, Policy::None);
            out
        };
        // 1. The Author Domain's own record.
        temperror(
            &[("_dmarc.org.example", Fault::Timeout)],
            DmarcInput::new("org.example"),
        );
        // 2. No record at the Author Domain: its walk, and the A query
        // that tells sp from np.
        temperror(
            &[("_dmarc.example", Fault::Rcode(2))],
            DmarcInput::new("news.org.example").spf("news.org.example", SpfResult::Pass),
        );
        temperror(
            &[("mail.org.example", Fault::Timeout)],
            DmarcInput::new("mail.org.example"),
        );
        // 3. Relaxed alignment: the Author Domain's ancestors ...
        let out = temperror(
            &[("_dmarc.example", Fault::Timeout)],
            DmarcInput::new("org.example").spf("bounce.org.example", SpfResult::Pass),
        );
        assert_eq!(out.spf.unwrap().alignment, Alignment::TempError);
        // ... and the identifier's own names, when it would align without
        // a record there.
        let out = temperror(
            &[("_dmarc.bounce.org.example", Fault::Rcode(2))],
            DmarcInput::new("org.example")
                .spf("bounce.org.example", SpfResult::Pass)
                .dkim("spoof.example", true),
        );
        assert_eq!(out.spf.as_ref().unwrap().alignment, Alignment::TempError);
        assert_eq!(out.dkim[0].alignment, Alignment::NotAligned);
        // Not when another identifier passed aligned.
        let dns = with_faults(&[("_dmarc.bounce.org.example", Fault::Rcode(2))]);
        let out = run(evaluate(
            &dns,
            &DmarcInput::new("org.example")
                .spf("bounce.org.example", SpfResult::Pass)
                .dkim("org.example", true),
        ));
        assert_eq!(out.result, DmarcResult::Pass);
    }

    /// `discover_policy` walks to the end for the Organizational Domain;
    /// a failure past a record at the domain itself leaves the policy
    /// known and only the Organizational Domain unknown.
    #[test]
    fn discovery_keeps_a_policy_found_at_the_domain() {
        let dns = with_faults(&[("_dmarc.example", Fault::Rcode(2))]);
        let discovery = run(discover_policy(&dns, "org.example")).unwrap();
        let policy = discovery.policy().unwrap();
        assert_eq!(policy.declared_policy, Some(Policy::Reject));
        assert_eq!(discovery.organizational_domain, None);
        assert_eq!(
            discovery.walk_error.unwrap().name,
            "_dmarc.example".to_owned()
        );
    }
}

mod rfc9990_section_3_destinations {
    use super::*;

    /// Same organisation, authorised, overridden on the same host, no
    /// record, and an override to another host (report to neither).
    #[test]
    fn external_destinations() {
        let dns = zone();
        let record = discover("ext.example").policy().unwrap().record.clone();
        let checked = run(authorize_report_destinations(&dns, "ext.example", &record)).unwrap();
        let statuses: Vec<_> = checked
            .iter()
            .map(|d| (d.tag.as_str(), d.uri.host.as_str(), d.status.clone()))
            .collect();
        let name = |host: &str| format!("ext.example._report._dmarc.{host}");
        assert_eq!(
            statuses,
            [
                (
                    "rua",
                    "reports.vendor.example",
                    DestinationStatus::Authorized {
                        record_name: name("reports.vendor.example")
                    }
                ),
                (
                    "rua",
                    "other.vendor.example",
                    DestinationStatus::NotAuthorized {
                        record_name: Some(name("other.vendor.example"))
                    }
                ),
                (
                    "rua",
                    "override.vendor.example",
                    DestinationStatus::Overridden {
                        record_name: name("override.vendor.example"),
                        uris: DmarcRecord::parse(
                            "v=DMARC1; rua=mailto:inbox@override.vendor.example"
                        )
                        .unwrap()
                        .rua
                    }
                ),
                (
                    "rua",
                    "bad.vendor.example",
                    DestinationStatus::OverrideRejected {
                        record_name: name("bad.vendor.example")
                    }
                ),
                ("ruf", "ext.example", DestinationStatus::SameOrganization),
            ]
        );
        assert!(checked[0].status.is_authorized());
        assert!(!checked[3].status.is_authorized());
    }

    /// A hostile record with 40 destinations: the first 32 are checked,
    /// the rest are not, and the queries stay bounded.
    #[test]
    fn destinations_are_capped() {
        let dns = zone();
        let uris: Vec<String> = (0..40)
            .map(|i| format!("mailto:r@h{i}.vendor.example"))
            .collect();
        let text = format!("v=DMARC1; p=none; rua={}", uris.join(","));
        let record = DmarcRecord::parse(&text).unwrap();
        dns.reset_counters();
        let checked = run(authorize_report_destinations(&dns, "ext.example", &record)).unwrap();
        assert_eq!(checked.len(), 40);
        let not_checked = checked
            .iter()
            .filter(|d| d.status == DestinationStatus::NotChecked)
            .count();
        assert_eq!(not_checked, 40 - MAX_CHECKED_DESTINATIONS);
        assert!(!checked[39].status.is_authorized());
        // Per checked host: its own _dmarc query (the parents' are shared)
        // and the _report._dmarc query.
        assert!(dns.queries() <= 2 * 32 + 4, "{} queries", dns.queries());
    }

    /// A subdomain's host shares the Organizational Domain: no query to
    /// `_report._dmarc`.
    #[test]
    fn same_organization_needs_no_check() {
        let dns = zone();
        dns.enable_query_log();
        let record =
            DmarcRecord::parse("v=DMARC1; p=none; rua=mailto:d@reports.org.example").unwrap();
        let checked = run(authorize_report_destinations(&dns, "org.example", &record)).unwrap();
        assert_eq!(checked[0].status, DestinationStatus::SameOrganization);
        assert!(dns.query_log().iter().all(|q| !q.name.contains("_report")));
    }
}

#[cfg(feature = "serde")]
mod serde_round_trip {
    use super::*;

    #[test]
    fn output_json() {
        let out = run(evaluate(
            &zone(),
            &DmarcInput::new("mail.org.example").spf("org.example", SpfResult::Pass),
        ));
        let json = serde_json::to_string(&out).unwrap();
        assert!(json.contains("\"result\":\"pass\""), "{json}");
        assert_eq!(serde_json::from_str::<DmarcOutput>(&json).unwrap(), out);
    }
}
