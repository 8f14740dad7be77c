//! The doctor's checks: each runs one of the crate's checks and turns its
//! output into a [`Finding`] with evidence, receivers' reactions and a fix.

use std::net::IpAddr;

use super::spf_audit::{RecordProblem, SpfAudit, audit_spf};
use super::{CheckKind, DnsRecord, DoctorReport, Finding, Fix, SendingSetup, Subject, Verdict};
use mailauth_core::dmarc::{
    self, Alignment, DestinationStatus, DiscoveryOutcome, DmarcInput, DmarcOutput, DmarcResult,
    Policy, PolicyDiscovery, ReportDestination, Severity,
};
use mailauth_core::dns::{DnsResolver, RecordType, normalize_ip, reverse_name};
use mailauth_core::dnsbl::{
    self, Category, DnsblConfig, DnsblList, DnsblReport, ListOutcome, ListPolicy,
};
use mailauth_core::helo::{CheckStatus, HeloReport, check_helo};
use mailauth_core::iprev::{ForwardOutcome, IprevConfig, IprevOutput, IprevResult, iprev};
use mailauth_core::maildomain::{
    AddressRole, MailDomainReport, MailDomainStatus, check_mail_domain,
};
use mailauth_core::spf::{
    Mechanism, Modifier, NoRecordReason, Qualifier, SpfCause, SpfErrorKind, SpfOutput, SpfRecord,
    SpfResult, SpfVerifier, Term,
};

impl Finding {
    /// A finding of `check` in the situation `situation` (its code is
    /// `check.situation`: a stable token, documented with the JSON schema).
    fn new(
        situation: &str,
        check: CheckKind,
        verdict: Verdict,
        summary: impl Into<String>,
    ) -> Self {
        debug_assert!(
            crate::FINDING_CODES.contains(&format!("{check}.{situation}").as_str()),
            "{check}.{situation} is not in FINDING_CODES"
        );
        Self {
            code: format!("{check}.{situation}"),
            check,
            verdict,
            summary: summary.into(),
            result: None,
            evidence: Vec::new(),
            records: Vec::new(),
            receivers: Vec::new(),
            fix: Vec::new(),
        }
    }

    fn result(mut self, token: &str) -> Self {
        self.result = Some(token.to_owned());
        self
    }

    fn seen(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }

    /// A DNS record the finding rests on, with its evidence line.
    fn seen_record(mut self, record: DnsRecord) -> Self {
        let line = match record.record_type {
            RecordType::Txt => format!("{}: \"{}\"", record.name, record.value),
            _ => format!("{} {}: {}", record.record_type, record.name, record.value),
        };
        self.evidence.push(line);
        self.records.push(record);
        self
    }

    /// A DNS record the finding rests on, its evidence line written apart.
    fn record(mut self, record: DnsRecord) -> Self {
        self.records.push(record);
        self
    }

    fn receiver(mut self, line: impl Into<String>) -> Self {
        self.receivers.push(line.into());
        self
    }

    fn fix(mut self, action: impl Into<String>) -> Self {
        self.fix.push(Fix::action(action));
        self
    }

    fn publish(mut self, action: impl Into<String>, record: DnsRecord) -> Self {
        self.fix.push(Fix::publish(action, record));
        self
    }

    /// [`Self::publish`] when `needed`: a record that already exists is
    /// never proposed.
    fn and_publish(self, needed: bool, action: impl Into<String>, record: DnsRecord) -> Self {
        if needed {
            self.publish(action, record)
        } else {
            self
        }
    }
}

/// A domain as DNS compares it: lower case, no trailing dot.
impl Fix {
    /// A fix without a record.
    fn action(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            record: None,
        }
    }

    /// A fix that publishes `record`.
    fn publish(action: impl Into<String>, record: DnsRecord) -> Self {
        Self {
            action: action.into(),
            record: Some(record),
        }
    }
}

/// The record type of an address.
fn address_type(ip: IpAddr) -> RecordType {
    match ip {
        IpAddr::V4(_) => RecordType::A,
        IpAddr::V6(_) => RecordType::Aaaa,
    }
}

/// The finding of a check that needs the HELO name, when none is known.
fn skipped(check: CheckKind) -> Finding {
    Finding::new(
        "skipped",
        check,
        Verdict::Skipped,
        "not checked: no HELO name given (--helo NAME)",
    )
}

fn canonical(domain: &str) -> String {
    domain.trim_end_matches('.').to_ascii_lowercase()
}

pub(super) async fn diagnose(dns: &dyn DnsResolver, setup: &SendingSetup) -> DoctorReport {
    let verifier = SpfVerifier::default();
    let iprev_config = IprevConfig::default();
    let ip = normalize_ip(setup.ip);
    let mail_domain = canonical(setup.mail_from_domain());
    let from_domain = setup
        .from_domain
        .as_deref()
        .map_or_else(|| mail_domain.clone(), canonical);
    let options = DnsblConfig::default().fetch_reasons(true);
    // Without a HELO name, `%{h}` expands to nothing and the HELO checks
    // are skipped.
    let helo_name = setup.helo.as_deref().unwrap_or_default();
    let spf_helo = async {
        match &setup.helo {
            Some(helo) => Some(verifier.check_helo(dns, ip, helo).await),
            None => None,
        }
    };
    let host = host_name(helo_name, &mail_domain);
    let (spf_mail, spf_helo, client, sender, listed, audit, host_points_here) = futures_util::join!(
        verifier.check_mail_from(dns, ip, &setup.mail_from, helo_name),
        spf_helo,
        iprev(dns, ip, &iprev_config),
        check_mail_domain(dns, &mail_domain, AddressRole::Sender),
        dnsbl::check_ip(dns, ip, &setup.dnsbl_lists, &options),
        audit_spf(dns, &mail_domain),
        resolves_to(dns, &host, ip),
    );
    let mut input = DmarcInput::new(from_domain.clone()).spf(mail_domain.clone(), spf_mail.result);
    for domain in &setup.dkim_domains {
        input = input.dkim(domain.clone(), true);
    }
    // Without a confirmed PTR name there is nothing to compare the HELO
    // name with; the iprev finding reports that.
    let confirmed = (!client.confirmed.is_empty()).then_some(client.confirmed.as_slice());
    let end_user = listed.results.iter().any(|r| match &r.outcome {
        ListOutcome::Listed { listings, .. } => listings
            .iter()
            .any(|l| l.categories.contains(&Category::EndUser)),
        _ => false,
    });
    let helo = async {
        match &setup.helo {
            Some(helo) => Some(check_helo(dns, ip, helo, confirmed).await),
            None => None,
        }
    };
    let (helo, dmarc_out, spf_fix) = futures_util::join!(
        helo,
        dmarc::evaluate(dns, &input),
        spf_fix(dns, ip, helo_name, &client, &audit, &spf_mail, end_user),
    );
    let destinations = report_destinations(dns, dmarc_out.discovery.as_ref()).await;
    let findings = vec![
        spf_mail_from_finding(&mail_domain, ip, &spf_mail, spf_fix),
        match (&setup.helo, &spf_helo) {
            (Some(name), Some(out)) => spf_helo_finding(name, out),
            _ => skipped(CheckKind::SpfHelo),
        },
        iprev_finding(&client, &host, host_points_here),
        match &helo {
            Some(report) => helo_finding(report, &client, &mail_domain),
            None => skipped(CheckKind::Helo),
        },
        sender_domain_finding(&sender, &setup.mail_from),
        dnsbl_finding(&listed, &setup.dnsbl_lists),
        dmarc_finding(&dmarc_out, &mail_domain, setup.dkim_verified),
        spf_record_finding(&audit),
        dmarc_record_finding(
            &from_domain,
            dmarc_out.discovery.as_ref(),
            &destinations,
            domain_exists(&audit, &from_domain),
        ),
    ];
    DoctorReport {
        subject: Subject::Sending {
            ip,
            helo: setup.helo.clone(),
            mail_from: setup.mail_from.clone(),
            from_domain,
        },
        resolver: dns.description(),
        findings,
        bounce: None,
        headers: None,
    }
}

pub(super) async fn audit_domain(
    resolver: &dyn DnsResolver,
    domain: &str,
) -> Result<DoctorReport, dmarc::DmarcError> {
    let domain = dmarc::normalize_domain(domain)?;
    let (discovery, audit, mail) = futures_util::join!(
        dmarc::discover_policy(resolver, &domain),
        audit_spf(resolver, &domain),
        check_mail_domain(resolver, &domain, AddressRole::Sender),
    );
    let discovery = discovery?;
    let destinations = report_destinations(resolver, Some(&discovery)).await;
    let findings = vec![
        sender_domain_finding(&mail, &format!("postmaster@{}", discovery.domain)),
        spf_record_finding(&audit),
        dmarc_record_finding(
            &discovery.domain,
            Some(&discovery),
            &destinations,
            domain_exists(&audit, &discovery.domain),
        ),
    ];
    Ok(DoctorReport {
        subject: Subject::Domain {
            domain: discovery.domain.clone(),
        },
        resolver: resolver.description(),
        findings,
        bounce: None,
        headers: None,
    })
}

async fn report_destinations(
    resolver: &dyn DnsResolver,
    discovery: Option<&PolicyDiscovery>,
) -> Vec<ReportDestination> {
    let Some(found) = discovery.and_then(PolicyDiscovery::policy) else {
        return Vec::new();
    };
    dmarc::authorize_report_destinations(resolver, &found.policy_domain, &found.record)
        .await
        .unwrap_or_default()
}

/// What would make SPF pass for `ip`: an `include:` of a domain whose SPF
/// record already authorises it (the relay's own domain, found from a
/// broken include's parent or from the IP's confirmed PTR names), else the
/// address itself, unless it is an end-user address (`end_user`: on a
/// policy blocklist such as Spamhaus PBL), which should send through a
/// relay instead. Returns the fix lines.
async fn spf_fix(
    resolver: &dyn DnsResolver,
    ip: IpAddr,
    helo: &str,
    client: &IprevOutput,
    audit: &SpfAudit,
    output: &SpfOutput,
    end_user: bool,
) -> Vec<Fix> {
    if output.result == SpfResult::Pass || output.result == SpfResult::TempError {
        return Vec::new();
    }
    if let SpfCause::NoRecord {
        reason: NoRecordReason::NxDomain,
        domain,
    } = &output.cause
    {
        return vec![Fix::action(format!(
            "{domain} does not exist: send with a MAIL FROM address in a domain that exists \
             and publishes SPF (see sender-domain)"
        ))];
    }
    let mut candidates: Vec<String> = Vec::new();
    for name in audit
        .includes_without_record
        .iter()
        .chain(&client.confirmed)
    {
        let mut rest = canonical(name);
        // The name itself for PTR names, then its parents down to two labels.
        while let Some((_, parent)) = rest.split_once('.') {
            if !candidates.contains(&rest) {
                candidates.push(rest.clone());
            }
            if !parent.contains('.') {
                break;
            }
            rest = parent.to_owned();
        }
    }
    let mut authoriser = None;
    let verifier = SpfVerifier::default();
    for candidate in candidates.iter().take(8) {
        if audit.includes_without_record.contains(candidate) || *candidate == audit.domain {
            continue;
        }
        let check = verifier
            .check_host(
                resolver,
                ip,
                candidate,
                &format!("postmaster@{candidate}"),
                helo,
            )
            .await;
        if check.result == SpfResult::Pass {
            authoriser = Some(candidate.clone());
            break;
        }
    }
    if end_user && authoriser.is_none() {
        return vec![Fix::action(format!(
            "do not authorise {ip} in SPF: it is an end-user address (Spamhaus PBL); send \
             through the relay that the SPF record of {} authorises",
            audit.domain
        ))];
    }
    let address = match ip {
        IpAddr::V4(v4) => format!("ip4:{v4}"),
        IpAddr::V6(v6) => format!("ip6:{v6}"),
    };
    let term = authoriser
        .as_ref()
        .and_then(|domain| spf_term(&format!("include:{domain}")))
        .or_else(|| spf_term(&address));
    let mut fix = Vec::new();
    let broken = audit.includes_without_record.first();
    match (broken, &authoriser) {
        (Some(broken), Some(domain)) => fix.push(Fix::action(format!(
            "include:{broken} names a host without an SPF record; include {domain} instead, \
             whose SPF record authorises {ip}"
        ))),
        (_, Some(domain)) => fix.push(Fix::action(format!(
            "{domain} publishes an SPF record that authorises {ip} (the relay): include it"
        ))),
        (_, None) => fix.push(Fix::action(format!(
            "authorise {ip} in the SPF record of {}",
            audit.domain
        ))),
    }
    match term.and_then(|t| fixed_record(audit.record.as_deref(), broken.map(String::as_str), &t)) {
        Some(record) => fix.push(Fix::publish(
            "publish:",
            DnsRecord::txt(audit.domain.clone(), record),
        )),
        None => fix.push(Fix::action(format!(
            "correct the SPF record of {} first (see spf-record), then add {address}",
            audit.domain
        ))),
    }
    fix
}

/// One SPF term, built by the record parser from text the doctor wrote
/// from typed values (a domain that passed check_host(), an address).
pub(super) fn spf_term(text: &str) -> Option<Term> {
    SpfRecord::parse(&format!("v=spf1 {text}"))
        .ok()?
        .terms()
        .first()
        .cloned()
}

/// The SPF record `record` (as published) with `term` added before its
/// `all` (or `redirect=`), or in place of `include:<broken>`, rendered
/// from its parsed terms; a new record ending in `-all` when there is
/// none. `None` when the published record does not parse: the spf-record
/// finding says why, and no record built from a guess is proposed.
pub(super) fn fixed_record(
    record: Option<&str>,
    broken: Option<&str>,
    term: &Term,
) -> Option<String> {
    let mut terms: Vec<Term> = match record {
        Some(text) => SpfRecord::parse(text).ok()?.terms().to_vec(),
        None => SpfRecord::parse("v=spf1 -all").ok()?.terms().to_vec(),
    };
    let is_broken = |t: &Term| match (t, broken) {
        (Term::Directive(d), Some(broken)) => matches!(
            &d.mechanism,
            Mechanism::Include(target) if target.to_string().eq_ignore_ascii_case(broken)
        ),
        _ => false,
    };
    if let Some(slot) = terms.iter_mut().find(|t| is_broken(t)) {
        *slot = term.clone();
    } else {
        let end = terms
            .iter()
            .position(|t| {
                matches!(t, Term::Directive(d) if d.mechanism == Mechanism::All)
                    || matches!(t, Term::Modifier(Modifier::Redirect(_)))
            })
            .unwrap_or(terms.len());
        terms.insert(end, term.clone());
    }
    let rendered: Vec<String> = terms.iter().map(Term::to_string).collect();
    Some(format!("v=spf1 {}", rendered.join(" ")))
}

fn spf_mail_from_finding(domain: &str, ip: IpAddr, out: &SpfOutput, fix: Vec<Fix>) -> Finding {
    let check = CheckKind::SpfMailFrom;
    let cause = out.cause.summary();
    let mut finding = match out.result {
        SpfResult::Pass => Finding::new(
            "pass",
            check,
            Verdict::Ok,
            format!("SPF pass for {domain}: {cause}"),
        ),
        SpfResult::Fail => Finding::new(
            "fail",
            check,
            Verdict::Fail,
            format!("SPF fail: {domain} does not authorise {ip}"),
        )
        .receiver(format!(
            "Gmail: 550 5.7.26 ... SPF check did not pass with ip: [{ip}] (without a DKIM pass)"
        ))
        .receiver("receivers enforcing SPF reject -all failures outright"),
        SpfResult::SoftFail => Finding::new(
            "softfail",
            check,
            Verdict::Warn,
            format!("SPF softfail: {domain} probably does not authorise {ip}"),
        )
        .receiver("most receivers accept ~all failures but score them as spam")
        .receiver(format!(
            "Gmail (550 5.7.26) and Yahoo (550 5.7.9) refuse mail that passes neither SPF \
             nor DKIM: softfail is not a pass, so without a DKIM signature of {domain} the mail \
             from {ip} is refused"
        )),
        SpfResult::Neutral => Finding::new(
            "neutral",
            check,
            Verdict::Warn,
            format!("SPF neutral: {domain} makes no assertion about {ip}"),
        )
        .receiver("Gmail counts neutral as not authenticated: 550 5.7.26 without DKIM"),
        SpfResult::None => Finding::new(
            "none",
            check,
            Verdict::Fail,
            format!("SPF none: no SPF record for {domain}"),
        )
        .receiver("Gmail: 550 5.7.26 ... unauthenticated (needs SPF or DKIM)"),
        SpfResult::PermError => {
            let finding = Finding::new(
                "permerror",
                check,
                Verdict::Fail,
                format!("SPF permerror: the SPF record of {domain} is broken"),
            )
            .receiver("receivers treat permerror like fail or like no SPF at all");
            if let SpfCause::Error {
                kind: SpfErrorKind::IncludeNone,
                ..
            } = out.cause
            {
                finding.receiver(format!(
                    "Gmail: 550 5.7.26 ... SPF check did not pass with ip: [{ip}]"
                ))
            } else {
                finding
            }
        }
        SpfResult::TempError => Finding::new(
            "temperror",
            check,
            Verdict::Error,
            format!("SPF temperror: DNS failed while checking {domain}"),
        )
        .receiver("receivers answer 451 4.4.3 and retry later"),
    };
    finding = finding.seen(cause).seen(format!(
        "DNS-querying terms: {} of 10, void lookups: {} of 2",
        out.lookups, out.void_lookups
    ));
    finding.fix = fix;
    finding.result(out.result.as_str())
}

fn spf_helo_finding(helo: &str, out: &SpfOutput) -> Finding {
    let check = CheckKind::SpfHelo;
    let cause = out.cause.summary();
    let finding = match out.result {
        SpfResult::Pass => Finding::new("pass", check, Verdict::Ok, format!("SPF pass for the HELO name {helo}")),
        // RFC 7208 §2.3 recommends the record; receivers treat its absence
        // as no assertion, so it is advice, not a problem.
        SpfResult::None => Finding::new(
            "none",
            check,
            Verdict::Ok,
            format!("no SPF record for the HELO name {helo} (optional)"),
        )
        .fix(format!(
            "optional, for bounces (checked against the HELO name): publish {}. TXT \"v=spf1 a -all\"",
            canonical(helo)
        )),
        SpfResult::Fail => Finding::new(
            "fail",
            check,
            Verdict::Fail,
            format!("SPF fail for the HELO name {helo}"),
        )
        .receiver("RFC 7208 section 2.3: receivers may reject on a HELO fail alone")
        .fix(format!(
            "authorise the host in the SPF record of {}, e.g. \"v=spf1 a -all\"",
            canonical(helo)
        )),
        SpfResult::TempError => {
            Finding::new("temperror", check, Verdict::Error, format!("SPF temperror for {helo}"))
        }
        other => Finding::new(other.as_str(),
            check,
            Verdict::Warn,
            format!("SPF {other} for the HELO name {helo}"),
        ),
    };
    finding.seen(cause).result(out.result.as_str())
}

/// The name a mail host should be known by: the HELO name when it is a
/// real host name, else `mail.<domain>`.
fn host_name(helo: &str, mail_domain: &str) -> String {
    let helo = canonical(helo);
    if helo.contains('.') && !helo.starts_with('[') && helo != mail_domain {
        helo
    } else {
        format!("mail.{mail_domain}")
    }
}

/// Whether `name` has an address record for `ip`.
async fn resolves_to(dns: &dyn DnsResolver, name: &str, ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => dns.a(name).await.is_ok_and(|a| a.contains(&v4)),
        IpAddr::V6(v6) => dns.aaaa(name).await.is_ok_and(|a| a.contains(&v6)),
    }
}

/// The iprev finding; `name` is the host name to propose for the PTR
/// record, and `name_points_here` whether it already resolves to the IP
/// (then no address record is proposed).
fn iprev_finding(out: &IprevOutput, name: &str, name_points_here: bool) -> Finding {
    let check = CheckKind::Iprev;
    let ip = out.ip;
    let reverse = reverse_name(ip).to_string();
    let postfix = |mut finding: Finding| {
        if let Some(reply) = &out.postfix.reverse_reject {
            finding = finding.receiver(format!(
                "Postfix reject_unknown_reverse_client_hostname: {reply}"
            ));
        }
        if let Some(reply) = &out.postfix.client_reject {
            finding = finding.receiver(format!("Postfix reject_unknown_client_hostname: {reply}"));
        }
        finding
    };
    let name = name.to_owned();
    let finding = match out.result {
        IprevResult::Pass => Finding::new(
            "pass",
            check,
            Verdict::Ok,
            format!(
                "{ip} has a PTR name that resolves back: {}",
                out.confirmed.join(", ")
            ),
        )
        .seen(format!("PTR {reverse}: {}", out.ptr_names.join(", "))),
        IprevResult::PermError => postfix(
            Finding::new(
                "no-ptr",
                check,
                Verdict::Fail,
                format!("{ip} has no PTR record (reverse DNS)"),
            )
            .seen(format!(
                "PTR {reverse}: {}",
                out.ptr_error
                    .as_ref()
                    .map_or_else(|| "no answer".to_owned(), ToString::to_string)
            )),
        )
        .publish(
            format!("ask whoever holds {ip} (hosting provider, ISP) to publish:"),
            DnsRecord::new(reverse.to_string(), RecordType::Ptr, name.clone()),
        )
        .and_publish(
            !name_points_here,
            "and publish:",
            DnsRecord::new(name.clone(), address_type(ip), ip.to_string()),
        ),
        IprevResult::Fail => {
            let mut finding = Finding::new(
                "ptr-mismatch",
                check,
                Verdict::Fail,
                format!("the PTR name of {ip} does not resolve back to it"),
            )
            .seen(format!("PTR {reverse}: {}", out.ptr_names.join(", ")));
            for forward in &out.forward {
                let seen = match &forward.outcome {
                    ForwardOutcome::Mismatch(addresses) => {
                        let list: Vec<String> = addresses.iter().map(ToString::to_string).collect();
                        format!("{} resolves to {}, not {ip}", forward.name, list.join(", "))
                    }
                    ForwardOutcome::NoAddress(e) => format!("{} has no address: {e}", forward.name),
                    ForwardOutcome::Error(e) => format!("{}: {e}", forward.name),
                    _ => format!("{} confirms", forward.name),
                };
                finding = finding.seen(seen);
            }
            let ptr = out.ptr_names.first().map_or(name, |n| canonical(n));
            postfix(finding).fix(format!(
                "make the PTR name resolve back: publish {ptr}. A {ip} (or point the PTR at a name that does)"
            ))
        }
        IprevResult::TempError => Finding::new(
            "temperror",
            check,
            Verdict::Error,
            format!("the reverse DNS of {ip} could not be checked (DNS failure)"),
        )
        .seen(format!(
            "PTR {reverse}: {}",
            out.ptr_error
                .as_ref()
                .map_or_else(|| "forward lookup failed".to_owned(), ToString::to_string)
        ))
        .receiver("Postfix: 450 4.7.1 ... cannot find your reverse hostname (temporary)"),
    };
    let mut finding = finding;
    for name in &out.ptr_names {
        finding = finding.record(DnsRecord::new(&reverse, RecordType::Ptr, canonical(name)));
    }
    for forward in &out.forward {
        if let ForwardOutcome::Mismatch(addresses) = &forward.outcome {
            for address in addresses {
                finding = finding.record(DnsRecord::new(
                    canonical(&forward.name),
                    address_type(*address),
                    address.to_string(),
                ));
            }
        }
    }
    finding.result(out.result.as_str())
}

fn helo_finding(report: &HeloReport, client: &IprevOutput, mail_domain: &str) -> Finding {
    let check = CheckKind::Helo;
    let helo = &report.helo;
    let verdicts = [
        (&report.syntax, Verdict::Fail),
        (&report.fqdn, Verdict::Fail),
        (&report.resolves, Verdict::Fail),
        (&report.resolves_to_client, Verdict::Warn),
        (&report.matches_ptr, Verdict::Warn),
        (&report.literal_matches_client, Verdict::Warn),
    ];
    let mut worst = Verdict::Ok;
    let mut finding = Finding::new("ok", check, Verdict::Ok, String::new());
    for (verdict, severity) in verdicts {
        let level = match verdict.status {
            CheckStatus::Pass | CheckStatus::NotApplicable => continue,
            CheckStatus::Fail => severity,
            CheckStatus::TempError => Verdict::Error,
        };
        worst = worst.max(level);
        finding = finding.seen(verdict.evidence.clone());
        if let Some(reply) = &verdict.postfix {
            finding = finding.receiver(format!("Postfix: {reply}"));
        }
    }
    let confirmed = client.confirmed.first().map(|n| canonical(n));
    // An access provider's generic name is never a HELO to propose.
    let generic = confirmed
        .clone()
        .filter(|name| generic_ptr_name(name, client.ip));
    let ptr = confirmed.filter(|_| generic.is_none());
    let bare = canonical(helo) == mail_domain;
    finding.verdict = worst;
    let (situation, summary) = match worst {
        Verdict::Ok => (
            "ok",
            format!("HELO {helo} is the host's name and resolves to it"),
        ),
        _ if bare => (
            "bare-domain",
            format!("HELO {helo} is the bare domain, not the host's name"),
        ),
        Verdict::Error => (
            "temperror",
            format!("HELO {helo} could not be checked (DNS failure)"),
        ),
        _ => (
            "not-this-host",
            format!("HELO {helo} does not identify this host"),
        ),
    };
    finding.code = format!("{check}.{situation}");
    finding.summary = summary;
    if worst != Verdict::Ok {
        let name = ptr.unwrap_or_else(|| host_name(helo, mail_domain));
        if report.matches_ptr.status == CheckStatus::Fail || bare {
            finding = finding.receiver(
                "spam filters (SpamAssassin, rspamd) score a HELO that matches no PTR name",
            );
        }
        if let Some(generic) = &generic {
            finding = finding.fix(format!(
                "{generic} is an access provider's generic name for {}: do not announce it \
                 as HELO; send through your provider's relay, or move the server to an \
                 address whose PTR names it (such as {name})",
                client.ip
            ));
        } else if canonical(helo) != name {
            finding = finding.fix(format!(
                "send HELO {name}: Postfix smtp_helo_name = {name} (or myhostname = {name})"
            ));
        } else if report.resolves_to_client.status == CheckStatus::Fail {
            finding = finding.publish(
                "publish:",
                DnsRecord::new(name.clone(), address_type(client.ip), client.ip.to_string()),
            );
        }
    }
    finding
}

/// Whether `name` looks like an access provider's generic name for a
/// dynamic or end-user address: it spells out three or more of the
/// address's IPv4 octets, or a label names a pool (`dsl`, `dynamic`,
/// `pool`, `cable`, ...). A heuristic, as receivers' own are (SpamAssassin
/// RDNS_DYNAMIC, Postfix's generic-name lists); it decides only what the
/// doctor proposes, never a verdict.
pub(super) fn generic_ptr_name(name: &str, ip: IpAddr) -> bool {
    const POOL_WORDS: &[&str] = &[
        "adsl",
        "broadband",
        "cable",
        "client",
        "clients",
        "cust",
        "customer",
        "dhcp",
        "dial",
        "dialup",
        "dsl",
        "dyn",
        "dynamic",
        "fios",
        "ftth",
        "pool",
        "ppp",
        "pppoe",
        "residential",
        "vdsl",
    ];
    let name = name.to_ascii_lowercase();
    let words = name.split(|c: char| !c.is_ascii_alphabetic());
    if words.into_iter().any(|w| POOL_WORDS.contains(&w)) {
        return true;
    }
    let IpAddr::V4(v4) = ip else { return false };
    let numbers: Vec<u8> = name
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|run| run.parse().ok())
        .collect();
    v4.octets().iter().filter(|o| numbers.contains(o)).count() >= 3
}

fn sender_domain_finding(report: &MailDomainReport, mail_from: &str) -> Finding {
    let check = CheckKind::SenderDomain;
    let domain = &report.domain;
    let finding = match &report.status {
        MailDomainStatus::Mx(_) | MailDomainStatus::ImplicitMx(_) => Finding::new(
            "receives-mail",
            check,
            Verdict::Ok,
            format!("{domain} receives mail: bounces can come back"),
        ),
        MailDomainStatus::NullMx => Finding::new(
            "null-mx",
            check,
            Verdict::Warn,
            format!("{domain} publishes a null MX: it receives no mail, not even bounces"),
        )
        .fix(format!("send with a MAIL FROM address in a domain that receives mail, not {mail_from}")),
        MailDomainStatus::NotFound(_) | MailDomainStatus::InvalidDomain => Finding::new(
            "not-found",
            check,
            Verdict::Fail,
            format!("the MAIL FROM domain {domain} does not resolve: no MX, no address"),
        )
        .receiver("bounces to it are lost, and servers that accept such mail flood others with backscatter")
        .fix(format!("publish MX records for {domain} (or an A record), or send with a MAIL FROM address in a domain that receives mail")),
        // A status of a newer core: no conclusion.
        MailDomainStatus::TempError(_) | _ => Finding::new(
            "temperror",
            check,
            Verdict::Error,
            format!("{domain} could not be checked (DNS failure)"),
        ),
    };
    let mut finding = finding.seen(format!("{domain}: {}", report.status));
    match &report.status {
        MailDomainStatus::Mx(mxs) => {
            for mx in mxs {
                let value = format!("{} {}", mx.preference, mx.exchange);
                finding = finding.record(DnsRecord::new(domain, RecordType::Mx, value));
            }
        }
        MailDomainStatus::ImplicitMx(addresses) => {
            for address in addresses {
                let record = DnsRecord::new(domain, address_type(*address), address.to_string());
                finding = finding.record(record);
            }
        }
        MailDomainStatus::NullMx => {
            finding = finding.record(DnsRecord::new(domain, RecordType::Mx, "0 "));
        }
        _ => {}
    }
    match &report.postfix {
        Some(reply) => finding.receiver(format!("Postfix reject_unknown_sender_domain: {reply}")),
        None => finding,
    }
}

/// The fix for one listing, by what the listing says about the sender
/// (its typed category, never its text).
fn delisting(zone: &str, category: Option<Category>) -> String {
    let spamhaus = zone == "spamhaus.org" || zone.ends_with(".spamhaus.org");
    let (operator, removal) = if spamhaus {
        ("Spamhaus", "https://check.spamhaus.org".to_owned())
    } else {
        ("the list's operator", format!("the lookup page of {zone}"))
    };
    match category {
        Some(Category::EndUser) => format!(
            "the address is in an end-user range that should not send mail directly: send \
             through your provider's relay (Postfix: relayhost = [smtp.your-isp]:587 with SASL), \
             or, for a static mail server, request removal from the end-user list at {removal}"
        ),
        Some(Category::LowReputation) => format!(
            "{operator} saw spam-like sending from this address (bad HELO, missing reverse DNS, \
             a compromised account): fix the cause, then request removal at {removal}"
        ),
        Some(Category::Exploited) => format!(
            "the host looks infected or is an open proxy: clean it, then request removal at \
             {removal}"
        ),
        Some(Category::Spam | Category::Hijacked) => format!(
            "the address is listed as a spam source: contact the holder of the range (your \
             provider); see {removal}"
        ),
        Some(category) => {
            format!("listed for {category}: remove the cause, then request removal at {removal}")
        }
        None => format!("find the listing and its removal procedure on {removal}"),
    }
}

fn dnsbl_finding(report: &DnsblReport, lists: &[DnsblList]) -> Finding {
    let check = CheckKind::Dnsbl;
    let ip = &report.target;
    let blocked = report.blocked_by();
    let errors = report.errors();
    // The lists that take this target (SpamCop, say, takes no IPv6).
    let names: Vec<&str> = lists
        .iter()
        .filter(|l| {
            report.results.iter().any(|r| {
                r.list == l.id && r.outcome != ListOutcome::Error(dnsbl::ListError::NotApplicable)
            })
        })
        .map(|l| l.zone.as_str())
        .collect();
    let mut finding = if !blocked.is_empty() {
        Finding::new(
            "listed",
            check,
            Verdict::Fail,
            format!("{ip} is listed on {}", blocked.join(", ")),
        )
    } else if !errors.is_empty() {
        Finding::new(
            "list-errors",
            check,
            Verdict::Error,
            format!("{ip}: some blocklists gave no usable answer"),
        )
    } else if lists.is_empty() {
        Finding::new("no-lists", check, Verdict::Ok, "no blocklist asked")
    } else if names.is_empty() {
        Finding::new(
            "not-applicable",
            check,
            Verdict::Ok,
            format!("none of the blocklists takes {ip}"),
        )
    } else {
        Finding::new(
            "not-listed",
            check,
            Verdict::Ok,
            format!("{ip} is on none of {}", names.join(", ")),
        )
    };
    for result in &report.results {
        let zone = lists
            .iter()
            .find(|l| l.id == result.list)
            .map_or(result.list.as_str(), |l| l.zone.as_str());
        match &result.outcome {
            ListOutcome::Listed { listings, reasons } => {
                for listing in listings {
                    finding = finding
                        .seen(format!(
                            "{}: {} {}",
                            result.query, listing.code, listing.meaning
                        ))
                        .record(DnsRecord::new(
                            &result.query,
                            RecordType::A,
                            listing.code.to_string(),
                        ));
                    if result.policy == ListPolicy::Block {
                        let fixes: Vec<String> = if listing.categories.is_empty() {
                            vec![delisting(zone, None)]
                        } else {
                            listing
                                .categories
                                .iter()
                                .map(|c| delisting(zone, Some(*c)))
                                .collect()
                        };
                        for fix in fixes {
                            if !finding.fix.iter().any(|f| f.action == fix) {
                                finding = finding.fix(fix);
                            }
                        }
                    }
                }
                for reason in reasons {
                    finding = finding.seen(format!("{}: \"{reason}\"", result.query));
                }
                if result.policy == ListPolicy::Block {
                    finding = finding.receiver(format!(
                        "Postfix reject_rbl_client {zone}: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using {zone}"
                    ));
                }
            }
            ListOutcome::Error(error) if *error != dnsbl::ListError::NotApplicable => {
                finding = finding.seen(format!("{}: {error}", result.list));
                if zone.ends_with("spamhaus.org") {
                    finding = finding.fix(
                        "Spamhaus answers only through your own recursive resolver (not \
                         8.8.8.8 or 1.1.1.1), or through DQS with a free key",
                    );
                }
            }
            _ => {}
        }
    }
    if !blocked.is_empty() {
        finding = finding.receiver(
            "the sender's log still says status=sent when a relay accepted the mail; \
             the final receiver rejects it or files it as spam",
        );
    }
    finding
}

/// The dmarc finding; `verified`: the DKIM passes were verified on the
/// message, not taken on trust.
fn dmarc_finding(out: &DmarcOutput, mail_domain: &str, verified: bool) -> Finding {
    let check = CheckKind::Dmarc;
    let domain = out
        .discovery
        .as_ref()
        .map_or(out.from_domain.as_str(), |d| d.domain.as_str());
    let applied = out.applied_policy();
    let mut finding = match out.result {
        DmarcResult::Pass => Finding::new(
            "pass",
            check,
            Verdict::Ok,
            format!("DMARC pass for {domain}"),
        ),
        DmarcResult::Fail => {
            let verdict = if applied == Some(Policy::None) {
                Verdict::Warn
            } else {
                Verdict::Fail
            };
            let finding = Finding::new(
                "fail",
                check,
                verdict,
                format!(
                    "DMARC fail for {domain}: no aligned SPF or DKIM pass; policy {}",
                    applied.map_or("none", Policy::as_str)
                ),
            );
            match applied {
                Some(Policy::Reject) => finding.receiver(format!(
                    "Gmail: 550 5.7.26 Unauthenticated email from {domain} is not accepted due to domain's DMARC policy"
                )),
                Some(Policy::Quarantine) => finding.receiver("receivers deliver it to the spam folder"),
                _ => finding.receiver("p=none: delivered, but Gmail and Yahoo count it as unauthenticated"),
            }
            .fix(format!(
                "make SPF pass for a MAIL FROM address in {domain}'s organisation, or sign with DKIM d={domain}"
            ))
        }
        DmarcResult::None => Finding::new(
            "none",
            check,
            Verdict::Warn,
            format!("no DMARC policy applies to {domain}"),
        ),
        DmarcResult::TempError => Finding::new(
            "temperror",
            check,
            Verdict::Error,
            format!("DMARC for {domain} could not be evaluated (DNS failure)"),
        ),
        DmarcResult::PermError => Finding::new(
            "permerror",
            check,
            Verdict::Fail,
            format!("the From domain {domain} is not a valid domain"),
        ),
    };
    finding = finding.seen(out.authentication_results());
    if let Some(spf) = &out.spf {
        let alignment = match spf.alignment {
            Alignment::Identical => "identical to the From domain",
            Alignment::Relaxed => "same organisation as the From domain",
            Alignment::NotAligned => "not aligned with the From domain",
            Alignment::TempError => "alignment unknown (DNS failure)",
            Alignment::NotChecked => "alignment not checked",
        };
        let result = if spf.authenticated {
            "passed"
        } else {
            "did not pass"
        };
        finding = finding.seen(format!("SPF {result} for {mail_domain} ({alignment})"));
    }
    for dkim in &out.dkim {
        let aligned = match dkim.alignment {
            Alignment::Identical | Alignment::Relaxed => "aligned",
            Alignment::NotChecked => "alignment not checked",
            Alignment::TempError => "alignment unknown (DNS failure)",
            Alignment::NotAligned => "not aligned",
        };
        let how = if verified {
            "verified here"
        } else {
            "assumed valid"
        };
        finding = finding.seen(format!("DKIM d={} ({how}), {aligned}", dkim.domain));
    }
    finding.result(out.result.as_str())
}

fn spf_record_finding(audit: &SpfAudit) -> Finding {
    let check = CheckKind::SpfRecord;
    let domain = &audit.domain;
    let Some(record) = &audit.record else {
        return spf_problem_finding(domain, audit.problem.as_ref());
    };
    let mut problems: Vec<(Verdict, &str, String)> = Vec::new();
    if audit.dns_terms > 10 {
        problems.push((
            Verdict::Fail,
            "too-many-lookups",
            format!(
                "{} DNS-querying terms, more than 10: every receiver returns permerror",
                audit.dns_terms
            ),
        ));
    }
    for target in &audit.includes_without_record {
        problems.push((
            Verdict::Fail,
            "include-without-record",
            format!("include:{target} publishes no SPF record: permerror"),
        ));
    }
    if audit.void_lookups > 2 {
        problems.push((
            Verdict::Fail,
            "too-many-void-lookups",
            format!(
                "{} void lookups, more than 2: permerror",
                audit.void_lookups
            ),
        ));
    }
    if audit.plus_all {
        problems.push((
            Verdict::Fail,
            "plus-all",
            "+all authorises every host on the internet".to_owned(),
        ));
    }
    if audit.uses_ptr {
        problems.push((
            Verdict::Warn,
            "uses-ptr",
            "ptr is slow and discouraged (RFC 7208 section 5.5)".to_owned(),
        ));
    }
    if audit.missing_all {
        problems.push((
            Verdict::Warn,
            "missing-all",
            "no all term: unknown hosts get neutral".to_owned(),
        ));
    }
    let worst = problems
        .iter()
        .map(|(v, _, _)| *v)
        .max()
        .unwrap_or(Verdict::Ok);
    let mut finding = Finding::new(
        problems.first().map_or("sound", |(_, code, _)| code),
        check,
        worst,
        match problems.first() {
            None => format!("the SPF record of {domain} is sound"),
            Some((_, _, first)) => format!("the SPF record of {domain}: {first}"),
        },
    )
    .seen_record(DnsRecord::txt(domain, record))
    .seen(format!(
        "DNS-querying terms: {} of 10, void lookups: {} of 2",
        audit.dns_terms, audit.void_lookups
    ));
    for (_, _, problem) in problems.iter().skip(1) {
        finding = finding.seen(problem.clone());
    }
    for error in &audit.dns_errors {
        finding = finding.seen(error.clone());
    }
    if audit.truncated {
        finding = finding.seen(
            "the audit stopped at its limits (30 records, 50 targets): the counts are lower bounds",
        );
    }
    if audit.plus_all {
        finding = finding.fix("end the record with -all (or ~all), never +all");
    }
    if audit.dns_terms > 10 {
        finding = finding
            .fix("replace includes by the ip4:/ip6: ranges they stand for, or drop unused ones");
    }
    for target in &audit.includes_without_record {
        let parent = audit.include_parents.iter().find(|p| p.include == *target);
        let fixed = parent.and_then(|p| {
            let term = spf_term(&format!("include:{}", p.parent))?;
            Some((p, fixed_record(Some(record), Some(target), &term)?))
        });
        finding = match fixed {
            Some((parent, fixed)) => finding.publish(
                format!(
                    "include:{target} names a host without an SPF record; {} publishes one: \
                     include it instead:",
                    parent.parent
                ),
                DnsRecord::txt(domain, fixed),
            ),
            None => finding.fix(format!(
                "remove include:{target} (it publishes no SPF record), or ask its operator \
                 which name to include"
            )),
        };
    }
    if audit.void_lookups > 2 {
        finding = finding.fix(format!(
            "remove or correct the terms whose names do not exist or have no address: {}",
            audit.void_terms.join(", ")
        ));
    }
    if audit.missing_all {
        finding = finding.publish(
            "end the record with -all:",
            DnsRecord::txt(audit.domain.clone(), format!("{record} -all")),
        );
    }
    finding
}

/// The spf-record finding when `domain` has no usable record: what
/// receivers conclude, and a record to publish only where one can be (the
/// domain exists, DNS answered).
fn spf_problem_finding(domain: &str, problem: Option<&RecordProblem>) -> Finding {
    let check = CheckKind::SpfRecord;
    match problem {
        None | Some(RecordProblem::NoRecord) => Finding::new(
            "no-record",
            check,
            Verdict::Fail,
            format!("{domain} publishes no SPF record"),
        )
        .receiver("Gmail and Yahoo require SPF or DKIM from every sender")
        .publish(
            format!("publish one record (mx: the hosts that receive for {domain} also send):"),
            DnsRecord::txt(domain, "v=spf1 mx -all"),
        ),
        Some(RecordProblem::NoDomain) => Finding::new(
            "no-domain",
            check,
            Verdict::Fail,
            format!("{domain} does not exist (NXDOMAIN): it has no SPF record"),
        )
        .receiver("receivers refuse mail from a MAIL FROM domain that does not exist")
        .fix(format!(
            "send from an address in a domain that exists, or create {domain} in DNS              first (see sender-domain)"
        )),
        Some(RecordProblem::Several { records }) => {
            let mut finding = Finding::new(
                "several-records",
                check,
                Verdict::Fail,
                format!(
                    "{domain} publishes {} SPF records: every receiver returns permerror",
                    records.len()
                ),
            )
            .receiver("RFC 7208 section 4.5: more than one record is a permerror, never a pass");
            for text in records {
                finding = finding.seen_record(DnsRecord::txt(domain, text));
            }
            match merged_record(records) {
                Some(merged) => finding.publish(
                    "replace them with one record that authorises what they did:",
                    DnsRecord::txt(domain, merged),
                ),
                None => finding.fix(
                    "merge them by hand into one record (one of them does not parse or \
                     delegates with redirect=)",
                ),
            }
        }
        Some(RecordProblem::Syntax {
            record,
            offset,
            error,
        }) => Finding::new(
            "syntax-error",
            check,
            Verdict::Fail,
            format!("the SPF record of {domain} does not parse: every receiver returns permerror"),
        )
        .seen_record(DnsRecord::txt(domain, record))
        .seen(format!("at byte {offset}: {error}"))
        .fix(format!("correct the record at byte {offset}")),
        Some(RecordProblem::Dns { error }) => Finding::new(
            "temperror",
            check,
            Verdict::Error,
            format!("the SPF record of {domain} could not be read: {error}"),
        )
        .receiver("receivers answer 451 4.4.3 (temperror) and retry later")
        .fix("ask again later; if it lasts, check the domain's nameservers"),
    }
}

/// One SPF record that authorises what each of `records` authorises (RFC
/// 7208 §3.2: a domain publishes one): their directives except `all`, in
/// order and without repeats, then the strictest `all` among them (`-`
/// over `~` over `?`; `+all` is never carried over), and the first `exp=`.
/// `None` when one does not parse, or one delegates with `redirect=`: next
/// to an `all`, a redirect is ignored (§6.1), so merging would change what
/// the records mean.
pub(super) fn merged_record(records: &[String]) -> Option<String> {
    let rank = |q: Qualifier| match q {
        Qualifier::Fail => 3,
        Qualifier::SoftFail => 2,
        Qualifier::Neutral => 1,
        Qualifier::Pass => 0,
    };
    let mut terms: Vec<Term> = Vec::new();
    let mut all: Option<Term> = None;
    let mut exp: Option<Term> = None;
    for text in records {
        for term in SpfRecord::parse(text).ok()?.terms() {
            match term {
                Term::Directive(d) if d.mechanism == Mechanism::All => {
                    let stricter = match &all {
                        Some(Term::Directive(kept)) => rank(d.qualifier) > rank(kept.qualifier),
                        _ => d.qualifier != Qualifier::Pass,
                    };
                    if stricter {
                        all = Some(term.clone());
                    }
                }
                Term::Modifier(Modifier::Redirect(_)) => return None,
                Term::Modifier(Modifier::Exp(_)) => {
                    exp.get_or_insert_with(|| term.clone());
                }
                _ if !terms.contains(term) => terms.push(term.clone()),
                _ => {}
            }
        }
    }
    let rendered: Vec<String> = terms
        .iter()
        .chain(&all)
        .chain(&exp)
        .map(Term::to_string)
        .collect();
    Some(format!("v=spf1 {}", rendered.join(" ")))
}

/// Whether `domain` exists, when the SPF audit asked it: `None` for
/// another domain.
fn domain_exists(audit: &SpfAudit, domain: &str) -> Option<bool> {
    (canonical(&audit.domain) == canonical(domain))
        .then(|| audit.problem != Some(RecordProblem::NoDomain))
}

/// The dmarc-record finding; `exists` is `Some(false)` when `domain` is
/// known not to exist, and then no record is proposed.
fn dmarc_record_finding(
    domain: &str,
    discovery: Option<&PolicyDiscovery>,
    destinations: &[ReportDestination],
    exists: Option<bool>,
) -> Finding {
    let check = CheckKind::DmarcRecord;
    let org = discovery
        .and_then(|d| d.organizational_domain.as_deref())
        .unwrap_or(domain);
    // Two steps: a reporting record, then a policy once the reports show
    // only the domain's own mail failing.
    let suggested = |finding: Finding| {
        finding
            .publish(
                "publish:",
                DnsRecord::txt(
                    format!("_dmarc.{org}"),
                    format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{org}"),
                ),
            )
            .fix("then p=quarantine once the reports show only your own mail failing")
    };
    let Some(discovery) = discovery else {
        return Finding::new(
            "invalid-domain",
            check,
            Verdict::Fail,
            format!("{domain} is not a valid domain"),
        );
    };
    let found = match &discovery.outcome {
        DiscoveryOutcome::Found(found) => found,
        DiscoveryOutcome::NoRecord => {
            if let Some(found) = discarded(discovery) {
                return several_dmarc_records(found);
            }
            if exists == Some(false) {
                return Finding::new(
                    "no-domain",
                    check,
                    Verdict::Fail,
                    format!("{domain} does not exist (NXDOMAIN): it has no DMARC record"),
                )
                .seen(format!("queried: {}", query_list(discovery)))
                .fix(format!(
                    "put an existing domain in the From header, or create {domain} in DNS first"
                ));
            }
            return suggested(Finding::new("no-record", check, Verdict::Warn, format!("no DMARC record for {domain} or its organisation"))
                .seen(format!("queried: {}", query_list(discovery)))
                .receiver("Gmail and Yahoo require a DMARC record from bulk senders; without one, spoofed mail in your name is not stopped"));
        }
        DiscoveryOutcome::TempError { name, error } => {
            return Finding::new(
                "temperror",
                check,
                Verdict::Error,
                format!("DMARC discovery failed: {name}: {error}"),
            );
        }
        other => {
            return Finding::new(
                "discovery-error",
                check,
                Verdict::Error,
                format!("DMARC discovery: {other:?}"),
            );
        }
    };
    let record_name = format!("_dmarc.{}", found.policy_domain);
    // The situation is the declared policy, or its absence.
    let situation = match found.declared_policy {
        None => "no-policy".to_owned(),
        Some(Policy::None) => "p-none".to_owned(),
        Some(policy) => format!("p-{policy}"),
    };
    let mut finding = Finding::new(
        &situation,
        check,
        Verdict::Ok,
        format!("{record_name} publishes a DMARC policy"),
    )
    .seen_record(DnsRecord::txt(&record_name, &found.text));
    let mut worst = Verdict::Ok;
    for diagnostic in &found.diagnostics {
        finding = finding.seen(format!("{}", diagnostic));
        if diagnostic.severity == Severity::Error {
            worst = worst.max(Verdict::Warn);
        }
    }
    match found.declared_policy {
        None => {
            worst = Verdict::Fail;
            finding.summary =
                format!("{record_name} has no valid p= and no rua: no DMARC policy applies");
            finding = suggested(finding);
        }
        Some(Policy::None) => {
            worst = worst.max(Verdict::Warn);
            finding.summary =
                format!("{record_name} is p=none: mail failing DMARC is still delivered");
            finding = finding
                .receiver("spoofed mail in your name reaches inboxes; Gmail and Yahoo accept p=none but it protects nothing")
                .publish(
                    "after checking the aggregate reports, publish:",
                    DnsRecord::txt(record_name.clone(), stricter(&found.record, org)),
                );
        }
        Some(policy) => {
            finding.summary = format!(
                "{record_name} asks receivers to {} failing mail",
                match policy {
                    Policy::Reject => "reject",
                    _ => "quarantine",
                }
            );
        }
    }
    for destination in destinations {
        if destination.status == DestinationStatus::NotChecked {
            let (tag, uri) = (destination.tag.as_str(), &destination.uri);
            finding = finding.seen(format!("{tag} {uri}: not checked (too many destinations)"));
        } else if !destination.status.is_authorized() {
            worst = worst.max(Verdict::Warn);
            finding = finding
                .seen(format!(
                    "{} {}: not authorised by {}",
                    destination.tag.as_str(),
                    destination.uri,
                    destination.uri.host
                ))
                .publish(
                    format!(
                        "reports to {} are dropped: {} must publish:",
                        destination.uri, destination.uri.host
                    ),
                    DnsRecord::txt(
                        format!(
                            "{}._report._dmarc.{}",
                            found.policy_domain, destination.uri.host
                        ),
                        "v=DMARC1",
                    ),
                );
        }
    }
    finding.verdict = worst;
    finding
}

/// The first name of the tree walk that held more than one DMARC record,
/// and those records.
fn discarded(discovery: &PolicyDiscovery) -> Option<(&str, &[String])> {
    discovery.walk.iter().find_map(|step| match &step.found {
        dmarc::DmarcAtName::Discarded { records } => Some((step.domain.as_str(), &records[..])),
        _ => None,
    })
}

/// More than one DMARC record at `_dmarc.<domain>`: receivers discard them
/// all (RFC 9989 §4.10 step 2) and apply no policy. The one to keep is the
/// strictest policy among them: keeping a weaker one would lower what the
/// domain asked of receivers.
fn several_dmarc_records((domain, records): (&str, &[String])) -> Finding {
    let name = format!("_dmarc.{domain}");
    let mut finding = Finding::new(
        "several-records",
        CheckKind::DmarcRecord,
        Verdict::Fail,
        format!(
            "{name} publishes {} DMARC records: receivers discard them all and apply no policy",
            records.len()
        ),
    )
    .receiver("RFC 9989 section 4.10: with more than one record at a name, none applies");
    for text in records {
        finding = finding.seen_record(DnsRecord::txt(&name, text));
    }
    let strictness =
        |text: &String| match dmarc::DmarcRecord::validate(text).record.and_then(|r| r.p) {
            Some(Policy::Reject) => 3,
            Some(Policy::Quarantine) => 2,
            Some(Policy::None) => 1,
            _ => 0,
        };
    match records.iter().rev().max_by_key(|text| strictness(text)) {
        Some(keep) => finding.publish(
            "keep only the record with the strictest policy, and delete the others:",
            DnsRecord::txt(name, keep.clone()),
        ),
        None => finding,
    }
}

/// The record with `p=quarantine`, no `t=y`, and an aggregate-report
/// address in `org` when it has none, for the fix line.
fn stricter(record: &dmarc::DmarcRecord, org: &str) -> String {
    let mut record = record.clone();
    record.p = Some(Policy::Quarantine);
    record.t = None;
    let mut text = record.to_string();
    if record.rua.is_empty() {
        text.push_str(&format!("; rua=mailto:dmarc-reports@{org}"));
    }
    text
}

fn query_list(discovery: &PolicyDiscovery) -> String {
    let names: Vec<&str> = discovery.queries.iter().map(|q| q.name.as_str()).collect();
    names.join(", ")
}

/// A DKIM selector's key record as DNS publishes it (RFC 6376 §3.6.2.2):
/// what both the doctor's key finding and the scan's key check read.
pub(super) enum PublishedKey {
    /// NXDOMAIN or NODATA: no key.
    Missing,
    /// The lookup failed (timeout, server failure).
    Failed(mailauth_core::dns::LookupError),
    /// TXT records: their texts (strings joined), and the first that
    /// parses as a key record, else the first one's error.
    Found {
        texts: Vec<String>,
        key: Result<mailauth_core::dkim::KeyRecord, mailauth_core::dkim::KeyError>,
    },
}

/// Where a key is published: `<selector>._domainkey.<domain>`, the
/// selector in lower case.
pub(super) fn key_name(domain: &str, selector: &str) -> String {
    format!("{}._domainkey.{domain}", selector.to_ascii_lowercase())
}

/// The key record at `name` (see [`key_name`]).
pub(super) async fn published_key(resolver: &dyn DnsResolver, name: &str) -> PublishedKey {
    use mailauth_core::dkim::KeyRecord;
    let txts = match resolver.txt(name).await {
        Ok(txts) => txts,
        Err(e) if e.is_void() => return PublishedKey::Missing,
        Err(e) => return PublishedKey::Failed(e),
    };
    let texts: Vec<String> = txts
        .iter()
        .map(|t| String::from_utf8_lossy(&t.joined()).into_owned())
        .collect();
    let mut first_error = None;
    for text in &texts {
        match KeyRecord::parse(text) {
            Ok(record) => {
                return PublishedKey::Found {
                    texts,
                    key: Ok(record),
                };
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(error) => PublishedKey::Found {
            texts,
            key: Err(error),
        },
        // An answer holds records (the DnsResolver contract).
        None => PublishedKey::Missing,
    }
}

pub(super) async fn dkim_key(resolver: &dyn DnsResolver, domain: &str, selector: &str) -> Finding {
    use mailauth_core::dkim::KeyLint;
    let check = CheckKind::DkimKey;
    let name = key_name(&canonical(domain), selector);
    let (texts, parsed) = match published_key(resolver, &name).await {
        PublishedKey::Found { texts, key } => (texts, key),
        PublishedKey::Missing => {
            return Finding::new(
                "no-key",
                check,
                Verdict::Fail,
                format!("{name} publishes no DKIM key: signatures with s={selector} get permerror"),
            )
            .fix(format!(
                "publish at {name} the key record your signer gives for selector {selector} \
                 (mailauth: DkimSigner.key_record)"
            ));
        }
        PublishedKey::Failed(e) => {
            return Finding::new(
                "temperror",
                check,
                Verdict::Error,
                format!("the DKIM key at {name} could not be read: {e}"),
            );
        }
    };
    let mut finding = match &parsed {
        Err(error) => Finding::new(
            "syntax-error",
            check,
            Verdict::Fail,
            format!("{name} holds no usable DKIM key record: signatures get permerror"),
        )
        .seen(error.to_string()),
        Ok(record) => {
            let lint = |l| record.lints.contains(&l);
            let bits = record
                .key
                .as_ref()
                .map_or(0, mailauth_core::dkim::PublicKey::bits);
            let (situation, verdict, summary) = if lint(KeyLint::Revoked) {
                (
                    "revoked",
                    Verdict::Fail,
                    format!("{name} is revoked (empty p=): signatures get permerror"),
                )
            } else if lint(KeyLint::Sha1Only) {
                (
                    "sha1-only",
                    Verdict::Fail,
                    format!(
                        "{name} allows only SHA-1 (h=sha1), which no signature may use (RFC 8301)"
                    ),
                )
            } else if lint(KeyLint::NotForEmail) {
                (
                    "not-for-email",
                    Verdict::Fail,
                    format!("{name} is not for email (s=): email verifiers ignore it"),
                )
            } else if lint(KeyLint::Testing) {
                (
                    "testing",
                    Verdict::Warn,
                    format!("{name} is in testing (t=y): receivers treat signed mail as unsigned"),
                )
            } else if lint(KeyLint::ShortRsaKey) {
                (
                    "short-rsa-key",
                    Verdict::Warn,
                    format!(
                        "{name} is a {bits}-bit RSA key: signers SHOULD use 2048 bits (RFC 8301)"
                    ),
                )
            } else {
                (
                    "ok",
                    Verdict::Ok,
                    format!(
                        "{name} publishes a sound {} key ({bits} bits)",
                        record.key_type
                    ),
                )
            };
            Finding::new(situation, check, verdict, summary)
        }
    };
    for text in &texts {
        finding = finding.seen_record(DnsRecord::txt(&name, text));
    }
    if let Ok(record) = &parsed {
        if record.lints.contains(&KeyLint::Pkcs1Key) {
            finding = finding.seen("p= is a bare RSAPublicKey; verifiers accept it, tools publish SubjectPublicKeyInfo");
        }
        let limits = [KeyLint::Testing, KeyLint::Sha1Only, KeyLint::NotForEmail];
        if record.lints.iter().any(|l| limits.contains(l))
            && let Some(plain) = record.plain_record()
        {
            finding = finding.publish(
                "publish the same key without what limits it (t=y, h=, s=):",
                DnsRecord::txt(&name, plain),
            );
        }
        if record.lints.contains(&KeyLint::Revoked) {
            finding = finding.fix(format!(
                "stop signing with s={selector}, or publish the current key under a new selector"
            ));
        }
        if record.lints.contains(&KeyLint::ShortRsaKey) {
            finding = finding.fix(
                "make a 2048-bit RSA key (or an Ed25519 key, RFC 8463) and publish it under a new selector",
            );
        }
    }
    finding
}
