//! The core's token tables, for the test that holds the type stubs'
//! `Literal` aliases and the Python enums to the core's spellings.

use std::collections::BTreeMap;

use mailauth_core::dkim::{Algorithm, Canonicalization, DkimReason, DkimResult, KeyLint, KeyType};
use mailauth_core::dmarc::{
    Alignment, AlignmentMode, DmarcResult, Policy, PolicySource, PsdFlag, ReportTag, Severity,
};
use mailauth_core::dns::{RecordType, Transport};
use mailauth_core::dnsbl::{Category, ListKind, ListPolicy};
use mailauth_core::helo::CheckStatus;
use mailauth_core::iprev::{IprevResult, PeerStatus};
use mailauth_core::maildomain::AddressRole;
use mailauth_core::spf::{Identity, SpfResult};
use mailauth_doctor::bounce::{InputKind, Reason, Receiver, Stage};
use mailauth_doctor::scan::{Defect, Severity as ScanSeverity};
use mailauth_doctor::{CheckKind, Origin, SetupField, Verdict};
use pyo3::prelude::*;

fn tokens<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| as_str(*v)).collect()
}

/// Every token enum the Python API speaks, by the core's type name.
#[pyfunction]
pub(crate) fn _tokens() -> BTreeMap<&'static str, Vec<&'static str>> {
    BTreeMap::from([
        ("AddressRole", tokens(AddressRole::ALL, AddressRole::as_str)),
        ("Alignment", tokens(Alignment::ALL, Alignment::as_str)),
        (
            "AlignmentMode",
            tokens(AlignmentMode::ALL, AlignmentMode::as_str),
        ),
        ("BounceInput", tokens(InputKind::ALL, InputKind::as_str)),
        ("BounceReason", tokens(Reason::ALL, Reason::as_str)),
        ("BounceReceiver", tokens(Receiver::ALL, Receiver::as_str)),
        ("CheckKind", tokens(CheckKind::ALL, CheckKind::as_str)),
        ("CheckStatus", tokens(CheckStatus::ALL, CheckStatus::as_str)),
        ("DkimAlgorithm", tokens(Algorithm::ALL, Algorithm::as_str)),
        (
            "DkimCanonicalization",
            tokens(Canonicalization::ALL, Canonicalization::as_str),
        ),
        ("DkimKeyLint", tokens(KeyLint::ALL, KeyLint::as_str)),
        ("DkimKeyType", tokens(KeyType::ALL, KeyType::as_str)),
        ("DkimReason", tokens(DkimReason::ALL, DkimReason::as_str)),
        ("DkimResult", tokens(DkimResult::ALL, DkimResult::as_str)),
        ("DmarcResult", tokens(DmarcResult::ALL, DmarcResult::as_str)),
        ("IprevResult", tokens(IprevResult::ALL, IprevResult::as_str)),
        ("ListKind", tokens(ListKind::ALL, ListKind::as_str)),
        ("ListingCategory", tokens(Category::ALL, Category::as_str)),
        ("ListPolicy", tokens(ListPolicy::ALL, ListPolicy::as_str)),
        ("PeerStatus", tokens(PeerStatus::ALL, PeerStatus::as_str)),
        ("Origin", tokens(Origin::ALL, Origin::as_str)),
        ("Policy", tokens(Policy::ALL, Policy::as_str)),
        (
            "PolicySource",
            tokens(PolicySource::ALL, PolicySource::as_str),
        ),
        ("PsdFlag", tokens(PsdFlag::ALL, PsdFlag::as_str)),
        ("RecordType", tokens(RecordType::ALL, RecordType::as_str)),
        ("ReportTag", tokens(ReportTag::ALL, ReportTag::as_str)),
        ("ScanDefect", tokens(Defect::ALL, Defect::as_str)),
        (
            "ScanSeverity",
            tokens(ScanSeverity::ALL, ScanSeverity::as_str),
        ),
        ("SetupField", tokens(SetupField::ALL, SetupField::as_str)),
        ("Severity", tokens(Severity::ALL, Severity::as_str)),
        ("SmtpStage", tokens(Stage::ALL, Stage::as_str)),
        ("SpfIdentity", tokens(Identity::ALL, Identity::as_str)),
        ("SpfResult", tokens(SpfResult::ALL, SpfResult::as_str)),
        ("Transport", tokens(Transport::ALL, Transport::as_str)),
        ("Verdict", tokens(Verdict::ALL, Verdict::as_str)),
    ])
}
